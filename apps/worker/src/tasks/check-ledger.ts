import type { Env } from "@xplorium/config";
import { checkLedger } from "@xplorium/core/loyalty";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";
import { jobTask } from "./job-deps";

/**
 * Daily: proves every points balance equals its ledger sum and logs an error naming the
 * customers when one does not (the result is kept in job_runs, kind `ledger-check`). Drift is
 * reported, not retried: running again would find the same.
 */
export function checkLedgerTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, _payload, helpers) => {
    const { drift, jobRunId } = await checkLedger(deps);
    if (drift.length === 0) {
      helpers.logger.info(`${JOBS.checkLedger}: every balance matches its ledger`);
      return;
    }
    helpers.logger.error(
      `${JOBS.checkLedger}: points balance differs from the ledger for ${drift.length} customer(s): ${drift
        .map((d) => `${d.customerId} (balance ${d.balance}, ledger ${d.ledgerSum})`)
        .join(", ")} — job run ${jobRunId}`,
      { drift },
    );
  });
}
