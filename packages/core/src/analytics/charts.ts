import { BOOKING_TYPES, type BookingType, TIERS, type Tier } from "@xplorium/domain";
import { sql } from "drizzle-orm";
import type { DepsWith } from "../deps";
import { type DashboardRequest, requestedRange, snapshotInfo } from "./dashboard";
import { type AnalyticsConfig, bucketsOf } from "./date-range";
import { readSnapshot } from "./summary";

/** Tiers a customer can move up into (everyone starts in BRONZE). */
const UPGRADE_TIERS = TIERS.filter((t) => t !== "BRONZE") as Exclude<Tier, "BRONZE">[];

type ByType = Record<BookingType, number>;
const zeroByType = (): ByType => Object.fromEntries(BOOKING_TYPES.map((t) => [t, 0])) as ByType;

/**
 * The dashboard's charts for a range (from the snapshot's `analytics_daily`, bucketed by day,
 * week or month; every bucket present, empty ones as 0) and the all-time distributions:
 *
 * - acquisition: customers acquired per bucket;
 * - bookings by type: visits (bookings not cancelled) per bucket and type;
 * - revenue by type: completed bookings' amounts per bucket and type (`includeRevenue` only);
 * - tier progression: customers moving up into each tier per bucket (tier changes);
 * - booking frequency: customers by number of visits; points: customers by balance;
 * - lifetime value by tier: what the tier's customers spent, per customer who paid
 *   (`includeRevenue` only).
 */
export async function analyticsCharts(
  deps: DepsWith<"db" | "config", AnalyticsConfig>,
  { includeRevenue, ...raw }: DashboardRequest,
) {
  const { db } = deps;
  const range = requestedRange(deps, raw);
  const snapshot = await readSnapshot(db);
  if (!snapshot) return { snapshot: null, range, charts: null };

  const rows = await db.execute<{ bucket: string; metric: string; dim: string; value: string }>(
    sql`
    select date_trunc(${range.bucket}, day::timestamp)::date::text as bucket, metric, dim,
           sum(value)::text as value
    from analytics_daily
    where day between ${range.from}::date and ${range.to}::date
      and metric in ('new_customers', 'bookings', 'revenue', 'tier_up')
    group by 1, 2, 3`,
  );
  const buckets = bucketsOf(range, range.bucket);
  const acquisition = new Map(buckets.map((b) => [b, 0]));
  const bookings = new Map(buckets.map((b) => [b, zeroByType()]));
  const revenue = new Map(buckets.map((b) => [b, zeroByType()]));
  const upgrades = new Map(
    buckets.map((b) => [
      b,
      Object.fromEntries(UPGRADE_TIERS.map((t) => [t, 0])) as Record<
        (typeof UPGRADE_TIERS)[number],
        number
      >,
    ]),
  );
  for (const r of rows) {
    const value = Number(r.value);
    if (r.metric === "new_customers") acquisition.set(r.bucket, value);
    else if (r.metric === "bookings") bookings.get(r.bucket)![r.dim as BookingType] = value;
    else if (r.metric === "revenue") revenue.get(r.bucket)![r.dim as BookingType] = value;
    else if (r.metric === "tier_up") {
      upgrades.get(r.bucket)![r.dim as (typeof UPGRADE_TIERS)[number]] = value;
    }
  }
  const totals = (m: Map<string, ByType>) => {
    const sum = zeroByType();
    for (const v of m.values()) for (const t of BOOKING_TYPES) sum[t] += v[t];
    return sum;
  };
  const s = snapshot.summary;
  return {
    snapshot: snapshotInfo(snapshot),
    range,
    charts: {
      bucket: range.bucket,
      acquisition: buckets.map((bucket) => ({ bucket, customers: acquisition.get(bucket) ?? 0 })),
      bookingsByType: buckets.map((bucket) => ({ bucket, ...bookings.get(bucket)! })),
      bookingTotals: totals(bookings),
      revenueByType: includeRevenue
        ? buckets.map((bucket) => ({ bucket, ...revenue.get(bucket)! }))
        : null,
      revenueTotals: includeRevenue ? totals(revenue) : null,
      tierProgression: buckets.map((bucket) => ({ bucket, ...upgrades.get(bucket)! })),
      bookingFrequency: s.visitsHistogram,
      pointsDistribution: s.pointsHistogram,
      ltvByTier: includeRevenue
        ? TIERS.map((tier) => {
            const t = s.ltvByTier[tier];
            return {
              tier,
              customers: t.customers,
              paying: t.paying,
              averageLifetimeValue: t.paying === 0 ? null : Math.round(t.spent / t.paying),
            };
          })
        : null,
    },
  };
}
