import { schema } from "@xplorium/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";
import { CHURN_RULES, type ChurnLevel, daysSinceLastVisitSql } from "./churn";
import { fmScore, type RfmSegment } from "./rfm";

export const customerAnalyticsInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
});

const DAYS_PER_MONTH = 365.25 / 12;

/**
 * One customer's analytics for their page: RFM scores and segment, churn score with what it is
 * made of, and lifetime value (spent, completed visits, average order, visits per month over
 * their tenure). From the snapshot: `computed` is false for a customer it does not hold yet.
 */
export async function customerAnalytics(
  { db }: DepsWith<"db">,
  raw: z.input<typeof customerAnalyticsInput>,
) {
  const { customerId } = customerAnalyticsInput.parse(raw);
  const c = schema.customers;
  const [live] = await db
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.id, customerId), isNull(c.erasedAt)));
  if (!live) throw notFound("Customer");
  const [row] = await db.execute<{
    as_of: string;
    as_of_day: string;
    acquired_on: string;
    visits: number;
    completed_visits: number;
    spent: string;
    first_visit_on: string | null;
    last_visit_on: string | null;
    next_booking_at: string | null;
    gap_count: number;
    median_gap_days: string | null;
    recency_score: number | null;
    frequency_score: number | null;
    monetary_score: number | null;
    rfm_segment: RfmSegment | null;
    days_since: number | null;
    rhythm: string | null;
    own: boolean;
    score: string | null;
    level: ChurnLevel;
    tenure_days: number;
  }>(sql`
    select analytics_state.as_of, analytics_state.as_of_day::text as as_of_day,
           customer_analytics.acquired_on::text as acquired_on, customer_analytics.visits,
           customer_analytics.completed_visits, customer_analytics.spent::text as spent,
           customer_analytics.first_visit_on::text as first_visit_on,
           customer_analytics.last_visit_on::text as last_visit_on,
           customer_analytics.next_booking_at,
           customer_analytics.gap_count, customer_analytics.median_gap_days::text as median_gap_days,
           customer_analytics.recency_score, customer_analytics.frequency_score,
           customer_analytics.monetary_score, customer_analytics.rfm_segment,
           ${daysSinceLastVisitSql} as days_since, customer_analytics.rhythm_days::text as rhythm,
           customer_analytics.gap_count >= ${CHURN_RULES.minGapsForOwnRhythm}::int as own,
           customer_analytics.churn_score::text as score, customer_analytics.churn_level as level,
           greatest(analytics_state.as_of_day - customer_analytics.acquired_on, 0) as tenure_days
    from customer_analytics cross join analytics_state
    where customer_analytics.customer_id = ${customerId}::uuid`);
  if (!row) {
    const [state] = await db
      .select({ asOf: schema.analyticsState.asOf })
      .from(schema.analyticsState);
    return { computed: false as const, asOf: state?.asOf ?? null };
  }
  const spent = Number(row.spent);
  const tenureMonths = Math.max(1, row.tenure_days / DAYS_PER_MONTH);
  const scores =
    row.recency_score !== null && row.frequency_score !== null && row.monetary_score !== null
      ? {
          recency: row.recency_score,
          frequency: row.frequency_score,
          monetary: row.monetary_score,
          fm: fmScore(row.frequency_score, row.monetary_score),
        }
      : null;
  return {
    computed: true as const,
    asOf: new Date(row.as_of),
    asOfDay: row.as_of_day,
    rfm: { scores, segment: row.rfm_segment },
    churn: {
      level: row.level,
      score: row.score === null ? null : Number(row.score),
      daysSinceLastVisit: row.days_since,
      rhythmDays: row.rhythm === null ? null : Number(row.rhythm),
      ownRhythm: row.own,
      gaps: row.gap_count,
      medianGapDays: row.median_gap_days === null ? null : Number(row.median_gap_days),
      nextBookingAt: row.next_booking_at === null ? null : new Date(row.next_booking_at),
    },
    lifetimeValue: {
      spent,
      visits: row.visits,
      completedVisits: row.completed_visits,
      averageOrder: row.completed_visits === 0 ? null : Math.round(spent / row.completed_visits),
      visitsPerMonth: Math.round((row.visits / tenureMonths) * 100) / 100,
      tenureDays: row.tenure_days,
      acquiredOn: row.acquired_on,
      firstVisitOn: row.first_visit_on,
      lastVisitOn: row.last_visit_on,
    },
  };
}
