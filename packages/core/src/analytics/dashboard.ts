import type { DbOrTx } from "@xplorium/db";
import { TIERS, type Tier } from "@xplorium/domain";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type DepsWith, nowOf } from "../deps";
import {
  type AnalyticsConfig,
  type ComparedRange,
  compareRange,
  dateRangeInput,
  defaultRange,
  type Period,
} from "./date-range";
import { type AnalyticsSnapshot, readSnapshot } from "./summary";

export const dashboardInput = z.object({ range: dateRangeInput.optional() });
export type DashboardInput = z.input<typeof dashboardInput>;

/** The dashboard's and the charts' input: the range, and whether money figures are shown. */
export type DashboardRequest = DashboardInput & {
  /** Venue-level money (revenue, average lifetime value): only for `read:revenue` (ADR). */
  includeRevenue: boolean;
};

/** A figure for the range and for the period before it; change = value − previous. */
export interface Kpi {
  value: number | null;
  previous: number | null;
  change: number | null;
}

const kpi = (value: number | null, previous: number | null): Kpi => ({
  value,
  previous,
  change: value === null || previous === null ? null : value - previous,
});
const ratio = (n: number, d: number) => (d === 0 ? null : n / d);

export interface SnapshotInfo {
  asOf: Date;
  asOfDay: string;
  refreshedAt: Date;
}

export const snapshotInfo = (s: AnalyticsSnapshot): SnapshotInfo => ({
  asOf: s.asOf,
  asOfDay: s.asOfDay,
  refreshedAt: s.refreshedAt,
});

/** The range asked for (validated), or the 30 days to today, with its comparison periods. */
export function requestedRange(deps: DepsWith<"config", AnalyticsConfig>, raw: DashboardInput) {
  const { range } = dashboardInput.parse(raw);
  return compareRange(range ?? defaultRange(deps.config.TIME_ZONE, nowOf(deps)));
}

const days = (p: Period) => sql`daterange(${p.from}::date, ${p.to}::date, '[]')`;
/** "Active on day D": a visit in the 90 days ending on D. */
const activeOn = (day: string) => sql`daterange(${day}::date - 89, ${day}::date, '[]')`;

/**
 * The dashboard's figures for a range of venue days, each with the same figure for the period
 * before it (DESIGN.md "Analytics"). All of them describe the analytics snapshot
 * (`refreshAnalytics`); definitions:
 *
 * - total customers: acquired (signed up or first visited) on or before the last day;
 * - active customers: a visit in the 90 days ending on the last day;
 * - new customers: acquired within the range;
 * - retention: of the customers who visited in the previous period, the share who visited again
 *   in this one (the previous period's own retention compares it with the one before);
 * - average lifetime value: completed bookings' amounts up to the last day ÷ customers with a
 *   completed booking by then (`includeRevenue` only);
 * - email / SMS opt-in rate: opted-in customers ÷ total customers on the last day (today's
 *   consent flags, less the opt-ins and opt-outs recorded after that day);
 * - tiers: customers per tier on the last day (today's tiers, less the tier changes after it).
 *
 * Two queries: one pass over `customer_analytics` (a few aggregates each, no join; counted once
 * per range and snapshot, in `analytics_range_counts`) and one over the small `analytics_daily`,
 * in one read-only repeatable-read transaction so both see the same snapshot. Null when there is
 * no snapshot yet.
 */
