import { schema } from "@xplorium/db";

/**
 * RFM: every customer with at least one visit gets three scores from 1 to 5, computed in SQL by
 * the refresh (refresh.ts):
 *
 * - **R**ecency: the day of their last visit (later = higher);
 * - **F**requency: their number of visits;
 * - **M**onetary: what their completed bookings came to.
 *
 * A score is the fifth of customers the value falls in, counting everyone tied with it:
 * `score = ceil(5 × (customers whose value ≤ this one) ÷ customers)`. Ten customers with ten
 * different values score 1,1,2,2,3,3,4,4,5,5; customers with equal values always share a score
 * (so with many one-visit families, F may jump from 1 to 3). The named segment comes from R
 * and FM = ceil((F + M) ÷ 2), on the grid below.
 */
export const RFM_SEGMENTS = schema.rfmSegment.enumValues;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * Rows are R = 5 … 1, columns FM = 1 … 5. Recent customers are Champions, Loyal, Promising or
 * New by how much they book and spend; R = 3 needs attention unless they are among the best;
 * customers who stopped coming are At risk or Can't lose (they used to book and spend a lot),
 * Hibernating or Lost (they never did).
 */
export const RFM_GRID: Record<1 | 2 | 3 | 4 | 5, readonly RfmSegment[]> = {
  5: ["NEW", "PROMISING", "LOYAL", "CHAMPIONS", "CHAMPIONS"],
  4: ["NEW", "PROMISING", "LOYAL", "CHAMPIONS", "CHAMPIONS"],
  3: ["NEEDS_ATTENTION", "NEEDS_ATTENTION", "NEEDS_ATTENTION", "LOYAL", "LOYAL"],
  2: ["HIBERNATING", "HIBERNATING", "AT_RISK", "AT_RISK", "CANT_LOSE"],
  1: ["LOST", "LOST", "AT_RISK", "AT_RISK", "CANT_LOSE"],
};

/** FM: the mean of F and M, rounded up. */
export const fmScore = (f: number, m: number) => Math.ceil((f + m) / 2);

/** The named segment of a customer's scores (the SQL in refresh.ts uses the same grid). */
export function rfmSegmentOf(r: number, f: number, m: number): RfmSegment {
  const row = RFM_GRID[r as 1 | 2 | 3 | 4 | 5];
  const segment = row?.[fmScore(f, m) - 1];
  if (!segment) throw new Error(`RFM scores out of range: ${r}${f}${m}`);
  return segment;
}

/**
 * The grid as a PostgreSQL array literal, indexed by `(r - 1) * 5 + fm` (1-based), for
 * `(${RFM_GRID_LITERAL}::rfm_segment[])[…]`: bound as one parameter.
 */
export const RFM_GRID_LITERAL = `{${([1, 2, 3, 4, 5] as const).flatMap((r) => RFM_GRID[r]).join(",")}}`;

/** Quintile score of a value from the count of values ≤ it (ties included) among `n`. */
export const quintileScore = (countAtOrBelow: number, n: number) =>
  Math.ceil((5 * countAtOrBelow) / n);
