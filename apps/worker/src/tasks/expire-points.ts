import type { Env } from "@xplorium/config";
import { runPointsExpiry } from "@xplorium/core/loyalty";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";
import { jobTask } from "./job-deps";

/**
 * Daily: warns customers whose points expire soon and expires the points of those past their
 * date (POINTS_EXPIRY_MONTHS; off by default). Safe to run twice: warnings are once per
 * customer per date and expiry postings are idempotent.
 */
export function expirePointsTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, _payload, helpers) => {
    const r = await runPointsExpiry(deps);
    helpers.logger.info(
      r.enabled
        ? `${JOBS.expirePoints}: ${r.warned} warned, ${r.expired} expired (${r.pointsExpired} points)`
        : `${JOBS.expirePoints}: points expiry is off (POINTS_EXPIRY_MONTHS=0)`,
    );
  });
}
