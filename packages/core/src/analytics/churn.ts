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

export const CHURN_LEVELS = schema.churnLevel.enumValues;
export type ChurnLevel = (typeof CHURN_LEVELS)[number];

/** The columns (or expressions) the churn figures are computed from. */
export interface ChurnInputs {
  gapCount: SQL;
  medianGapDays: SQL;
  venueGapDays: SQL;
  lastVisitOn: SQL;
  nextBookingAt: SQL;
  /** The snapshot's venue day. */
  asOfDay: SQL;
}

/**
 * The churn figures as SQL over `ChurnInputs`: the refresh stores them per customer (they only
 * change when the snapshot's day, a visit or the venue's gap does), so lists, filters and counts
 * read a column instead of recomputing a million scores.
 */
export function churnExpressions(i: ChurnInputs) {
  const own = sql<boolean>`(${i.gapCount} >= ${CHURN_RULES.minGapsForOwnRhythm}::int)`;
  const rhythm = sql<string | null>`(case
    when ${own} then greatest(${CHURN_RULES.minRhythmDays}::numeric, ${i.medianGapDays})
    when ${i.venueGapDays} is not null then greatest(${CHURN_RULES.minRhythmDays}::numeric, ${i.venueGapDays})
  end)`;
  const score = sql<string | null>`(case
    when ${i.nextBookingAt} is not null then 0::numeric
    when ${i.lastVisitOn} is null then null
    else trunc((${i.asOfDay} - ${i.lastVisitOn})::numeric / ${rhythm}, 2)
  end)`;
  const level = sql<ChurnLevel>`(case
    when ${i.nextBookingAt} is not null then 'UPCOMING'
    when ${i.lastVisitOn} is null then 'NO_VISITS'
    when ${score} is null then 'UNKNOWN'
    when ${score} < 1 then 'ON_RHYTHM'
    when ${score} < ${CHURN_RULES.likelyFrom}::numeric then 'DUE'
    when ${score} < ${CHURN_RULES.lapsedFrom}::numeric then 'LIKELY'
    else 'LAPSED'
  end)::churn_level`;
  return { own, rhythm, score, level };
}

/** "Likely to churn": the list marketing targets and the segment filter's option. */
export const likelyToChurnSql: SQL = sql`(${ca.churnLevel} = 'LIKELY')`;

/** Days from a customer's last visit to the snapshot's day (needs analytics_state joined). */
export const daysSinceLastVisitSql = sql<number | null>`(${st.asOfDay} - ${ca.lastVisitOn})`;
