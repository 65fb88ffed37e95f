import type { Env } from "@xplorium/config";
import { runCustomerSync } from "@xplorium/core/customers";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";
import { z } from "zod";
import { jobTask } from "./job-deps";
import { ANALYTICS_REFRESH_JOB_KEY } from "./refresh-analytics";

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
      helpers.logger.error(`${JOBS.syncCustomers} ${jobRunId} failed: ${String(run.error)}`, {
        error: run.error,
      });
    } else if (run.outcome === "succeeded") {
      const r = run.result;
      helpers.logger.info(
        `${JOBS.syncCustomers} ${jobRunId}: ${r.created} created, ${r.updated} updated, ${r.linked} linked, ${r.unlinked} unlinked`,
      );
      // New customers and linked bookings: the dashboard's snapshot follows.
      await helpers.addJob(JOBS.refreshAnalytics, {}, { jobKey: ANALYTICS_REFRESH_JOB_KEY });
    } else {
      helpers.logger.info(`${JOBS.syncCustomers} ${jobRunId}: already finished`);
    }
  });
}
