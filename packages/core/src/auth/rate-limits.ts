import { createHash } from "node:crypto";
import { hitRateLimit, type ProgressiveDelayRule, type RateLimitRule } from "@xplorium/auth";
import type { DbOrTx } from "@xplorium/db";
import { AppError } from "../errors";

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * Limits on the sign-in endpoints (kept in PostgreSQL so they hold across instances). The
 * per-address limits are kept per address *and client IP*, so one client that spends an address's
 * budget spends only its own: the owner, from another IP, still gets their code email and can
 * still check a code (issue 14, finding 9: ten requests from one IP used to keep the owner from
 * any email for a day). A looser ceiling per address across all IPs stays, reachable only by
 * several IPs at once. Every per-address limit counts an address with an account and one without
 * alike, so none of them tells who is a customer. Windows are fixed, from the first hit; a
 * refused request counts nowhere (enforceRateLimits), so hammering extends nothing.
 */
export const AUTH_LIMITS = {
  /** Staff sign-in tries from one client IP, any email. Per account: STAFF_SIGN_IN_DELAY. */
  staffSignInPerIp: { limit: 30, windowSeconds: 15 * MINUTE },
  /** Code emails for one address from one client IP: a few retries now… */
  codeRequestPerEmail: { limit: 5, windowSeconds: 15 * MINUTE },
  /** …and at most 10 a day from that IP. A family signs in a few times a day at most. */
  codeRequestPerEmailDaily: { limit: 10, windowSeconds: DAY },
  /**
   * Code emails for one address from all IPs together: at most 30 a day, so nobody can fill
   * someone's inbox (480 a day under a 15-minute limit alone). It takes three IPs each spending
   * its whole day's budget on the address to reach it; only such an attacker can keep the owner
   * from a code email for the rest of the day.
   */
  codeRequestPerEmailAllIps: { limit: 30, windowSeconds: DAY },
  codeRequestPerIp: { limit: 30, windowSeconds: 15 * MINUTE },
  /** Code checks for one address from one client IP (right or wrong), whatever codes were sent… */
  codeCheckPerEmail: { limit: 10, windowSeconds: 15 * MINUTE },
  /** …and at most 20 a day from that IP. */
  codeCheckPerEmailDaily: { limit: 20, windowSeconds: DAY },
  /**
   * Code checks for one address from all IPs together: at most 40 a day. A code has 20 bits: 40
   * guesses a day at one address is one chance in 25,000 a day (each code also dies after 5
   * wrong tries, LOGIN_CODE_MAX_ATTEMPTS and SIGN_UP_CODE_MAX_ATTEMPTS), where a 15-minute
   * limit alone allowed 960 a day. It takes two IPs each spending a whole day's checks to reach
   * it, and even then the owner is not locked out: the magic link in a fresh code email still
   * signs them in (it is limited per IP only; its secret is 256 bits).
   */
  codeCheckPerEmailAllIps: { limit: 40, windowSeconds: DAY },
  codeCheckPerIp: { limit: 60, windowSeconds: 15 * MINUTE },
} satisfies Record<string, RateLimitRule>;

/**
 * Staff password checks (sign-in, and the current password on a change), per email and client
 * IP (a member's email or not: unknown emails wait alike). No lockout, which anyone could trigger
 * to keep a member out: five wrong passwords in a row are free, then each further try from that
 * IP waits 1 s after the last, doubling to at most 5 minutes (1, 2, 4 … 256, 300): about 12
 * guesses an hour per IP once at the cap, against a password of 12+ characters that is not on
 * the common list. Kept per IP, so a stranger's wrong passwords delay only the stranger: the
 * member's right password from their own IP is heard at once. A right password clears that IP's
 * delay; a day without tries forgets it. Refused tries (429) do not count. The same rule, for the
 * account as a whole, applies once STAFF_SIGN_IN_ACCOUNT_WIDE is reached.
 */
export const STAFF_SIGN_IN_DELAY: ProgressiveDelayRule = {
  freeFailures: 5,
  firstDelaySeconds: 1,
  maxDelaySeconds: 5 * MINUTE,
  forgetAfterSeconds: DAY,
};

/**
 * The safeguard against guessing one staff password from many IPs: each IP's first
 * `failuresPerIp` failures in a row count towards a day's total for the email; once that passes
 * `failuresBeforeDelay` (so at least ten IPs took part), every try at the email, from any IP,
 * also goes through STAFF_SIGN_IN_DELAY for the account as a whole, until a day passes from the
 * first counted failure (or a password reset). One IP can never get there, however long it
 * keeps trying; below it, at most nine IPs guess at their own delayed pace (about 290 a day
 * each). Once there, the member shares the account's slots with the attacker: slowed, told by
 * the alert email, never refused for good.
 */
export const STAFF_SIGN_IN_ACCOUNT_WIDE = {
  failuresPerIp: 10,
  failuresBeforeDelay: 100,
  windowSeconds: DAY,
};

/**
 * A rate-limit key for an email address that does not hold the address (the buckets outlive an
 * erasure by up to a day): the prefix and a SHA-256 of the address.
 */
export function addressKey(prefix: string, email: string): string {
  return `${prefix}:${createHash("sha256").update(email, "utf8").digest("hex")}`;
}

/** The key for one address and one client IP (the address hashed as in addressKey). */
export function addressIpKey(prefix: string, email: string, ip: string | null): string {
  return `${addressKey(prefix, email)}:ip:${ip ?? "unknown"}`;
}

/** "Try again in 8 seconds / 2 minute(s) / 23 hour(s)." */
export function tryAgainIn(seconds: number): string {
  if (seconds < MINUTE) return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  if (seconds <= 2 * 60 * MINUTE) return `Try again in ${Math.ceil(seconds / MINUTE)} minute(s).`;
  return `Try again in ${Math.ceil(seconds / (60 * MINUTE))} hour(s).`;
}

/**
 * Counts one hit on every key, or on none: throws TOO_MANY_REQUESTS if any is over its limit,
 * and then none of the hits counts (they are rolled back). A refused request spends nothing,
 * so an IP hammering past its own budget does not eat into a shared one (the ceiling per
 * address across all IPs), and a request refused by the shared one does not spend the
 * requester's own.
 */
export async function enforceRateLimits(
  db: DbOrTx,
  checks: { key: string; rule: RateLimitRule }[],
  now = new Date(),
): Promise<void> {
  const refused = await db
    .transaction(async (tx) => {
      let retryAfter = 0;
      for (const { key, rule } of checks) {
        const result = await hitRateLimit(tx, key, rule, now);
        if (!result.allowed) retryAfter = Math.max(retryAfter, result.retryAfterSeconds);
      }
      if (retryAfter > 0) throw new RefusedHits(retryAfter);
      return 0;
    })
    .catch((error: unknown) => {
      if (error instanceof RefusedHits) return error.retryAfterSeconds;
      throw error;
    });
  if (refused > 0) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many attempts. ${tryAgainIn(Math.max(refused, MINUTE))}`,
      { retryAfterSeconds: refused },
    );
  }
}

/** Rolls back the hits of a refused request (enforceRateLimits). */
class RefusedHits extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("refused");
  }
}
