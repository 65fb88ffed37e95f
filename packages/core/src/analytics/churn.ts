import { schema } from "@xplorium/db";
import { type SQL, sql } from "drizzle-orm";

const ca = schema.customerAnalytics;
const st = schema.analyticsState;

/**
 * Churn risk (ADR "churn score from each family's own rhythm"): how late a customer is against
 * their own habit, with nothing hidden.
 *
 *   score = days since their last visit ÷ their rhythm
 *
 * Their rhythm is the median number of days between two consecutive visit days, once they have
 * at least `minGapsForOwnRhythm` such gaps; before that, the venue's typical gap (the median of
 * every customer's gaps). A rhythm is never shorter than `minRhythmDays`. A customer with a
 * booking still ahead of them scores 0. Days count in the venue's time zone, up to the
 * snapshot's day (`analytics_state.as_of_day`). Scores are cut (not rounded) to two decimals, so
 * the score shown is on the same side of every threshold as the exact one.
 */
export const CHURN_RULES = {
  minGapsForOwnRhythm: 2,
  minRhythmDays: 7,
  /** From this score a customer is "likely to churn" … */
  likelyFrom: 2,
  /** … and from this one they are taken as lapsed (probably gone already). */
  lapsedFrom: 4,
} as const;

export const CHURN_LEVELS = [
  "NO_VISITS",
  "UPCOMING",
  "UNKNOWN",
  "ON_RHYTHM",
  "DUE",
  "LIKELY",
  "LAPSED",
] as const;
export type ChurnLevel = (typeof CHURN_LEVELS)[number];

/** Whether the customer's own gaps set their rhythm (else the venue's typical gap does). */
export const ownRhythmSql = sql<boolean>`(${ca.gapCount} >= ${CHURN_RULES.minGapsForOwnRhythm}::int)`;

/** Their rhythm in days (numeric), or null when neither they nor the venue have any gap. */
export const rhythmDaysSql = sql<string | null>`(case
  when ${ownRhythmSql} then greatest(${CHURN_RULES.minRhythmDays}::numeric, ${ca.medianGapDays})
  when ${st.venueGapDays} is not null then greatest(${CHURN_RULES.minRhythmDays}::numeric, ${st.venueGapDays})
end)`;

export const daysSinceLastVisitSql = sql<number | null>`(${st.asOfDay} - ${ca.lastVisitOn})`;

/** The churn score (numeric, cut to two decimals) of a `customer_analytics` row against `analytics_state`. */
export const churnScoreSql = sql<string | null>`(case
  when ${ca.nextBookingAt} is not null then 0::numeric
  when ${ca.lastVisitOn} is null then null
  else trunc(${daysSinceLastVisitSql}::numeric / ${rhythmDaysSql}, 2)
end)`;

export const churnLevelSql = sql<ChurnLevel>`(case
  when ${ca.nextBookingAt} is not null then 'UPCOMING'
  when ${ca.lastVisitOn} is null then 'NO_VISITS'
  when ${churnScoreSql} is null then 'UNKNOWN'
  when ${churnScoreSql} < 1 then 'ON_RHYTHM'
  when ${churnScoreSql} < ${CHURN_RULES.likelyFrom}::numeric then 'DUE'
  when ${churnScoreSql} < ${CHURN_RULES.lapsedFrom}::numeric then 'LIKELY'
  else 'LAPSED'
end)`;

/** "Likely to churn": the list marketing targets and the segment filter's option. */
export const likelyToChurnSql: SQL = sql`(${ca.nextBookingAt} is null
  and ${churnScoreSql} >= ${CHURN_RULES.likelyFrom}::numeric
  and ${churnScoreSql} < ${CHURN_RULES.lapsedFrom}::numeric)`;
