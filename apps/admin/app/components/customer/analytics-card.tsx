import type { RouterOutputs } from "@xplorium/api";
import {
  Card,
  ChurnLevelBadge,
  formatDate,
  formatMoney,
  formatNumber,
  RFM_SEGMENT_INFO,
  RfmSegmentBadge,
} from "@xplorium/ui";

type CustomerAnalytics = RouterOutputs["analytics"]["customerAnalytics"];

const days = (n: number) => `${formatNumber(n)} ${n === 1 ? "day" : "days"}`;

function Figure({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt className="text-stone-500 text-xs uppercase">{name}</dt>
      <dd className="mt-1 font-semibold text-stone-900 tabular-nums">{value}</dd>
    </div>
  );
}

/** Why the churn score is what it is, in one sentence with the customer's own numbers. */
function churnExplanation(churn: Extract<CustomerAnalytics, { computed: true }>["churn"]): string {
  if (churn.level === "NO_VISITS") return "No visits yet, so no rhythm to be late against.";
  if (churn.level === "UPCOMING" && churn.nextBookingAt) {
    return `Booked again for ${formatDate(churn.nextBookingAt)}: not at risk.`;
  }
  if (churn.score === null || churn.rhythmDays === null || churn.daysSinceLastVisit === null) {
    return "Not enough visits anywhere yet to know a usual rhythm.";
  }
  const rhythm = churn.ownRhythm
    ? `they usually come every ${days(churn.rhythmDays)} (the median of their ${churn.gaps} gaps between visits${churn.medianGapDays !== null && churn.medianGapDays < churn.rhythmDays ? `, ${days(churn.medianGapDays)}, counted as at least a week` : ""})`
    : `with fewer than three visits, the venue's typical gap of ${days(churn.rhythmDays)} stands in for their rhythm`;
  return `Last visit ${days(churn.daysSinceLastVisit)} ago; ${rhythm}: ${formatNumber(churn.daysSinceLastVisit)} ÷ ${formatNumber(churn.rhythmDays)} = ${churn.score.toFixed(2)}. From 2 a family counts as likely to churn, from 4 as lapsed.`;
}

/**
 * The customer page's analytics: RFM segment and scores, churn score with its arithmetic, and
 * lifetime value. All from the analytics snapshot (refreshed every 30 minutes).
 */
export function AnalyticsCard({
  analytics,
  currency,
  className,
}: {
  analytics: CustomerAnalytics;
  currency: string;
  className?: string;
}) {
  if (!analytics.computed) {
    return (
      <Card title="Analytics" {...(className ? { className } : {})}>
        <p className="text-sm text-stone-600">
          Not worked out for this customer yet: the figures are refreshed every 30 minutes.
        </p>
      </Card>
    );
  }
  const { rfm, churn, lifetimeValue: ltv } = analytics;
  return (
    <Card
      title="Analytics"
      actions={
        <span className="text-stone-500 text-xs">
          as of {formatDate(analytics.asOf, { time: true })}
        </span>
      }
      {...(className ? { className } : {})}
    >
      <div className="grid gap-6 md:grid-cols-3">
        <section aria-labelledby="rfm-heading" className="space-y-2">
          <h3 id="rfm-heading" className="font-semibold text-sm text-stone-900">
            RFM segment
          </h3>
          {rfm.segment && rfm.scores ? (
            <>
              <RfmSegmentBadge segment={rfm.segment} />
              <p className="text-sm text-stone-600">{RFM_SEGMENT_INFO[rfm.segment].description}</p>
              <p className="text-sm text-stone-700">
                Recency <strong>{rfm.scores.recency}</strong> · Frequency{" "}
                <strong>{rfm.scores.frequency}</strong> · Monetary{" "}
                <strong>{rfm.scores.monetary}</strong>
                <span className="block text-stone-500 text-xs">
                  Each 1–5: the fifth of customers they fall in (5 = top). The segment reads recency
                  against the mean of the other two.
                </span>
              </p>
            </>
          ) : (
            <p className="text-sm text-stone-600">No visits yet, so no RFM scores.</p>
          )}
        </section>
        <section aria-labelledby="churn-heading" className="space-y-2">
          <h3 id="churn-heading" className="font-semibold text-sm text-stone-900">
            Churn risk
          </h3>
          <p className="flex items-center gap-2">
            <ChurnLevelBadge level={churn.level} />
            {churn.score !== null ? (
              <span className="font-semibold text-stone-900 tabular-nums">
                {churn.score.toFixed(2)}
              </span>
            ) : null}
          </p>
          <p className="text-sm text-stone-600" data-testid="churn-explanation">
            {churnExplanation(churn)}
          </p>
        </section>
        <section aria-labelledby="ltv-heading" className="space-y-2">
          <h3 id="ltv-heading" className="font-semibold text-sm text-stone-900">
            Lifetime value
          </h3>
          <dl className="grid grid-cols-2 gap-3">
            <Figure name="Spent" value={formatMoney(ltv.spent, currency)} />
            <Figure
              name="Average order"
              value={ltv.averageOrder === null ? "—" : formatMoney(ltv.averageOrder, currency)}
            />
            <Figure
              name="Visits"
              value={`${formatNumber(ltv.visits)} (${formatNumber(ltv.completedVisits)} completed)`}
            />
            <Figure name="Visits a month" value={formatNumber(ltv.visitsPerMonth)} />
            <Figure name="Customer since" value={formatDate(ltv.acquiredOn)} />
            <Figure name="Tenure" value={days(ltv.tenureDays)} />
          </dl>
        </section>
      </div>
    </Card>
  );
}
