import { dropExpiredSecretBodies } from "@xplorium/core/messaging";
import type { Database } from "@xplorium/db";
import type { Task } from "graphile-worker";

export const DROP_EXPIRED_SECRET_BODIES_TASK = "email:drop-expired-secret-bodies";

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
      helpers.logger.info(`${DROP_EXPIRED_SECRET_BODIES_TASK}: ${dropped} expired code emails`);
    }
  };
}
