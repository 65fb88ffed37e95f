import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import {
  Card,
  EmptyState,
  formatDate,
  formatMoney,
  formatNumber,
  PageHeader,
  rightAligned,
  SimpleTable,
  TierBadge,
} from "@xplorium/ui";
import {
  AcquisitionChart,
  BookingFrequencyChart,
  BookingsByTypeChart,
  LtvByTierChart,
  PointsDistributionChart,
  RevenueByTypeChart,
  TierProgressionChart,
} from "~/components/analytics/dashboard-charts";
import { DateRangePicker } from "~/components/analytics/date-range-picker";
import { KpiTile } from "~/components/analytics/kpi-tile";
import { describeActionError } from "~/lib/api.server";
import { DEFAULT_PRESET, presetRange, rangeFromUrl, venueToday } from "~/lib/date-range";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Xplorium CRM" }];

type Api = Awaited<ReturnType<typeof requireStaff>>["api"];
const load = (api: Api, range: { from: string; to: string }) =>
  Promise.all([api.analytics.dashboard({ range }), api.analytics.charts({ range })]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, staff } = await requireStaff(request, context, "read:dashboard");
  const timeZone = context.env.TIME_ZONE;
  let { range: chosen, error } = rangeFromUrl(new URL(request.url), timeZone);
  let results: Awaited<ReturnType<typeof load>>;
  try {
    results = await load(api, chosen);
  } catch (e) {
    // A range the API refuses (ends before it starts, over five years): say so, show the default.
    const failure = describeActionError(e);
    if (failure.status !== 400) throw e;
    error = failure.message;
    chosen = { preset: DEFAULT_PRESET, ...presetRange(DEFAULT_PRESET, venueToday(timeZone)) };
    results = await load(api, chosen);
  }
  const [dashboard, charts] = results;
  const can = ROLE_PERMISSIONS[staff.role];
  return data(
    {
      firstName: staff.name.split(" ")[0] ?? staff.name,
      chosen,
      error,
      dashboard,
      charts: charts.charts,
      currency: context.env.CURRENCY,
      links: {
        customers: can.has("read:customer"),
        bookings: can.has("read:booking"),
        vouchers: can.has("read:voucher"),
        insights: can.has("read:marketing"),
      },
    },
    { headers },
  );
}

type Dashboard = RouterOutputs["analytics"]["dashboard"];

const percent = (n: number) =>
  new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 }).format(n);
/** A change of a rate, in percentage points. */
const points = (n: number) =>
  `${new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 }).format(n * 100)} pts`;

function Kpis({ kpis, currency }: { kpis: NonNullable<Dashboard["kpis"]>; currency: string }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <KpiTile
        label="Total customers"
        hint="Signed up or first visited by the last day."
        kpi={kpis.totalCustomers}
        format={formatNumber}
      />
      <KpiTile
        label="Active customers"
        hint="A visit in the 90 days up to the last day."
        kpi={kpis.activeCustomers}
        format={formatNumber}
      />
      <KpiTile
        label="New customers"
        hint="Signed up or first visited in this range."
        kpi={kpis.newCustomers}
        format={formatNumber}
      />
      <KpiTile
        label="Retention rate"
        hint={`${formatNumber(kpis.retentionRate.retained)} of ${formatNumber(kpis.retentionRate.base)} customers who visited in the previous period came back in this one.`}
        kpi={kpis.retentionRate}
        format={percent}
        formatChange={points}
      />
      {kpis.averageLifetimeValue ? (
        <KpiTile
          label="Average lifetime value"
          hint="Completed bookings so far ÷ customers who have completed one."
          kpi={kpis.averageLifetimeValue}
          format={(n) => formatMoney(n, currency)}
        />
      ) : null}
      <KpiTile
        label="Email opt-in rate"
        hint={`${formatNumber(kpis.emailOptInRate.optedIn)} customers agreed to marketing email.`}
        kpi={kpis.emailOptInRate}
        format={percent}
        formatChange={points}
      />
      <KpiTile
        label="SMS opt-in rate"
        hint={`${formatNumber(kpis.smsOptInRate.optedIn)} customers agreed to marketing SMS.`}
        kpi={kpis.smsOptInRate}
        format={percent}
        formatChange={points}
      />
    </div>
  );
}