export async function analyticsDashboard(
  deps: DepsWith<"db" | "config", AnalyticsConfig>,
  { includeRevenue, ...raw }: DashboardRequest,
) {
  const { db } = deps;
  const range = requestedRange(deps, raw);
  const read = await db.transaction(
    async (tx) => {
      const snapshot = await readSnapshot(tx);
      if (!snapshot) return null;
      const [cached] = await tx.execute<{ counts: CustomerCounts }>(sql`
        select counts from analytics_range_counts
        where as_of = (select as_of from analytics_state)
          and range_from = ${range.from}::date and range_to = ${range.to}::date`);
      const [state] = await tx.execute<{ as_of: string }>(
        sql`select as_of::text as as_of from analytics_state`,
      );
      return {
        snapshot,
        asOf: state!.as_of,
        cached: cached?.counts ?? null,
        counts: cached?.counts ?? (await customerCounts(tx, range)),
        daily: await dailyTotals(tx, range),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  if (!read) return { snapshot: null, range, kpis: null, tiers: null };
  const { snapshot, counts: c, daily } = read;
  // Counted now: keep it for the next request on this snapshot (its moment is the key).
  if (!read.cached) await storeRangeCounts(db, read.asOf, range, c);
  const after = (metric: string, dim: string, end: "to" | "previousTo") =>
    daily.get(`${metric}/${dim}`)?.[end === "to" ? "afterTo" : "afterPreviousTo"] ?? 0;
  const upTo = (metric: string, end: "to" | "previousTo") =>
    [...daily.entries()]
      .filter(([key]) => key.startsWith(`${metric}/`))
      .reduce((sum, [, v]) => sum + (end === "to" ? v.upToTo : v.upToPreviousTo), 0);

  const s = snapshot.summary;
  const optedIn = (channel: "EMAIL" | "SMS", end: "to" | "previousTo") =>
    (channel === "EMAIL" ? s.emailOptIn : s.smsOptIn) - after("opt_in_net", channel, end);
  const optInRate = (channel: "EMAIL" | "SMS") => ({
    ...kpi(
      ratio(optedIn(channel, "to"), c.total),
      ratio(optedIn(channel, "previousTo"), c.totalPrevious),
    ),
    optedIn: optedIn(channel, "to"),
    previousOptedIn: optedIn(channel, "previousTo"),
  });
  const ltv = (end: "to" | "previousTo") => {
    const paying = end === "to" ? c.paying : c.payingPrevious;
    const revenue = upTo("revenue", end);
    return paying === 0 ? null : Math.round(revenue / paying);
  };

  return {
    snapshot: snapshotInfo(snapshot),
    range,
    kpis: {
      totalCustomers: kpi(c.total, c.totalPrevious),
      activeCustomers: kpi(c.active, c.activePrevious),
      newCustomers: kpi(c.newInRange, c.newInPrevious),
      retentionRate: {
        ...kpi(ratio(c.retained, c.visitedPrevious), ratio(c.retainedPrevious, c.visitedBefore)),
        retained: c.retained,
        base: c.visitedPrevious,
        previousRetained: c.retainedPrevious,
        previousBase: c.visitedBefore,
      },
      averageLifetimeValue: includeRevenue ? kpi(ltv("to"), ltv("previousTo")) : null,
      emailOptInRate: optInRate("EMAIL"),
      smsOptInRate: optInRate("SMS"),
    },
    tiers: TIERS.map((tier: Tier) => ({
      tier,
      ...kpi(
        s.tiers[tier] - after("tier_net", tier, "to"),
        s.tiers[tier] - after("tier_net", tier, "previousTo"),
      ),
    })),
  };
}

type CustomerCounts = Awaited<ReturnType<typeof customerCounts>>;

async function storeRangeCounts(
  db: DbOrTx,
  asOf: string,
  range: Period,
  counts: CustomerCounts,
): Promise<void> {
  await db.execute(sql`
    insert into analytics_range_counts (as_of, range_from, range_to, counts)
    values (${asOf}::timestamptz, ${range.from}::date, ${range.to}::date, ${JSON.stringify(counts)}::jsonb)
    on conflict do nothing`);
}

/** Counts a range against the snapshot being written (the refresh, for the usual ranges). */
export async function cacheRangeCounts(tx: DbOrTx, asOf: string, range: Period): Promise<void> {
  await storeRangeCounts(tx, asOf, range, await customerCounts(tx, compareRange(range)));
}

async function customerCounts(db: DbOrTx, range: ComparedRange) {
  const p = range.previous;
  const pp = range.beforePrevious;
  const n = (cond: SQL) => sql`count(*) filter (where ${cond})::int`;
  const [row] = await db.execute<Record<string, number>>(sql`
    select
      ${n(sql`acquired_on <= ${range.to}::date`)} as total,
      ${n(sql`acquired_on <= ${p.to}::date`)} as total_previous,
      ${n(sql`acquired_on between ${range.from}::date and ${range.to}::date`)} as new_in_range,
      ${n(sql`acquired_on between ${p.from}::date and ${p.to}::date`)} as new_in_previous,
      ${n(sql`visit_days && ${activeOn(range.to)}`)} as active,
      ${n(sql`visit_days && ${activeOn(p.to)}`)} as active_previous,
      ${n(sql`visit_days && ${days(p)}`)} as visited_previous,
      ${n(sql`visit_days && ${days(p)} and visit_days && ${days(range)}`)} as retained,
      ${n(sql`visit_days && ${days(pp)}`)} as visited_before,
      ${n(sql`visit_days && ${days(pp)} and visit_days && ${days(p)}`)} as retained_previous,
      ${n(sql`first_paid_on <= ${range.to}::date`)} as paying,
      ${n(sql`first_paid_on <= ${p.to}::date`)} as paying_previous
    from customer_analytics`);
  const r = row ?? {};
  return {
    total: r.total ?? 0,
    totalPrevious: r.total_previous ?? 0,
    newInRange: r.new_in_range ?? 0,
    newInPrevious: r.new_in_previous ?? 0,
    active: r.active ?? 0,
    activePrevious: r.active_previous ?? 0,
    visitedPrevious: r.visited_previous ?? 0,
    retained: r.retained ?? 0,
    visitedBefore: r.visited_before ?? 0,
    retainedPrevious: r.retained_previous ?? 0,
    paying: r.paying ?? 0,
    payingPrevious: r.paying_previous ?? 0,
  };
}

/** Per metric and dimension: the sums after / up to the range's and the previous period's end. */
async function dailyTotals(db: DbOrTx, range: ComparedRange) {
  const rows = await db.execute<{
    metric: string;
    dim: string;
    after_to: string;
    after_previous_to: string;
    up_to_to: string;
    up_to_previous_to: string;
  }>(sql`
    select metric, dim,
      coalesce(sum(value) filter (where day > ${range.to}::date), 0)::text as after_to,
      coalesce(sum(value) filter (where day > ${range.previous.to}::date), 0)::text as after_previous_to,
      coalesce(sum(value) filter (where day <= ${range.to}::date), 0)::text as up_to_to,
      coalesce(sum(value) filter (where day <= ${range.previous.to}::date), 0)::text as up_to_previous_to
    from analytics_daily
    where metric in ('revenue', 'tier_net', 'opt_in_net')
    group by metric, dim`);
  return new Map(
    rows.map((r) => [
      `${r.metric}/${r.dim}`,
      {
        afterTo: Number(r.after_to),
        afterPreviousTo: Number(r.after_previous_to),
        upToTo: Number(r.up_to_to),
        upToPreviousTo: Number(r.up_to_previous_to),
      },
    ]),
  );
}
