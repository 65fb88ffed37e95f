import { purgeExpiredSessions, purgeRateLimitBuckets, purgeStaleLoginCodes } from "@xplorium/auth";
import type { Database } from "@xplorium/db";
import { dropUndeliveredErasureEmails } from "@xplorium/email";
import type { Task } from "graphile-worker";

export const PURGE_EXPIRED_AUTH_TASK = "auth:purge-expired";

/**
 * Hourly: drops sessions past their inactivity timeout, dead login codes and old rate-limit
 * windows, and the address of any erasure confirmation email that could not be delivered.
 */
export function purgeExpiredAuthTask(db: Database): Task {
  return async (_payload, helpers) => {
    const now = new Date();
    const sessions = await purgeExpiredSessions(db, now);
    const codes = await purgeStaleLoginCodes(db, now);
    const buckets = await purgeRateLimitBuckets(db, now);
    const erasureEmails = await dropUndeliveredErasureEmails(db, now);
    helpers.logger.info(
      `${PURGE_EXPIRED_AUTH_TASK}: ${sessions} sessions, ${codes} login codes, ${buckets} rate-limit buckets, ${erasureEmails} undelivered erasure emails`,
    );
  };
}
