import { createHash } from "node:crypto";
import { hitRateLimit, type ProgressiveDelayRule, type RateLimitRule } from "@xplorium/auth";
import type { DbOrTx } from "@xplorium/db";
import { AppError } from "../errors";

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * Limits on the sign-in endpoints, per address and per client IP (kept in PostgreSQL so they
 * hold across instances). Every per-address limit counts an address with an account and one
 * without alike, so none of them tells who is a customer. Windows are fixed, from the first hit.
 */
export const AUTH_LIMITS = {
  /** Staff sign-in tries from one client IP, any email. Per account: STAFF_SIGN_IN_DELAY. */
  staffSignInPerIp: { limit: 30, windowSeconds: 15 * MINUTE },
  /** Code emails for one address: a few retries now… */
  codeRequestPerEmail: { limit: 5, windowSeconds: 15 * MINUTE },
  /**
   * …and at most 10 a day, so nobody can keep filling someone's inbox (480 a day under the
   * 15-minute limit alone). A family signs in a few times a day at most.
   */
  codeRequestPerEmailDaily: { limit: 10, windowSeconds: DAY },
  codeRequestPerIp: { limit: 30, windowSeconds: 15 * MINUTE },
  /** Code checks for one address (right or wrong), whatever codes were sent to it… */
  codeCheckPerEmail: { limit: 10, windowSeconds: 15 * MINUTE },
  /**
   * …and at most 20 a day. A code has 20 bits: 20 guesses a day at one address is one chance
   * in 50,000 a day (each code also dies after 5 wrong tries, LOGIN_CODE_MAX_ATTEMPTS and
   * SIGN_UP_CODE_MAX_ATTEMPTS), where the 15-minute limit alone allowed 960 a day. Someone
   * who burns an address's checks for the day does not lock its owner out: the magic link in
   * a fresh code email still signs them in (it is limited per IP only; its secret is 256 bits).
   */
  codeCheckPerEmailDaily: { limit: 20, windowSeconds: DAY },
  codeCheckPerIp: { limit: 60, windowSeconds: 15 * MINUTE },
} satisfies Record<string, RateLimitRule>;

/**
 * Staff sign-in, per email (a member's or not: unknown emails wait alike). No lockout, which
 * anyone could trigger to keep a member out: five wrong passwords in a row are free, then each
 * further try waits 1 s after the last, doubling to at most 5 minutes (1, 2, 4 … 256, 300):
 * about 12 guesses an hour once at the cap, against a password of 12+ characters that is not on
 * the common list, while the member waits at most 5 minutes for their next try. A right
 * password clears it; a day without tries forgets it. Refused tries (429) do not count.
 */
export const STAFF_SIGN_IN_DELAY: ProgressiveDelayRule = {
  freeFailures: 5,
  firstDelaySeconds: 1,
  maxDelaySeconds: 5 * MINUTE,
  forgetAfterSeconds: DAY,
};

/**
 * A rate-limit key for an email address that does not hold the address (the buckets outlive an
 * erasure by up to a day): the prefix and a SHA-256 of the address.
 */
export function addressKey(prefix: string, email: string): string {
  return `${prefix}:${createHash("sha256").update(email, "utf8").digest("hex")}`;
}

/** "Try again in 8 seconds / 2 minute(s) / 23 hour(s)." */
export function tryAgainIn(seconds: number): string {
  if (seconds < MINUTE) return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  if (seconds <= 2 * 60 * MINUTE) return `Try again in ${Math.ceil(seconds / MINUTE)} minute(s).`;
  return `Try again in ${Math.ceil(seconds / (60 * MINUTE))} hour(s).`;
}

/** Counts one hit on every key; throws TOO_MANY_REQUESTS if any is over its limit. */
export async function enforceRateLimits(
  db: DbOrTx,
  checks: { key: string; rule: RateLimitRule }[],
  now = new Date(),
): Promise<void> {
  let retryAfter = 0;
  for (const { key, rule } of checks) {
    const result = await hitRateLimit(db, key, rule, now);
    if (!result.allowed) retryAfter = Math.max(retryAfter, result.retryAfterSeconds);
  }
  if (retryAfter > 0) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many attempts. ${tryAgainIn(Math.max(retryAfter, MINUTE))}`,
      { retryAfterSeconds: retryAfter },
    );
  }
}
