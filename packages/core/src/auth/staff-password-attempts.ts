import { clearDelayedAttempts, hitRateLimit, takeDelayedAttempt } from "@xplorium/auth";
import { type DbOrTx, schema } from "@xplorium/db";
import { and, eq, gt, like, or, sql } from "drizzle-orm";
import type { RequestMeta } from "../actor";
import { AppError } from "../errors";
import {
  AUTH_LIMITS,
  addressIpKey,
  addressKey,
  STAFF_SIGN_IN_ACCOUNT_WIDE,
  STAFF_SIGN_IN_DELAY,
  tryAgainIn,
} from "./rate-limits";

const { rateLimitBuckets } = schema;

/** Rolls back the counts of a refused try: it counts nowhere. */
class Refused extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    /** The wait the message names (the fixed limits name at least a minute, as enforceRateLimits). */
    readonly shownSeconds = retryAfterSeconds,
  ) {
    super("refused");
  }
}

/**
 * Takes one staff password try (the sign-in form, and the current password on a change), counted
 * up front as a failure, or throws TOO_MANY_REQUESTS (429 with Retry-After), the same for every
 * email, a member's or not:
 *
 * - the per-IP limit (AUTH_LIMITS.staffSignInPerIp);
 * - the progressive delay for this email from this client IP (STAFF_SIGN_IN_DELAY), so a
 *   stranger's wrong passwords hold up only the stranger's IP, never the member's own;
 * - the account-wide safeguard (STAFF_SIGN_IN_ACCOUNT_WIDE): each IP's first failures count
 *   towards the email's day; past the threshold every try also takes the same delay for the
 *   account as a whole.
 *
 * A refused try counts nowhere (one transaction, rolled back), so the member's tries refused
 * while they wait spend neither their IP's limit nor build up a delay of their own.
 *
 * Returns what to hand to clearStaffPasswordAttempt when the password was right.
 */
export async function takeStaffPasswordAttempt(
  db: DbOrTx,
  email: string,
  meta: RequestMeta,
  now: Date,
): Promise<StaffPasswordAttempt> {
  const ipLimitKey = `staff-sign-in:ip:${meta.ip ?? "unknown"}`;
  const ipKey = addressIpKey("staff-sign-in-delay", email, meta.ip);
  const failuresKey = addressKey("staff-sign-in-failures", email);
  const accountKey = addressKey("staff-sign-in-delay", email);
  const { failuresPerIp, failuresBeforeDelay, windowSeconds } = STAFF_SIGN_IN_ACCOUNT_WIDE;
  let counted = false;
  let delayed = false;
  const refused = await db
    .transaction(async (tx) => {
      const fromIp = await hitRateLimit(tx, ipLimitKey, AUTH_LIMITS.staffSignInPerIp, now);
      if (!fromIp.allowed) {
        const seconds = fromIp.retryAfterSeconds;
        throw new Refused(seconds, Math.max(seconds, 60));
      }
      const own = await takeDelayedAttempt(tx, ipKey, STAFF_SIGN_IN_DELAY, now);
      if (!own.allowed) throw new Refused(own.retryAfterSeconds);
      let accountWide: boolean;
      counted = own.failures <= failuresPerIp;
      if (counted) {
        const day = await hitRateLimit(
          tx,
          failuresKey,
          { limit: failuresBeforeDelay, windowSeconds },
          now,
        );
        accountWide = !day.allowed;
      } else {
        const [day] = await tx
          .select({ count: rateLimitBuckets.count })
          .from(rateLimitBuckets)
          .where(and(eq(rateLimitBuckets.key, failuresKey), gt(rateLimitBuckets.resetAt, now)));
        accountWide = (day?.count ?? 0) > failuresBeforeDelay;
      }
      if (accountWide) {
        const account = await takeDelayedAttempt(tx, accountKey, STAFF_SIGN_IN_DELAY, now);
        if (!account.allowed) throw new Refused(account.retryAfterSeconds);
        delayed = true;
      }
      return null;
    })
    .catch((error: unknown) => {
      if (error instanceof Refused) return error;
      throw error;
    });
  if (refused) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many attempts. ${tryAgainIn(refused.shownSeconds)}`,
      { retryAfterSeconds: refused.retryAfterSeconds },
    );
  }
  return {
    ipKey,
    accountCountKey: counted ? failuresKey : null,
    accountDelayKey: delayed ? accountKey : null,
  };
}

/** A try taken by takeStaffPasswordAttempt (counted as a failure until proven right). */
export interface StaffPasswordAttempt {
  ipKey: string;
  /** The account's day count, when this try was counted in it. */
  accountCountKey: string | null;
  /** The account-wide delay, when this try went through it. */
  accountDelayKey: string | null;
}

/**
 * A right password: that IP's delay starts from nothing again, and the try no longer counts as
 * a failure towards the account's day or its delay (a member signing in often does not bring the
 * account-wide delay nearer). The account-wide delay itself stays: a distributed guesser would
 * otherwise get it lifted by waiting for the member to sign in.
 */
export async function clearStaffPasswordAttempt(
  db: DbOrTx,
  attempt: StaffPasswordAttempt,
): Promise<void> {
  await clearDelayedAttempts(db, attempt.ipKey);
  for (const key of [attempt.accountCountKey, attempt.accountDelayKey]) {
    if (!key) continue;
    await db
      .update(rateLimitBuckets)
      .set({ count: sql`greatest(${rateLimitBuckets.count} - 1, 0)` })
      .where(eq(rateLimitBuckets.key, key));
  }
}

/**
 * Forgets every delay and count for an email, from every IP (a password reset: whoever holds
 * the mailbox chose a new password, so guesses at the old one no longer matter).
 */
export async function clearAllStaffPasswordAttempts(db: DbOrTx, email: string): Promise<void> {
  const delays = addressKey("staff-sign-in-delay", email);
  await db
    .delete(rateLimitBuckets)
    .where(
      or(
        eq(rateLimitBuckets.key, delays),
        like(rateLimitBuckets.key, `${delays}:ip:%`),
        eq(rateLimitBuckets.key, addressKey("staff-sign-in-failures", email)),
      ),
    );
}
