import { purgeExpiredSessions, purgeRateLimitBuckets, purgeStaleLoginCodes } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { purgeExpiredSignInChallenges, purgeStalePasswordResets } from "@xplorium/core/auth";
import { dropExpiredSecretBodies, dropUndeliveredErasureEmails } from "@xplorium/core/messaging";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";

/**
 * Hourly: drops sessions past their inactivity timeout or their absolute lifetime
 * (STAFF_SESSION_MAX_DAYS / CUSTOMER_SESSION_MAX_DAYS), dead login codes and old rate-limit
 * windows, the address of any erasure confirmation email that could not be delivered, and the
 * body of any sign-in or sign-up code email whose code has expired (the development outbox's).
 * Also staff password reset links that were used, replaced or have expired, and two-factor
 * sign-in challenges (the step after the password) that have expired.
 */
export function purgeExpiredAuthTask(
  db: Database,
  env: Pick<Env, "STAFF_SESSION_MAX_DAYS" | "CUSTOMER_SESSION_MAX_DAYS">,
): Task {
  return async (_payload, helpers) => {
    const now = new Date();
    const sessions = await purgeExpiredSessions(db, now, {
      STAFF: env.STAFF_SESSION_MAX_DAYS,
      CUSTOMER: env.CUSTOMER_SESSION_MAX_DAYS,
    });
    const codes = await purgeStaleLoginCodes(db, now);
    const buckets = await purgeRateLimitBuckets(db, now);
    const resets = await purgeStalePasswordResets(db, now);
    const challenges = await purgeExpiredSignInChallenges(db, now);
    const erasureEmails = await dropUndeliveredErasureEmails(db, now);
    const secretBodies = await dropExpiredSecretBodies(db, now);
    helpers.logger.info(
      `${JOBS.purgeExpiredAuth}: ${sessions} sessions, ${codes} login codes, ${buckets} rate-limit buckets, ${resets} password reset links, ${challenges} two-factor challenges, ${erasureEmails} undelivered erasure emails, ${secretBodies} expired code emails`,
    );
  };
}
