import type { Env } from "@xplorium/config";
import { expireVouchers } from "@xplorium/core/loyalty";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";
import { jobTask } from "./job-deps";

/**
 * Daily: marks ISSUED vouchers past their expiry as EXPIRED, in one statement. No points are
 * refunded (the expiry policy in packages/core/src/loyalty/vouchers.ts). Lookups already show
 * such vouchers as expired, so the hour it runs at does not matter; running it twice is harmless.
 */
export function expireVouchersTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, _payload, helpers) => {
    const count = await expireVouchers(deps);
    helpers.logger.info(`${JOBS.expireVouchers}: ${count} vouchers expired`);
  });
}
