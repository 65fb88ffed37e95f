import type { Env } from "@xplorium/config";
import { refreshAnalytics } from "@xplorium/core/analytics";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";
import { jobTask } from "./job-deps";

/** Queue it under this key, so asking again while one waits queues nothing more. */
export const ANALYTICS_REFRESH_JOB_KEY = JOBS.refreshAnalytics;

/**
 * Rebuilds the analytics snapshot (customer_analytics, analytics_daily, analytics_state) in one
 * transaction: every 30 minutes, after each sync from bookings and when the worker starts.
 * Only changed rows are rewritten; running it twice is harmless.
 */
export function refreshAnalyticsTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, _payload, helpers) => {
    const r = await refreshAnalytics(deps);
    helpers.logger.info(
      `${JOBS.refreshAnalytics}: ${r.customers} customers, ${r.changed} rows changed, ${r.removed} removed in ${r.durationMs} ms`,
    );
  });
}
