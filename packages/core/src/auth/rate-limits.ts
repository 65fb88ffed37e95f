import { hitRateLimit, type RateLimitRule } from "@xplorium/auth";
import type { DbOrTx } from "@xplorium/db";
import { AppError } from "../errors";

/** Limits on the sign-in endpoints, per email and per client IP (kept in PostgreSQL). */
export const AUTH_LIMITS = {
  staffSignInPerEmail: { limit: 10, windowSeconds: 15 * 60 },
  staffSignInPerIp: { limit: 30, windowSeconds: 15 * 60 },
  codeRequestPerEmail: { limit: 5, windowSeconds: 15 * 60 },
  codeRequestPerIp: { limit: 30, windowSeconds: 15 * 60 },
  codeCheckPerEmail: { limit: 10, windowSeconds: 15 * 60 },
  codeCheckPerIp: { limit: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

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
      `Too many attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      { retryAfterSeconds: retryAfter },
    );
  }
}
