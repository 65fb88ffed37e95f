import { type DbOrTx, schema } from "@xplorium/db";
import type { Tier } from "@xplorium/domain";
import { eq } from "drizzle-orm";
import type { ChurnLevel } from "./churn";
import type { RfmSegment } from "./rfm";

/** A histogram bar: customers whose value lies in [min, max] (null: unbounded that side). */
export interface HistogramBucket {
  label: string;
  min: number | null;
  max: number | null;
  customers: number;
}

/** Customers with each score of one RFM dimension, and the values that score covers. */
export interface RfmBound {
  score: number;
  customers: number;
  /** Dates (YYYY-MM-DD) for recency, visits for frequency, minor units for monetary. */
  min: string | number;
  max: string | number;
}

/**
 * Everything the refresh computes that does not depend on a date range, stored with the
 * snapshot (`analytics_state.summary`) so the dashboard and the RFM page read it, not 1M rows.
 */
export interface AnalyticsSummary {
  customers: number;
  customersWithVisits: number;
  tiers: Record<Tier, number>;
  emailOptIn: number;
  smsOptIn: number;
  visitsHistogram: HistogramBucket[];
  pointsHistogram: HistogramBucket[];
  rfm: {
    segments: Record<RfmSegment, number>;
    /** `grid[r - 1][fm - 1]`: customers with that recency and FM score. */
    grid: number[][];
    bounds: { recency: RfmBound[]; frequency: RfmBound[]; monetary: RfmBound[] };
  };
  churn: Record<ChurnLevel, number>;
  /** Lifetime value by tier: customers, those with a completed booking, what they spent. */
  ltvByTier: Record<Tier, { customers: number; paying: number; spent: number }>;
}

export interface AnalyticsSnapshot {
  asOf: Date;
  asOfDay: string;
  timeZone: string;
  venueGapDays: number | null;
  refreshedAt: Date;
  durationMs: number;
  summary: AnalyticsSummary;
}

/** The latest snapshot, or null before the first refresh. */
export async function readSnapshot(db: DbOrTx): Promise<AnalyticsSnapshot | null> {
  const st = schema.analyticsState;
  const [row] = await db.select().from(st).where(eq(st.id, 1));
  if (!row) return null;
  return {
    asOf: row.asOf,
    asOfDay: row.asOfDay,
    timeZone: row.timeZone,
    venueGapDays: row.venueGapDays === null ? null : Number(row.venueGapDays),
    refreshedAt: row.refreshedAt,
    durationMs: row.durationMs,
    summary: row.summary as unknown as AnalyticsSummary,
  };
}
