import type { RouterOutputs } from "@xplorium/api";
import { formatMoney, formatNumber } from "@xplorium/ui";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { ChartFigure, DataTable, PALETTE, type SeriesDef } from "./chart-figure";

type Charts = NonNullable<RouterOutputs["analytics"]["charts"]["charts"]>;
type Bucket = Charts["bucket"];
type BookingType = keyof Charts["bookingTotals"];
type UpTier = Exclude<keyof Charts["tierProgression"][number], "bucket">;

const TYPE_SERIES: SeriesDef<BookingType>[] = [
  { key: "CAFE", label: "Café", color: PALETTE.blue },
  { key: "PLAYGROUND", label: "Playground", color: PALETTE.orange },
  { key: "PARTY", label: "Party", color: PALETTE.purple },
  { key: "EVENT", label: "Event", color: PALETTE.green },
];
const TIER_SERIES: SeriesDef<UpTier>[] = [
  { key: "SILVER", label: "Silver", color: PALETTE.grey },
  { key: "GOLD", label: "Gold", color: PALETTE.orange },
  { key: "PLATINUM", label: "Platinum", color: PALETTE.sky },
  { key: "VIP", label: "VIP", color: PALETTE.purple },
];

const BUCKET_AXIS: Record<Bucket, string> = {
  day: "Day",
  week: "Week starting",
  month: "Month",
};

/** A bucket's start as people read it ("12 Jun", "Jun 2026"); calendar dates, so in UTC. */
export function bucketLabel(start: string, bucket: Bucket): string {
  const d = new Date(`${start}T00:00:00Z`);
  return new Intl.DateTimeFormat(
    "en-GB",
    bucket === "month"
      ? { month: "short", year: "numeric", timeZone: "UTC" }
      : { day: "numeric", month: "short", timeZone: "UTC" },
  ).format(d);
}

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
const customers = (n: number) => `${formatNumber(n)} ${n === 1 ? "customer" : "customers"}`;
const BUCKET_NOUN: Record<Bucket, string> = { day: "day", week: "week", month: "month" };

/** The bucket with the largest value, for summaries ("most in the week of 3 Nov"). */
function peak<T>(rows: T[], value: (r: T) => number): T | null {
  let best: T | null = null;
  for (const r of rows) if (value(r) > 0 && (!best || value(r) > value(best))) best = r;
  return best;
}

const axisTick = { fontSize: 12, fill: "#57534e" };

