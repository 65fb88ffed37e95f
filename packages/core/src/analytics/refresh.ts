import type { Tx } from "@xplorium/db";
import { TIERS, type Tier } from "@xplorium/domain";
import { type SQL, sql } from "drizzle-orm";
import { type DepsWith, nowOf } from "../deps";
import { CHURN_LEVELS, type ChurnLevel, churnExpressions } from "./churn";
import { cacheRangeCounts } from "./dashboard";
import { type AnalyticsConfig, standardRanges } from "./date-range";
import { RFM_GRID_LITERAL, RFM_SEGMENTS, type RfmSegment } from "./rfm";
import type { AnalyticsSummary, HistogramBucket, RfmBound } from "./summary";

// An arbitrary application-wide key for pg_advisory_xact_lock: one refresh at a time.
const REFRESH_LOCK = 7_370_006;

export interface AnalyticsRefreshResult {
  asOf: Date;
  customers: number;
  /** Rows of customer_analytics written (new or changed) and dropped (gone or erased). */
  changed: number;
  removed: number;
  durationMs: number;
}

/** Bars of the booking-frequency chart (visits per customer, all time). */
const VISIT_BUCKETS: Omit<HistogramBucket, "customers">[] = [
  { label: "0", min: 0, max: 0 },
  { label: "1", min: 1, max: 1 },
  { label: "2", min: 2, max: 2 },
  { label: "3", min: 3, max: 3 },
  { label: "4", min: 4, max: 4 },
  { label: "5", min: 5, max: 5 },
  { label: "6–9", min: 6, max: 9 },
  { label: "10–19", min: 10, max: 19 },
  { label: "20+", min: 20, max: null },
];

/** Bars of the points chart: edges at the rewards' prices (500, 1,000, 2,500, 5,000). */
const POINTS_BUCKETS: Omit<HistogramBucket, "customers">[] = [
  // A balance can go negative (a reversal after a redemption): it shows with the zeros.
  { label: "0", min: null, max: 0 },
  { label: "1–499", min: 1, max: 499 },
  { label: "500–999", min: 500, max: 999 },
  { label: "1,000–2,499", min: 1000, max: 2499 },
  { label: "2,500–4,999", min: 2500, max: 4999 },
  { label: "5,000+", min: 5000, max: null },
];

const inBucket = (column: SQL, b: Omit<HistogramBucket, "customers">) =>
  b.max === null
    ? sql`count(*) filter (where ${column} >= ${b.min}::bigint)::int`
    : b.min === null
      ? sql`count(*) filter (where ${column} <= ${b.max}::bigint)::int`
      : sql`count(*) filter (where ${column} between ${b.min}::bigint and ${b.max}::bigint)::int`;

/**
 * Recomputes every customer's row in `customer_analytics` in one statement (set-based: window
 * functions and aggregates over all bookings, no per-customer loop), writing only rows whose
 * figures changed, and the per-day figures in `analytics_daily`:
 *
 * - visits: bookings not CANCELLED scheduled up to `asOf`, by venue day; spent: COMPLETED ones;
 * - acquired: the earlier of sign-up and first visit;
 * - rhythm: the median gap between consecutive visit days; the venue's typical gap is the median
 *   of all customers' gaps;
 * - RFM: quintile scores by `count of values ≤ mine`, so ties share a score (rfm.ts);
 * - daily: new customers, bookings and revenue by type, tier moves (net and upgrades) and
 *   consent opt-in/opt-out transitions, per venue day.
 *
 * Erased customers are left out everywhere (and their rows dropped). Runs in one transaction
 * under an advisory lock, so readers always see one whole snapshot. Safe to run twice. The
 * snapshot describes `deps.now` (default now): bookings after it are "upcoming".
 */
