import type { DepsWith } from "../deps";
import { CHURN_LEVELS, CHURN_RULES } from "./churn";
import { snapshotInfo } from "./dashboard";
import { RFM_GRID, RFM_SEGMENTS } from "./rfm";
import { readSnapshot } from "./summary";

/**
 * The RFM page: customers per named segment and per grid cell (recency × FM), what each score
 * covers, and how many customers are at each churn level; all from the snapshot's summary, so it
 * costs one row whatever the number of customers. Null figures before the first refresh.
 */
export async function analyticsRfm({ db }: DepsWith<"db">) {
  const snapshot = await readSnapshot(db);
  const rules = { ...CHURN_RULES, venueGapDays: snapshot?.venueGapDays ?? null };
  if (!snapshot) return { snapshot: null, rules, rfm: null };
  const s = snapshot.summary;
  const scored = s.customersWithVisits;
  return {
    snapshot: snapshotInfo(snapshot),
    rules,
    rfm: {
      customers: s.customers,
      customersWithVisits: scored,
      segments: RFM_SEGMENTS.map((segment) => ({
        segment,
        customers: s.rfm.segments[segment],
        share: scored === 0 ? 0 : s.rfm.segments[segment] / scored,
      })),
      /** Rows R = 5 … 1; each cell is FM = 1 … 5 with its segment. */
      grid: ([5, 4, 3, 2, 1] as const).map((r) => ({
        recency: r,
        cells: RFM_GRID[r].map((segment, k) => ({
          fm: k + 1,
          segment,
          customers: s.rfm.grid[r - 1]?.[k] ?? 0,
        })),
      })),
      bounds: s.rfm.bounds,
      churn: CHURN_LEVELS.map((level) => ({ level, customers: s.churn[level] })),
    },
  };
}
