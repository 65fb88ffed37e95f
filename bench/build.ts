import { refreshAnalytics } from "@xplorium/core/analytics";
import type { DbHandle } from "@xplorium/db";
import { ledgerDrift } from "../packages/core/src/loyalty/ledger";
import { generateBenchData } from "./generate";

export const BENCH_TIME_ZONE = "Europe/Belgrade";

/**
 * Generates the data set on a migrated, empty database, then checks it with the product's own
 * `ledgerDrift` (balance = sum(ledger) for every customer; the load skipped the triggers that
 * enforce it), refreshes the analytics snapshot with the product's refresh and ANALYZEs.
 */
export async function buildBenchDatabase(
  handle: DbHandle,
  opts: { customers: number; log?: (line: string) => void },
) {
  const log = opts.log ?? (() => {});
  const counts = await generateBenchData(handle.sql, opts);
  let t0 = performance.now();
  const drift = [...(await ledgerDrift(handle.db, 10))];
  if (drift.length > 0) {
    throw new Error(`generated ledger drifts from balances: ${JSON.stringify(drift)}`);
  }
  log(`  ledgerDrift: none (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  t0 = performance.now();
  await handle.sql.unsafe("analyze");
  const refresh = await refreshAnalytics({ db: handle.db, config: { TIME_ZONE: BENCH_TIME_ZONE } });
  await handle.sql.unsafe("vacuum analyze");
  log(
    `  analytics refresh ${(refresh.durationMs / 1000).toFixed(1)} s; vacuum analyze: ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return counts;
}
