import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uuid,
} from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { loyaltyTier } from "./enums";

/** Named RFM segments (packages/core/src/analytics/rfm.ts maps scores to them). */
export const rfmSegment = pgEnum("rfm_segment", [
  "CHAMPIONS",
  "LOYAL",
  "PROMISING",
  "NEW",
  "NEEDS_ATTENTION",
  "AT_RISK",
  "CANT_LOSE",
  "HIBERNATING",
  "LOST",
]);

/** Churn levels (packages/core/src/analytics/churn.ts). */
export const churnLevel = pgEnum("churn_level", [
  "NO_VISITS",
  "UPCOMING",
  "UNKNOWN",
  "ON_RHYTHM",
  "DUE",
  "LIKELY",
  "LAPSED",
]);

/** A set of days, e.g. the days a customer visited; `&&` asks "any of them in this range?". */
const dateMultirange = customType<{ data: string }>({ dataType: () => "datemultirange" });

/**
 * One row per live customer, rebuilt by the `analytics:refresh` job (core/analytics/refresh.ts)
 * from bookings, consent and loyalty as of `analytics_state.as_of`; only rows whose figures
 * changed are rewritten. Derived data: no foreign key, so merges and erasures need not know it;
 * the next refresh drops the rows of customers who are gone or erased. "Visits" are bookings
 * that are not CANCELLED and were scheduled up to the snapshot's time; days are the venue's.
 */
export const customerAnalytics = pgTable(
  "customer_analytics",
  {
    customerId: uuid("customer_id").primaryKey(),
    // The earlier of sign-up and first visit (a sync creates customers long after their first).
    acquiredOn: date("acquired_on").notNull(),
    visits: integer("visits").notNull().default(0),
    visitDays: dateMultirange("visit_days").notNull().default(sql`'{}'`),
    firstVisitOn: date("first_visit_on"),
    lastVisitOn: date("last_visit_on"),
    completedVisits: integer("completed_visits").notNull().default(0),
    // Sum of COMPLETED bookings' amounts, minor units.
    spent: bigint("spent", { mode: "number" }).notNull().default(0),
    firstPaidOn: date("first_paid_on"),
    // Gaps between consecutive visit days, and their median (the customer's own rhythm).
    gapCount: integer("gap_count").notNull().default(0),
    medianGapDays: numeric("median_gap_days", { precision: 8, scale: 1 }),
    nextBookingAt: tstz("next_booking_at"),
    recencyScore: smallint("recency_score"),
    frequencyScore: smallint("frequency_score"),
    monetaryScore: smallint("monetary_score"),
    rfmSegment: rfmSegment("rfm_segment"),
    // Churn against the snapshot's day: rhythm used (own or the venue's), score, level.
    rhythmDays: numeric("rhythm_days", { precision: 8, scale: 1 }),
    churnScore: numeric("churn_score", { precision: 10, scale: 2 }),
    churnLevel: churnLevel("churn_level").notNull(),
    // Copied from customers at the snapshot, so every dashboard figure has the same "as of".
    loyaltyTier: loyaltyTier("loyalty_tier").notNull(),
    loyaltyPoints: integer("loyalty_points").notNull(),
    emailOptIn: boolean("email_opt_in").notNull(),
    smsOptIn: boolean("sms_opt_in").notNull(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("customer_analytics_rfm_idx").on(t.rfmSegment),
    // The likely-to-churn list, most overdue first, without scanning everyone.
    index("customer_analytics_likely_idx")
      .on(t.churnScore.desc(), t.customerId.desc())
      .where(sql`${t.churnLevel} = 'LIKELY'`),
    check(
      "customer_analytics_scores",
      sql`${t.recencyScore} between 1 and 5 and ${t.frequencyScore} between 1 and 5 and ${t.monetaryScore} between 1 and 5
        or (${t.recencyScore} is null and ${t.frequencyScore} is null and ${t.monetaryScore} is null)`,
    ),
  ],
);

/**
 * Additive figures per venue day, rebuilt with the snapshot: `metric` is new_customers,
 * bookings / revenue (dim: booking type), tier_net / tier_up (dim: tier) or opt_in_net (dim:
 * EMAIL | SMS). Sums over any range of days are cheap, whatever the number of customers.
 */
export const analyticsDaily = pgTable(
  "analytics_daily",
  {
    metric: text("metric").notNull(),
    dim: text("dim").notNull().default(""),
    day: date("day").notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.metric, t.dim, t.day] })],
);

/**
 * The dashboard's per-range customer counts (active, retention, …) for this snapshot: the
 * refresh fills the usual ranges, a dashboard request adds any other it computes. Emptied by
 * every refresh.
 */
export const analyticsRangeCounts = pgTable(
  "analytics_range_counts",
  {
    // The snapshot counted (analytics_state.as_of): a row of an older one is never read.
    asOf: tstz("as_of").notNull(),
    rangeFrom: date("range_from").notNull(),
    rangeTo: date("range_to").notNull(),
    counts: jsonb("counts").$type<Record<string, number>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.asOf, t.rangeFrom, t.rangeTo] })],
);

/** The snapshot everything above describes (one row, id 1). */
export const analyticsState = pgTable(
  "analytics_state",
  {
    id: smallint("id").primaryKey().default(1),
    asOf: tstz("as_of").notNull(),
    asOfDay: date("as_of_day").notNull(),
    timeZone: text("time_zone").notNull(),
    // The venue's typical gap between two visits: the rhythm of customers without their own.
    venueGapDays: numeric("venue_gap_days", { precision: 8, scale: 1 }),
    // Figures that do not depend on a date range (histograms, RFM grid, churn levels, …).
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull(),
    durationMs: integer("duration_ms").notNull(),
    refreshedAt: tstz("refreshed_at").notNull().defaultNow(),
  },
  (t) => [check("analytics_state_singleton", sql`${t.id} = 1`)],
);
