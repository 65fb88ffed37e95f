import type { Env } from "@xplorium/config";
import { CUSTOMER_SYNC_TASK, runCustomerSync } from "@xplorium/core/customers";
import type { Database } from "@xplorium/db";
import type { Task } from "graphile-worker";
import { z } from "zod";
import { jobTask } from "./job-deps";
import { ANALYTICS_REFRESH_JOB_KEY, ANALYTICS_REFRESH_TASK } from "./refresh-analytics";

const payload = z.object({
  jobRunId: z.uuid(),
  // The request that asked for the sync, for its audit row.
  requestId: z.string().nullish(),
  ip: z.string().nullish(),
});

/**
 * Sync from bookings for one job_runs row. A failure is recorded on the run (staff see it and
 * can start another) rather than retried; a finished run is skipped, so a retry is harmless.
 */
export function syncCustomersTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, raw, helpers) => {
    const { jobRunId, requestId, ip } = payload.parse(raw);
    // The audit row carries the request that asked for the sync, not the job's id.
    const meta = { ip: ip ?? null, userAgent: null, requestId: requestId ?? null };
    const run = await runCustomerSync({ ...deps, meta }, { jobRunId });
    if (run.outcome === "failed") {
      helpers.logger.error(`${CUSTOMER_SYNC_TASK} ${jobRunId} failed: ${String(run.error)}`, {
        error: run.error,
      });
    } else if (run.outcome === "succeeded") {
      const r = run.result;
      helpers.logger.info(
        `${CUSTOMER_SYNC_TASK} ${jobRunId}: ${r.created} created, ${r.updated} updated, ${r.linked} linked, ${r.unlinked} unlinked`,
      );
      // New customers and linked bookings: the dashboard's snapshot follows.
      await helpers.addJob(ANALYTICS_REFRESH_TASK, {}, { jobKey: ANALYTICS_REFRESH_JOB_KEY });
    } else {
      helpers.logger.info(`${CUSTOMER_SYNC_TASK} ${jobRunId}: already finished`);
    }
  });
}
