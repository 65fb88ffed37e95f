import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  Card,
  ChurnLevelBadge,
  cn,
  EmptyState,
  formatDate,
  formatMoney,
  formatNumber,
  PageHeader,
  RFM_SEGMENT_INFO,
  RfmSegmentBadge,
  TierBadge,
} from "@xplorium/ui";
import { z } from "zod";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "RFM and churn · Xplorium CRM" }];

const urlQuery = z.object({
  after: z.string().max(200).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:marketing");
  const { after } = urlQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [overview, churn] = await Promise.all([
    api.analytics.rfmSegments(),
    api.analytics.churnList({ limit: 25, ...(after ? { cursor: after } : {}) }).catch(() =>
      // A stale page link: start again from the first page.
      api.analytics.churnList({ limit: 25 }),
    ),
  ]);
  return data(
    { overview, churn, paged: Boolean(after), currency: context.env.CURRENCY },
    { headers },
  );
}

type Overview = RouterOutputs["analytics"]["rfmSegments"];
type Rfm = NonNullable<Overview["rfm"]>;

const percent = (n: number) =>
  new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 }).format(n);
const days = (n: number) => `${formatNumber(n)} ${n === 1 ? "day" : "days"}`;

function SegmentCounts({ rfm }: { rfm: Rfm }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
      {rfm.segments.map((s) => (
        <li key={s.segment} className="rounded-xl border border-stone-200 p-3">
          <div className="flex items-center justify-between gap-2">
            <RfmSegmentBadge segment={s.segment} />
            <span className="font-semibold text-stone-900 tabular-nums">
              {formatNumber(s.customers)}
              <span className="ml-1 font-normal text-stone-500 text-xs">{`(${percent(s.share)})`}</span>
            </span>
          </div>
          <p className="mt-2 text-sm text-stone-600">{RFM_SEGMENT_INFO[s.segment].description}</p>
          {s.customers > 0 ? (
            <Link
              to={`/marketing/segments/new?rfm=${s.segment}`}
              className="mt-2 inline-block font-medium text-brand-700 text-xs hover:underline"
            >
              Build a marketing segment →
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function RfmGrid({ rfm }: { rfm: Rfm }) {
  return (
    <table className="w-full table-fixed border-separate border-spacing-1 text-center text-sm">
      <caption className="mb-2 text-left text-sm text-stone-600">
        Customers by recency (rows, 5 = most recent) and FM, the mean of their frequency and
        monetary scores (columns, 5 = most).
      </caption>
      <thead>
        <tr>
          <th scope="col" className="w-16 text-stone-500 text-xs">
            R \ FM
          </th>
          {[1, 2, 3, 4, 5].map((fm) => (
            <th key={fm} scope="col" className="text-stone-500 text-xs">
              FM {fm}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rfm.grid.map((row) => (
          <tr key={row.recency}>
            <th scope="row" className="text-stone-500 text-xs">
              R {row.recency}
            </th>
            {row.cells.map((cell) => (
              <td
                key={cell.fm}
                className={cn(
                  "rounded-lg px-1 py-2 ring-1",
                  RFM_SEGMENT_INFO[cell.segment].className,
                )}
              >
                <span className="block font-semibold tabular-nums">
                  {formatNumber(cell.customers)}
                </span>
                <span className="block truncate text-[11px]">
                  {RFM_SEGMENT_INFO[cell.segment].label}
                </span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ScoreBounds({ rfm, currency }: { rfm: Rfm; currency: string }) {
  const cell = (
    list: Rfm["bounds"]["recency"],
    score: number,
    show: (v: string | number) => string,
  ) => {
    const b = list.find((x) => x.score === score);
    if (!b) return <span className="text-stone-400">nobody</span>;
    const lo = show(b.min);
    const hi = show(b.max);
    return (
      <>
        {lo === hi ? lo : `${lo} – ${hi}`}
        <span className="block text-stone-500 text-xs">{formatNumber(b.customers)} customers</span>
      </>
    );
  };
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">What each score covers</caption>
      <thead className="text-stone-500 text-xs uppercase">
        <tr>
          <th scope="col" className="py-1 pr-3">
            Score
          </th>
          <th scope="col" className="py-1 pr-3">
            Recency: last visit
          </th>
          <th scope="col" className="py-1 pr-3">
            Frequency: visits
          </th>
          <th scope="col" className="py-1">
            Monetary: spent
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-stone-100">
        {[5, 4, 3, 2, 1].map((score) => (
          <tr key={score}>
            <th scope="row" className="py-2 pr-3">
              {score}
            </th>
            <td className="py-2 pr-3">
              {cell(rfm.bounds.recency, score, (v) => formatDate(String(v)))}
            </td>
            <td className="py-2 pr-3 tabular-nums">
              {cell(rfm.bounds.frequency, score, (v) => formatNumber(Number(v)))}
            </td>
            <td className="py-2 tabular-nums">
              {cell(rfm.bounds.monetary, score, (v) => formatMoney(Number(v), currency))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChurnMethod({ rules }: { rules: Overview["rules"] }) {
  return (
    <div className="space-y-2 text-sm text-stone-700">
      <p>
        <strong>Churn score = days since the last visit ÷ the family's rhythm.</strong> The rhythm
        is the median number of days between two of their visits, once they have at least{" "}
        {rules.minGapsForOwnRhythm} such gaps (three visits); before that it is the venue's typical
        gap between two visits of the same family
        {rules.venueGapDays !== null ? ` (now ${days(rules.venueGapDays)})` : ""}. A rhythm is never
        taken as shorter than {days(rules.minRhythmDays)}. A family with a booking ahead of them
        scores 0.
      </p>
      <p>
        Under 1: on rhythm. From 1: due back. From {rules.likelyFrom}:{" "}
        <strong>likely to churn</strong> (twice as late as usual: the list below, and a marketing
        segment option). From {rules.lapsedFrom}: lapsed, probably gone already. A family that came
        every fortnight and was last seen 30 days ago scores 30 ÷ 14 = 2.1.
      </p>
    </div>
  );
}

export default function InsightsPage() {
  const { overview, churn, paged, currency } = useLoaderData<typeof loader>();
  const rfm = overview.rfm;
  return (
    <>
      <PageHeader
        title="RFM and churn"
        description="Who your best customers are, who is slipping away, and how each figure is worked out."
        actions={
          <Link to="/" className="font-medium text-brand-700 text-sm hover:underline">
            ← Dashboard
          </Link>
        }
      />
      {!rfm || !overview.snapshot ? (
        <EmptyState title="The first figures are being worked out">
          The worker computes them when it starts and every 30 minutes after. Reload this page in a
          minute.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <p className="text-stone-500 text-xs">
            As of {formatDate(overview.snapshot.asOf, { time: true })}:{" "}
            {formatNumber(rfm.customers)} customers, {formatNumber(rfm.customersWithVisits)} of them
            with at least one visit.
          </p>
          <Card title="RFM segments">
            <SegmentCounts rfm={rfm} />
          </Card>
          <div className="grid gap-4 xl:grid-cols-2">
            <Card title="The RFM grid">
              <RfmGrid rfm={rfm} />
            </Card>
            <Card title="How RFM is worked out">
              <div className="space-y-3 text-sm text-stone-700">
                <p>
                  Every customer with a visit gets three scores from 1 to 5:{" "}
                  <strong>recency</strong> (their last visit), <strong>frequency</strong> (how many
                  visits) and <strong>monetary</strong> (what their completed bookings came to). A
                  score is the fifth of customers the value falls in: 5 for the top 20%. Customers
                  with the same value always share a score, so with many one-visit families a score
                  may be skipped.
                </p>
                <p>
                  The segment comes from recency and FM, the mean of frequency and monetary rounded
                  up, on the grid. A visit is a booking that was not cancelled.
                </p>
                <ScoreBounds rfm={rfm} currency={currency} />
              </div>
            </Card>
          </div>
          <Card title="Churn risk">
            <div className="grid gap-6 xl:grid-cols-[1fr_20rem]">
              <ChurnMethod rules={overview.rules} />
              <ul className="space-y-1 text-sm" aria-label="Customers per churn level">
                {rfm.churn.map((c) => (
                  <li key={c.level} className="flex items-center justify-between gap-2">
                    <ChurnLevelBadge level={c.level} />
                    <span className="tabular-nums">{formatNumber(c.customers)}</span>
                  </li>
                ))}
              </ul>
            </div>
          </Card>
          <Card
            title={`Likely to churn (${formatNumber(churn.total)})`}
            actions={
              churn.total > 0 ? (
                <Link
                  to="/marketing/segments/new?churn=1"
                  className="font-medium text-brand-700 text-sm hover:underline"
                >
                  Target them in a segment →
                </Link>
              ) : undefined
            }
          >
            {churn.items.length === 0 ? (
              <EmptyState title="Nobody is likely to churn right now">
                Families appear here once they are twice as late as their usual rhythm.
              </EmptyState>
            ) : (
              <div className="space-y-3">
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm">
                    <caption className="sr-only">
                      Customers likely to churn, most overdue first
                    </caption>
                    <thead className="text-stone-500 text-xs uppercase">
                      <tr>
                        <th scope="col" className="py-2 pr-3">
                          Customer
                        </th>
                        <th scope="col" className="py-2 pr-3">
                          Segment
                        </th>
                        <th scope="col" className="py-2 pr-3 text-right">
                          Visits
                        </th>
                        <th scope="col" className="py-2 pr-3">
                          Last visit
                        </th>
                        <th scope="col" className="py-2 pr-3 text-right">
                          Usually every
                        </th>
                        <th scope="col" className="py-2 text-right">
                          Score
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-stone-100">
                      {churn.items.map((c) => (
                        <tr key={c.id}>
                          <td className="py-2 pr-3">
                            <Link
                              to={`/customers/${c.id}`}
                              className="font-medium text-brand-700 hover:underline"
                            >
                              {c.name ?? c.email}
                            </Link>
                            <span className="ml-2">
                              <TierBadge tier={c.tier} />
                            </span>
                            <span className="block text-stone-500 text-xs">{c.email}</span>
                          </td>
                          <td className="py-2 pr-3">
                            {c.rfmSegment ? <RfmSegmentBadge segment={c.rfmSegment} /> : "—"}
                          </td>
                          <td className="py-2 pr-3 text-right tabular-nums">
                            {formatNumber(c.visits)}
                          </td>
                          <td className="py-2 pr-3">
                            {formatDate(c.lastVisitOn)}
                            <span className="block text-stone-500 text-xs">
                              {days(c.daysSinceLastVisit)} ago
                            </span>
                          </td>
                          <td className="py-2 pr-3 text-right">
                            {days(c.rhythmDays)}
                            <span className="block text-stone-500 text-xs">
                              {c.ownRhythm ? "their own rhythm" : "venue's typical gap"}
                            </span>
                          </td>
                          <td className="py-2 text-right font-semibold tabular-nums">
                            {c.score.toFixed(2)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <nav aria-label="Pages" className="flex gap-4 text-sm">
                  {paged ? (
                    <Link to="/analytics" className="font-medium text-brand-700 hover:underline">
                      ← First page
                    </Link>
                  ) : null}
                  {churn.nextCursor ? (
                    <Link
                      to={`/analytics?after=${encodeURIComponent(churn.nextCursor)}`}
                      className="font-medium text-brand-700 hover:underline"
                    >
                      Next page →
                    </Link>
                  ) : null}
                </nav>
              </div>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
