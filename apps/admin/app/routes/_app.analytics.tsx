import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import {
  Card,
  ChurnLevelBadge,
  EmptyState,
  formatDate,
  formatNumber,
  PageHeader,
} from "@xplorium/ui";
import { z } from "zod";
import { ChurnTable } from "~/components/analytics/churn-table";
import { ChurnMethod, RfmGrid, ScoreBounds, SegmentCounts } from "~/components/analytics/rfm-cards";
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
                <ChurnTable items={churn.items} />
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