export async function refreshAnalytics(
  deps: DepsWith<"db" | "config", AnalyticsConfig>,
): Promise<AnalyticsRefreshResult> {
  const { db } = deps;
  const started = performance.now();
  const asOf = nowOf(deps);
  const tz = deps.config.TIME_ZONE;
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const churn = churnExpressions({
    gapCount: sql`coalesce(r.gap_count, 0)`,
    medianGapDays: sql`r.median_gap::numeric(8, 1)`,
    venueGapDays: sql`venue.gap`,
    lastVisitOn: sql`s.last_visit_on`,
    nextBookingAt: sql`u.next_booking_at`,
    asOfDay: sql`(${at} at time zone ${tz})::date`,
  });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REFRESH_LOCK}::bigint)`);
    // Sorting a few million bookings for the windows: give this transaction room to do it.
    await tx.execute(sql`set local work_mem = '128MB'`);

    const [upsert] = await tx.execute<{ changed: number; venue_gap: string | null }>(sql`
      with
      live as (
        select id, created_at, loyalty_tier, loyalty_points, marketing_opt_in, sms_opt_in
        from customers where erased_at is null
      ),
      b as (
        select b.customer_id, b.status, b.amount, b.scheduled_at,
               (b.scheduled_at at time zone ${tz})::date as day
        from bookings b join live on live.id = b.customer_id
        where b.status <> 'CANCELLED'
      ),
      visits as (select * from b where scheduled_at <= ${at}),
      per as (
        select customer_id,
               count(*)::int as visits,
               range_agg(daterange(day, day, '[]')) as visit_days,
               min(day) as first_visit_on,
               max(day) as last_visit_on,
               count(*) filter (where status = 'COMPLETED')::int as completed_visits,
               coalesce(sum(amount) filter (where status = 'COMPLETED'), 0)::bigint as spent,
               min(day) filter (where status = 'COMPLETED') as first_paid_on
        from visits group by customer_id
      ),
      gaps as (
        select customer_id, day - lag(day) over (partition by customer_id order by day) as gap
        from (select distinct customer_id, day from visits) d
      ),
      rhythm as (
        select customer_id, count(*)::int as gap_count,
               percentile_cont(0.5) within group (order by gap) as median_gap
        from gaps where gap is not null group by customer_id
      ),
      venue as (
        select percentile_cont(0.5) within group (order by gap)::numeric(8, 1) as gap
        from gaps where gap is not null
      ),
      upcoming as (
        select customer_id, min(scheduled_at) as next_booking_at
        from b where scheduled_at > ${at} group by customer_id
      ),
      ranked as (
        select per.*,
               count(*) over (order by last_visit_on range between unbounded preceding and current row) as r_le,
               count(*) over (order by visits range between unbounded preceding and current row) as f_le,
               count(*) over (order by spent range between unbounded preceding and current row) as m_le,
               count(*) over () as n
        from per
      ),
      scored as (
        select ranked.*,
               ((5 * r_le + n - 1) / n)::smallint as r,
               ((5 * f_le + n - 1) / n)::smallint as f,
               ((5 * m_le + n - 1) / n)::smallint as m
        from ranked
      ),
      fresh as (
        select live.id as customer_id,
               least((live.created_at at time zone ${tz})::date, s.first_visit_on) as acquired_on,
               coalesce(s.visits, 0) as visits,
               coalesce(s.visit_days, '{}'::datemultirange) as visit_days,
               s.first_visit_on, s.last_visit_on,
               coalesce(s.completed_visits, 0) as completed_visits,
               coalesce(s.spent, 0) as spent,
               s.first_paid_on,
               coalesce(r.gap_count, 0) as gap_count,
               r.median_gap::numeric(8, 1) as median_gap_days,
               u.next_booking_at,
               s.r as recency_score, s.f as frequency_score, s.m as monetary_score,
               (${RFM_GRID_LITERAL}::rfm_segment[])[(s.r - 1) * 5 + (s.f + s.m + 1) / 2] as rfm_segment,
               ${churn.rhythm}::numeric(8, 1) as rhythm_days,
               ${churn.score} as churn_score,
               ${churn.level} as churn_level,
               live.loyalty_tier, live.loyalty_points,
               live.marketing_opt_in as email_opt_in, live.sms_opt_in
        from live
        cross join venue
        left join scored s on s.customer_id = live.id
        left join rhythm r on r.customer_id = live.id
        left join upcoming u on u.customer_id = live.id
      ),
      written as (
        insert into customer_analytics as ca (
          customer_id, acquired_on, visits, visit_days, first_visit_on, last_visit_on,
          completed_visits, spent, first_paid_on, gap_count, median_gap_days, next_booking_at,
          recency_score, frequency_score, monetary_score, rfm_segment,
          rhythm_days, churn_score, churn_level,
          loyalty_tier, loyalty_points, email_opt_in, sms_opt_in)
        select * from fresh
        on conflict (customer_id) do update set
          acquired_on = excluded.acquired_on, visits = excluded.visits,
          visit_days = excluded.visit_days, first_visit_on = excluded.first_visit_on,
          last_visit_on = excluded.last_visit_on, completed_visits = excluded.completed_visits,
          spent = excluded.spent, first_paid_on = excluded.first_paid_on,
          gap_count = excluded.gap_count, median_gap_days = excluded.median_gap_days,
          next_booking_at = excluded.next_booking_at, recency_score = excluded.recency_score,
          frequency_score = excluded.frequency_score, monetary_score = excluded.monetary_score,
          rfm_segment = excluded.rfm_segment, rhythm_days = excluded.rhythm_days,
          churn_score = excluded.churn_score, churn_level = excluded.churn_level,
          loyalty_tier = excluded.loyalty_tier,
          loyalty_points = excluded.loyalty_points, email_opt_in = excluded.email_opt_in,
          sms_opt_in = excluded.sms_opt_in, updated_at = now()
        where (ca.acquired_on, ca.visits, ca.visit_days, ca.first_visit_on, ca.last_visit_on,
               ca.completed_visits, ca.spent, ca.first_paid_on, ca.gap_count, ca.median_gap_days,
               ca.next_booking_at, ca.recency_score, ca.frequency_score, ca.monetary_score,
               ca.rfm_segment, ca.rhythm_days, ca.churn_score, ca.churn_level, ca.loyalty_tier,
               ca.loyalty_points, ca.email_opt_in, ca.sms_opt_in)
          is distinct from
              (excluded.acquired_on, excluded.visits, excluded.visit_days, excluded.first_visit_on,
               excluded.last_visit_on, excluded.completed_visits, excluded.spent,
               excluded.first_paid_on, excluded.gap_count, excluded.median_gap_days,
               excluded.next_booking_at, excluded.recency_score, excluded.frequency_score,
               excluded.monetary_score, excluded.rfm_segment, excluded.rhythm_days,
               excluded.churn_score, excluded.churn_level, excluded.loyalty_tier,
               excluded.loyalty_points, excluded.email_opt_in, excluded.sms_opt_in)
        returning 1
      )
      select (select count(*) from written)::int as changed, (select gap::text from venue) as venue_gap`);

    const removed = await tx.execute(sql`
      delete from customer_analytics ca
      where not exists (select 1 from customers c where c.id = ca.customer_id and c.erased_at is null)
      returning 1`);

    await refreshDaily(tx, tz, at);

    // The state first: the range counts below are keyed by its moment.
    await tx.execute(sql`
      insert into analytics_state (id, as_of, as_of_day, time_zone, venue_gap_days, summary, duration_ms, refreshed_at)
      values (1, ${at}, (${at} at time zone ${tz})::date, ${tz}, ${upsert!.venue_gap}::numeric, '{}'::jsonb, 0, now())
      on conflict (id) do update set
        as_of = excluded.as_of, as_of_day = excluded.as_of_day, time_zone = excluded.time_zone,
        venue_gap_days = excluded.venue_gap_days, refreshed_at = now()`);
    const summary = await computeSummary(tx);
    // The dashboard's usual ranges, counted now so its first load reads them.
    await tx.execute(sql`delete from analytics_range_counts`);
    const [state] = await tx.execute<{ as_of: string; as_of_day: string }>(
      sql`select as_of::text as as_of, as_of_day::text as as_of_day from analytics_state`,
    );
    for (const range of standardRanges(state!.as_of_day)) {
      await cacheRangeCounts(tx, state!.as_of, range);
    }
    const durationMs = Math.round(performance.now() - started);
    await tx.execute(sql`
      update analytics_state set summary = ${JSON.stringify(summary)}::jsonb, duration_ms = ${durationMs}::int
      where id = 1`);
    return {
      asOf,
      customers: summary.customers,
      changed: upsert!.changed,
      removed: removed.length,
      durationMs,
    };
  });
}

/**
 * `analytics_daily`, rebuilt whole (a few rows per day of history): sums over any range of days
 * then cost nothing, and "as of day D" figures are today's minus the changes after D.
 */
async function refreshDaily(tx: Tx, tz: string, at: SQL) {
  await tx.execute(sql`delete from analytics_daily`);
  await tx.execute(sql`
    insert into analytics_daily (metric, dim, day, value)
    with
    bk as (
      select b.type::text as dim, (b.scheduled_at at time zone ${tz})::date as day,
             count(*) as n, coalesce(sum(b.amount) filter (where b.status = 'COMPLETED'), 0) as revenue
      from bookings b join customer_analytics ca on ca.customer_id = b.customer_id
      where b.status <> 'CANCELLED' and b.scheduled_at <= ${at}
      group by 1, 2
    ),
    tc as (
      select t.from_tier, t.to_tier, (t.created_at at time zone ${tz})::date as day
      from tier_changes t join customer_analytics ca on ca.customer_id = t.customer_id
    ),
    tier_moves as (
      select to_tier as tier, day, 1 as delta from tc
      union all select from_tier, day, -1 from tc
      -- Everyone starts in BRONZE the day they are acquired.
      union all select 'BRONZE'::loyalty_tier, acquired_on, 1 from customer_analytics
    ),
    consent as (
      select e.customer_id, e.channel, e.action, e.id,
             case when e.action = 'GRANTED' then e.confirmed_at else e.created_at end as at
      from consent_events e join customer_analytics ca on ca.customer_id = e.customer_id
      -- A grant counts once confirmed; a withdrawal at once.
      where e.action = 'WITHDRAWN' or (e.state = 'CONFIRMED' and e.confirmed_at is not null)
    ),
    consent_seq as (
      select consent.*, (at at time zone ${tz})::date as day,
             lag(action) over (partition by customer_id, channel order by at, id) as previous
      from consent
    )
    select 'new_customers', '', acquired_on, count(*) from customer_analytics group by acquired_on
    union all select 'bookings', dim, day, n from bk
    union all select 'revenue', dim, day, revenue from bk where revenue > 0
    union all
      select 'tier_net', tier::text, day, sum(delta) from tier_moves
      group by tier, day having sum(delta) <> 0
    union all
      select 'tier_up', to_tier::text, day, count(*) from tc where to_tier > from_tier
      group by to_tier, day
    union all
      select 'opt_in_net', channel::text, day, sum(case when action = 'GRANTED' then 1 else -1 end)
      from consent_seq
      -- Only real changes: a second grant, or a withdrawal of nothing, moves no one.
      where action is distinct from coalesce(previous, 'WITHDRAWN')
      group by channel, day
      having sum(case when action = 'GRANTED' then 1 else -1 end) <> 0`);
}

async function computeSummary(tx: Tx): Promise<AnalyticsSummary> {
  const tierCols = TIERS.map(
    (t) => sql`count(*) filter (where x.loyalty_tier = ${t}::loyalty_tier)::int`,
  );
  const segmentCols = RFM_SEGMENTS.map(
    (s) => sql`count(*) filter (where x.rfm_segment = ${s}::rfm_segment)::int`,
  );
  const churnCols = CHURN_LEVELS.map(
    (l) => sql`count(*) filter (where x.churn_level = ${l}::churn_level)::int`,
  );
  const ltvCols = TIERS.flatMap((t) => [
    sql`count(*) filter (where x.loyalty_tier = ${t}::loyalty_tier and x.completed_visits > 0)::int`,
    sql`coalesce(sum(x.spent) filter (where x.loyalty_tier = ${t}::loyalty_tier), 0)::bigint`,
  ]);
  const cols = [
    sql`count(*)::int`,
    sql`count(*) filter (where x.visits > 0)::int`,
    sql`count(*) filter (where x.email_opt_in)::int`,
    sql`count(*) filter (where x.sms_opt_in)::int`,
    ...tierCols,
    ...VISIT_BUCKETS.map((b) => inBucket(sql`x.visits`, b)),
    ...POINTS_BUCKETS.map((b) => inBucket(sql`x.loyalty_points`, b)),
    ...segmentCols,
    ...churnCols,
    ...ltvCols,
  ];
  const named = cols.map((col, k) => sql`${col} as ${sql.raw(`c${k}`)}`);
  const [main] = await tx.execute<Record<string, number | string>>(
    sql`select ${sql.join(named, sql`, `)} from customer_analytics x`,
  );
  let i = 0;
  const next = () => Number(main?.[`c${i++}`] ?? 0);
  const customers = next();
  const customersWithVisits = next();
  const emailOptIn = next();
  const smsOptIn = next();
  const tiers = Object.fromEntries(TIERS.map((t) => [t, next()])) as Record<Tier, number>;
  const visitsHistogram = VISIT_BUCKETS.map((b) => ({ ...b, customers: next() }));
  const pointsHistogram = POINTS_BUCKETS.map((b) => ({ ...b, customers: next() }));
  const segments = Object.fromEntries(RFM_SEGMENTS.map((s) => [s, next()])) as Record<
    RfmSegment,
    number
  >;
  const churn = Object.fromEntries(CHURN_LEVELS.map((l) => [l, next()])) as Record<
    ChurnLevel,
    number
  >;
  const ltvByTier = Object.fromEntries(
    TIERS.map((t) => [t, { customers: tiers[t], paying: next(), spent: next() }]),
  ) as AnalyticsSummary["ltvByTier"];

  const gridRows = await tx.execute<{ r: number; fm: number; n: number }>(sql`
    select recency_score as r, (frequency_score + monetary_score + 1) / 2 as fm, count(*)::int as n
    from customer_analytics where recency_score is not null group by 1, 2`);
  const grid = [1, 2, 3, 4, 5].map(() => [0, 0, 0, 0, 0]);
  for (const g of gridRows) grid[g.r - 1]![g.fm - 1] = g.n;

  const boundRows = await tx.execute<{
    dim: "recency" | "frequency" | "monetary";
    score: number;
    n: number;
    lo: string;
    hi: string;
  }>(sql`
    select 'recency' as dim, recency_score as score, count(*)::int as n,
           min(last_visit_on)::text as lo, max(last_visit_on)::text as hi
    from customer_analytics where recency_score is not null group by recency_score
    union all
    select 'frequency', frequency_score, count(*)::int, min(visits)::text, max(visits)::text
    from customer_analytics where frequency_score is not null group by frequency_score
    union all
    select 'monetary', monetary_score, count(*)::int, min(spent)::text, max(spent)::text
    from customer_analytics where monetary_score is not null group by monetary_score
    order by 1, 2`);
  const bounds: AnalyticsSummary["rfm"]["bounds"] = { recency: [], frequency: [], monetary: [] };
  for (const b of boundRows) {
    const asValue = (s: string) => (b.dim === "recency" ? s : Number(s));
    bounds[b.dim].push({
      score: b.score,
      customers: b.n,
      min: asValue(b.lo),
      max: asValue(b.hi),
    } satisfies RfmBound);
  }

  return {
    customers,
    customersWithVisits,
    tiers,
    emailOptIn,
    smsOptIn,
    visitsHistogram,
    pointsHistogram,
    rfm: { segments, grid, bounds },
    churn,
    ltvByTier,
  };
}
