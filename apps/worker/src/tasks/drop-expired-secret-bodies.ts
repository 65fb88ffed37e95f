import { dropExpiredSecretBodies } from "@xplorium/core/messaging";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";

/**
 * Every minute: the development outbox keeps a secret email's body (sign-in or sign-up code,
 * magic link, staff password-reset link) only while its code works, so it is dropped within a
 * minute of the expiry rather than at the next hourly auth purge. Only recent outbox rows are
 * looked at (an index range); the hourly purge sweeps the rest. `clock` lets tests pick `now`.
 */
export function dropExpiredSecretBodiesTask(db: Database, clock = () => new Date()): Task {
  return async (_payload, helpers) => {
    const dropped = await dropExpiredSecretBodies(db, clock(), { recentOutbox: true });
    if (dropped > 0) {
      helpers.logger.info(`${JOBS.dropExpiredSecretBodies}: ${dropped} expired code emails`);
    }
  };
}