function TierDistribution({ tiers }: { tiers: NonNullable<Dashboard["tiers"]> }) {
  const total = tiers.reduce((s, t) => s + (t.value ?? 0), 0);
  return (
    <Card title="Tier distribution" className="xl:col-span-2">
      <p className="mb-3 text-sm text-stone-600">
        Customers in each tier on the last day, against the last day of the previous period.
      </p>
      <SimpleTable
        caption="Customers per tier with the change since the previous period"
        columns={["Tier", rightAligned("Customers"), rightAligned("Share"), rightAligned("Change")]}
        compact
      >
        {tiers.map((t) => (
          <tr key={t.tier}>
            <th scope="row" className="py-2 font-normal">
              <TierBadge tier={t.tier} />
            </th>
            <td className="py-2 text-right tabular-nums">{formatNumber(t.value ?? 0)}</td>
            <td className="py-2 text-right tabular-nums">
              {total === 0 ? "—" : percent((t.value ?? 0) / total)}
            </td>
            <td className="py-2 text-right tabular-nums">
              {t.change === null || t.change === 0
                ? "no change"
                : `${t.change > 0 ? "+" : "−"}${formatNumber(Math.abs(t.change))}`}
            </td>
          </tr>
        ))}
      </SimpleTable>
    </Card>
  );
}

export default function DashboardPage() {
  const { firstName, chosen, error, dashboard, charts, currency, links } =
    useLoaderData<typeof loader>();
  const nav = useNavigation();
  const updating = nav.state === "loading" && nav.location?.pathname === "/";
  const snapshot = dashboard.snapshot;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`Hello, ${firstName}. How the customer base is doing, against the period before.`}
        actions={
          links.insights ? (
            <Link to="/analytics" className="font-medium text-brand-700 text-sm hover:underline">
              RFM and churn →
            </Link>
          ) : undefined
        }
      />
      <DateRangePicker chosen={chosen} previous={dashboard.range.previous} error={error} />
      {!snapshot || !dashboard.kpis || !dashboard.tiers || !charts ? (
        <EmptyState title="The first figures are being worked out">
          The worker computes them when it starts and every 30 minutes after. Reload this page in a
          minute.
        </EmptyState>
      ) : (
        <div
          aria-busy={updating || undefined}
          className={updating ? "space-y-6 opacity-60 transition-opacity" : "space-y-6"}
        >
          <p className="text-stone-500 text-xs">
            Figures as of {formatDate(snapshot.asOf, { time: true })}; they are refreshed every 30
            minutes and after each sync from bookings.
          </p>
          <Kpis kpis={dashboard.kpis} currency={currency} />
          <div className="grid gap-4 xl:grid-cols-2">
            <TierDistribution tiers={dashboard.tiers} />
            <AcquisitionChart charts={charts} />
            <BookingsByTypeChart charts={charts} />
            <RevenueByTypeChart charts={charts} currency={currency} />
            <TierProgressionChart charts={charts} />
            <BookingFrequencyChart charts={charts} />
            <PointsDistributionChart charts={charts} />
            <LtvByTierChart charts={charts} currency={currency} />
          </div>
        </div>
      )}
      <Card title="Quick actions" className="mt-6">
        <ul className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
          {links.customers ? (
            <li>
              <Link to="/customers" className="font-medium text-brand-700 hover:underline">
                Look a family up →
              </Link>
            </li>
          ) : null}
          {links.bookings ? (
            <li>
              <Link to="/bookings" className="font-medium text-brand-700 hover:underline">
                Record a booking →
              </Link>
            </li>
          ) : null}
          {links.vouchers ? (
            <li>
              <Link to="/loyalty/vouchers" className="font-medium text-brand-700 hover:underline">
                Check a voucher →
              </Link>
            </li>
          ) : null}
        </ul>
      </Card>
    </>
  );
}
