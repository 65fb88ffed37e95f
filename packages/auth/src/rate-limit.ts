import { type DbOrTx, schema } from "@xplorium/db";
import { eq, lt, sql } from "drizzle-orm";

const { rateLimitBuckets } = schema;

export interface RateLimitRule {
  /** Most hits allowed per window. */
  limit: number;
  windowSeconds: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed-window counter in PostgreSQL, so the limit holds across every app instance.
 * One upsert: atomic under concurrency, no read-then-write race.
 */
export async function hitRateLimit(
  db: DbOrTx,
  key: string,
  rule: RateLimitRule,
  now = new Date(),
): Promise<RateLimitResult> {
  const resetAt = new Date(now.getTime() + rule.windowSeconds * 1000);
  const [row] = await db
    .insert(rateLimitBuckets)
    .values({ key, count: 1, resetAt })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        count: sql`case when ${rateLimitBuckets.resetAt} <= ${now.toISOString()}::timestamptz then 1 else ${rateLimitBuckets.count} + 1 end`,
        resetAt: sql`case when ${rateLimitBuckets.resetAt} <= ${now.toISOString()}::timestamptz then ${resetAt.toISOString()}::timestamptz else ${rateLimitBuckets.resetAt} end`,
      },
    })
    .returning({ count: rateLimitBuckets.count, resetAt: rateLimitBuckets.resetAt });
  if (!row || row.count <= rule.limit) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((row.resetAt.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * A progressive delay: after `freeFailures` failures in a row, each further attempt must wait
 * `firstDelaySeconds` after the last one, doubling with every further failure up to
 * `maxDelaySeconds`. A success clears it; so does a quiet `forgetAfterSeconds`.
 */
export interface ProgressiveDelayRule {
  freeFailures: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}

/** The wait after `failures` failures in a row (0 while they are free). */
export function progressiveDelaySeconds(rule: ProgressiveDelayRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  // 2 ** (failures - free) overflows nothing that matters: the cap is applied first past 2^30.
  const doublings = Math.min(failures - rule.freeFailures, 30);
  return Math.min(rule.maxDelaySeconds, rule.firstDelaySeconds * 2 ** doublings);
}

export type DelayedAttemptResult =
  | { allowed: true; failures: number }
  | { allowed: false; retryAfterSeconds: number };

/**
 * Takes the next attempt under a progressive delay, or says how long to wait. The attempt is
 * counted as a failure up front (`count` = failures in a row, `reset_at` = the last attempt +
 * `forgetAfterSeconds`), in one upsert that only goes through when the wait has passed: many
 * attempts at once get one try between them, never one each. Call `clearDelayedAttempts` on
 * success. A refused attempt changes nothing, so hammering does not lengthen the wait.
 */
export async function takeDelayedAttempt(
  db: DbOrTx,
  key: string,
  rule: ProgressiveDelayRule,
  now = new Date(),
): Promise<DelayedAttemptResult> {
  const at = now.toISOString();
  const forgetAt = new Date(now.getTime() + rule.forgetAfterSeconds * 1000);
  const b = rateLimitBuckets;
  // The time the wait after the stored failures ends: the last attempt plus the delay for them.
  const waitEnds = sql`${b.resetAt} - make_interval(secs => ${rule.forgetAfterSeconds}::float8) + make_interval(secs => least(${rule.maxDelaySeconds}::float8, ${rule.firstDelaySeconds}::float8 * power(2::float8, least(${b.count} - ${rule.freeFailures}::int, 30))))`;
  const [row] = await db
    .insert(b)
    .values({ key, count: 1, resetAt: forgetAt })
    .onConflictDoUpdate({
      target: b.key,
      set: {
        count: sql`case when ${b.resetAt} <= ${at}::timestamptz then 1 else ${b.count} + 1 end`,
        resetAt: forgetAt,
      },
      setWhere: sql`${b.resetAt} <= ${at}::timestamptz or ${b.count} < ${rule.freeFailures}::int or ${waitEnds} <= ${at}::timestamptz`,
    })
    .returning({ count: b.count });
  if (row) return { allowed: true, failures: row.count };
  const [stored] = await db
    .select({ count: b.count, resetAt: b.resetAt })
    .from(b)
    .where(eq(b.key, key));
  if (!stored) return { allowed: false, retryAfterSeconds: 1 };
  const lastAttempt = stored.resetAt.getTime() - rule.forgetAfterSeconds * 1000;
  const waitEndsAt = lastAttempt + progressiveDelaySeconds(rule, stored.count) * 1000;
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((waitEndsAt - now.getTime()) / 1000)),
  };
}

/** Forgets the failures behind a progressive delay (a success). */
export async function clearDelayedAttempts(db: DbOrTx, key: string): Promise<void> {
  await db.delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}

export async function purgeRateLimitBuckets(db: DbOrTx, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(rateLimitBuckets)
    .where(lt(rateLimitBuckets.resetAt, now))
    .returning({ key: rateLimitBuckets.key });
  return deleted.length;
}