/** Axis ticks in major units, shortened: "€1.2K". */
const compactMoney = (currency: string) => (n: number) =>
  new Intl.NumberFormat("en-GB", {
    style: "currency",
    currency,
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(n);

const TIER_LABEL = {
  BRONZE: "Bronze",
  SILVER: "Silver",
  GOLD: "Gold",
  PLATINUM: "Platinum",
  VIP: "VIP",
} as const;

interface StackedBarsProps<K extends string> {
  rows: ({ label: string } & Record<K, number>)[];
  series: SeriesDef<K>[];
  xLabel: string;
  yLabel: string;
  format?: (n: number) => string;
  /** Shorter numbers for the axis (money: "€1.2K"). */
  axisFormat?: (n: number) => string;
  /** Show every category on the axis (histograms), however crowded. */
  everyLabel?: boolean;
}

function StackedBars<K extends string>({
  rows,
  series,
  xLabel,
  yLabel,
  format = formatNumber,
  axisFormat = format,
  everyLabel = false,
}: StackedBarsProps<K>) {
  const order = (item: { dataKey?: unknown }) => series.findIndex((s) => s.key === item.dataKey);
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart
        data={rows}
        margin={{ top: 8, right: 8, bottom: 24, left: 16 }}
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e7e5e4" />
        <XAxis
          dataKey="label"
          tick={axisTick}
          {...(everyLabel ? { interval: 0, angle: -20, textAnchor: "end", height: 44 } : {})}
          label={{ value: xLabel, position: "insideBottom", offset: -16, fontSize: 12 }}
        />
        <YAxis
          tick={axisTick}
          tickFormatter={(v: number) => axisFormat(v)}
          allowDecimals={false}
          label={{ value: yLabel, angle: -90, position: "insideLeft", offset: -8, fontSize: 12 }}
        />
        <Tooltip formatter={(v) => format(Number(v))} />
        {series.length > 1 ? <Legend verticalAlign="top" height={28} itemSorter={order} /> : null}
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="one"
            fill={s.color}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/**
 * A chart card of stacked bars, its "Show the numbers" table holding the same rows; empty (the
 * card's empty state) unless some bar has a height, or as the caller says.
 */
function BarsFigure<K extends string>(
  props: StackedBarsProps<K> & {
    title: string;
    summary: string;
    empty?: boolean;
    emptyText: string;
    /** The table's caption (screen readers). */
    caption: string;
  },
) {
  const { rows, series } = props;
  return (
    <ChartFigure
      title={props.title}
      summary={props.summary}
      empty={props.empty ?? rows.every((r) => series.every((s) => r[s.key] === 0))}
      emptyText={props.emptyText}
      chart={() => <StackedBars {...props} />}
      table={
        <DataTable
          caption={props.caption}
          rowHeader={props.xLabel}
          rows={rows.map((r) => ({ label: r.label, values: r }))}
          series={series}
          {...(props.format ? { format: props.format } : {})}
        />
      }
    />
  );
}

export function AcquisitionChart({ charts }: { charts: Charts }) {
  const rows = charts.acquisition.map((a) => ({
    label: bucketLabel(a.bucket, charts.bucket),
    customers: a.customers,
  }));
  const total = sum(rows.map((r) => r.customers));
  const top = peak(rows, (r) => r.customers);
  const series: SeriesDef<"customers">[] = [
    { key: "customers", label: "New customers", color: PALETTE.blue },
  ];
  return (
    <BarsFigure
      title="Customer acquisition"
      summary={`${total === 1 ? "1 new customer" : `${formatNumber(total)} new customers`} in this range${
        top && top.customers > 1
          ? `; the busiest ${BUCKET_NOUN[charts.bucket]} was ${charts.bucket === "week" ? "the one starting " : ""}${top.label}, with ${formatNumber(top.customers)}`
          : ""
      }.`}
      emptyText="No new customers in this range"
      caption="New customers per period"
      rows={rows}
      series={series}
      xLabel={BUCKET_AXIS[charts.bucket]}
      yLabel="New customers"
    />
  );
}

function ByTypeChart({
  title,
  charts,
  rows: raw,
  totals,
  money,
}: {
  title: string;
  charts: Charts;
  rows: ({ bucket: string } & Record<BookingType, number>)[];
  totals: Record<BookingType, number>;
  money?: string;
}) {
  // Money is charted in major units so the axis reads 1,200 rather than 120,000.
  const scale = money ? 100 : 1;
  const format = money
    ? (n: number) => formatMoney(Math.round(n * scale), money)
    : (n: number) => formatNumber(n);
  const axisFormat = money ? compactMoney(money) : format;
  const rows = raw.map((r) => ({
    label: bucketLabel(r.bucket, charts.bucket),
    ...(Object.fromEntries(TYPE_SERIES.map((s) => [s.key, r[s.key] / scale])) as Record<
      BookingType,
      number
    >),
  }));
  const total = sum(TYPE_SERIES.map((s) => totals[s.key]));
  const ranked = [...TYPE_SERIES].sort((a, b) => totals[b.key] - totals[a.key]);
  const say = (n: number) => (money ? formatMoney(n, money) : formatNumber(n));
  return (
    <BarsFigure
      title={title}
      summary={`${say(total)} in total: ${ranked
        .map((s) => `${s.label} ${say(totals[s.key])}`)
        .join(", ")}.`}
      empty={total === 0}
      emptyText={money ? "No revenue in this range" : "No bookings in this range"}
      caption={`${title} per period and booking type`}
      rows={rows}
      series={TYPE_SERIES}
      xLabel={BUCKET_AXIS[charts.bucket]}
      yLabel={money ? `Revenue (${money})` : "Bookings"}
      format={format}
      axisFormat={axisFormat}
    />
  );
}

export function BookingsByTypeChart({ charts }: { charts: Charts }) {
  return (
    <ByTypeChart
      title="Bookings by type"
      charts={charts}
      rows={charts.bookingsByType}
      totals={charts.bookingTotals}
    />
  );
}

export function RevenueByTypeChart({ charts, currency }: { charts: Charts; currency: string }) {
  if (!charts.revenueByType || !charts.revenueTotals) return null;
  return (
    <ByTypeChart
      title="Revenue by booking type"
      charts={charts}
      rows={charts.revenueByType}
      totals={charts.revenueTotals}
      money={currency}
    />
  );
}

export function TierProgressionChart({ charts }: { charts: Charts }) {
  const rows = charts.tierProgression.map((r) => ({
    label: bucketLabel(r.bucket, charts.bucket),
    SILVER: r.SILVER,
    GOLD: r.GOLD,
    PLATINUM: r.PLATINUM,
    VIP: r.VIP,
  }));
  const totals = Object.fromEntries(
    TIER_SERIES.map((s) => [s.key, sum(rows.map((r) => r[s.key]))]),
  ) as Record<UpTier, number>;
  const total = sum(Object.values(totals));
  return (
    <BarsFigure
      title="Tier progression"
      summary={`${customers(total)} moved up a tier in this range: ${TIER_SERIES.map(
        (s) => `${formatNumber(totals[s.key])} to ${s.label}`,
      ).join(", ")}.`}
      emptyText="Nobody moved up a tier in this range"
      caption="Customers moving up into each tier per period"
      rows={rows}
      series={TIER_SERIES}
      xLabel={BUCKET_AXIS[charts.bucket]}
      yLabel="Customers"
    />
  );
}

function Histogram({
  title,
  bars,
  xLabel,
  summary,
  color,
}: {
  title: string;
  bars: { label: string; customers: number }[];
  xLabel: string;
  summary: string;
  color: string;
}) {
  const series: SeriesDef<"customers">[] = [{ key: "customers", label: "Customers", color }];
  const rows = bars.map((b) => ({ label: b.label, customers: b.customers }));
  return (
    <BarsFigure
      title={title}
      summary={summary}
      emptyText="No customers yet"
      caption={title}
      rows={rows}
      series={series}
      xLabel={xLabel}
      yLabel="Customers"
      everyLabel
    />
  );
}

export function BookingFrequencyChart({ charts }: { charts: Charts }) {
  const bars = charts.bookingFrequency;
  const all = sum(bars.map((b) => b.customers));
  const once = bars.find((b) => b.label === "1")?.customers ?? 0;
  const repeat = sum(bars.filter((b) => (b.min ?? 0) >= 2).map((b) => b.customers));
  const pct = (n: number) => (all === 0 ? "0%" : `${Math.round((n / all) * 100)}%`);
  return (
    <Histogram
      title="Booking frequency (all time)"
      bars={bars}
      xLabel="Visits per customer"
      color={PALETTE.green}
      summary={`Of ${customers(all)}, ${formatNumber(once)} (${pct(once)}) visited once and ${formatNumber(repeat)} (${pct(repeat)}) came back at least once more.`}
    />
  );
}

export function PointsDistributionChart({ charts }: { charts: Charts }) {
  const bars = charts.pointsDistribution;
  const all = sum(bars.map((b) => b.customers));
  const canRedeem = sum(bars.filter((b) => (b.min ?? 0) >= 500).map((b) => b.customers));
  return (
    <Histogram
      title="Loyalty points (balances now)"
      bars={bars}
      xLabel="Points balance"
      color={PALETTE.orange}
      summary={`${formatNumber(canRedeem)} of ${customers(all)} have at least 500 points, enough for a reward.`}
    />
  );
}

export function LtvByTierChart({ charts, currency }: { charts: Charts; currency: string }) {
  if (!charts.ltvByTier) return null;
  const series: SeriesDef<"ltv">[] = [
    { key: "ltv", label: "Average lifetime value", color: PALETTE.purple },
  ];
  const rows = charts.ltvByTier.map((t) => ({
    label: TIER_LABEL[t.tier],
    ltv: (t.averageLifetimeValue ?? 0) / 100,
    paying: t.paying,
  }));
  const format = (n: number) => formatMoney(Math.round(n * 100), currency);
  const best = peak(rows, (r) => r.ltv);
  return (
    <BarsFigure
      title="Lifetime value by tier"
      summary={`What a customer who paid has spent on average, by tier${
        best ? `; highest in ${best.label} (${format(best.ltv)})` : ""
      }.`}
      empty={rows.every((r) => r.paying === 0)}
      emptyText="No completed bookings yet"
      caption="Average lifetime value by tier"
      rows={rows}
      series={series}
      xLabel="Tier"
      yLabel={`Average (${currency})`}
      format={format}
      axisFormat={compactMoney(currency)}
      everyLabel
    />
  );
}
