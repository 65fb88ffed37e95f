import {
  clearDelayedAttempts,
  type ProgressiveDelayRule,
  progressiveDelaySeconds,
  takeDelayedAttempt,
} from "@xplorium/auth";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../tests/support/test-database";

/*
 * Issue 14, finding 9: the staff lockout (refused for 15 minutes after ten wrong tries, so
 * anyone could lock a member out) became a progressive delay kept in rate_limit_buckets.
 * These are the primitive's rules; staff sign-in's use of it is tested in @xplorium/core.
 */

const t = useTestDatabase();

const T0 = new Date("2026-05-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const rule: ProgressiveDelayRule = {
  freeFailures: 3,
  firstDelaySeconds: 1,
  maxDelaySeconds: 8,
  forgetAfterSeconds: 3600,
};
let n = 0;
const key = () => `test:delay:${n++}`;

describe("progressive delay", () => {
  it("computes 0 while failures are free, then doubles up to the cap", () => {
    expect(
      [0, 1, 2, 3, 4, 5, 6, 7, 50, 10_000].map((f) => progressiveDelaySeconds(rule, f)),
    ).toEqual([0, 0, 0, 1, 2, 4, 8, 8, 8, 8]);
  });

  it("lets the free failures through, then asks for a growing wait after the last one", async () => {
    const k = key();
    for (let i = 0; i < 3; i++) {
      expect(await takeDelayedAttempt(t.db, k, rule, T0)).toEqual({
        allowed: true,
        failures: i + 1,
      });
    }
    // Three failures: wait 1 s after the last one.
    expect(await takeDelayedAttempt(t.db, k, rule, at(200))).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    expect(await takeDelayedAttempt(t.db, k, rule, at(1000))).toEqual({
      allowed: true,
      failures: 4,
    });
    // Four: 2 s after the attempt at +1 s. Refused tries in between change nothing.
    for (const ms of [1000, 1500, 2500]) {
      expect((await takeDelayedAttempt(t.db, k, rule, at(ms))).allowed).toBe(false);
    }
    expect(await takeDelayedAttempt(t.db, k, rule, at(2500))).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    expect((await takeDelayedAttempt(t.db, k, rule, at(3000))).allowed).toBe(true);
    // Five: 4 s; six: 8 s; then the cap holds at 8 s.
    expect(await takeDelayedAttempt(t.db, k, rule, at(3000))).toEqual({
      allowed: false,
      retryAfterSeconds: 4,
    });
    expect((await takeDelayedAttempt(t.db, k, rule, at(7000))).allowed).toBe(true);
    expect(await takeDelayedAttempt(t.db, k, rule, at(7000))).toEqual({
      allowed: false,
      retryAfterSeconds: 8,
    });
    expect((await takeDelayedAttempt(t.db, k, rule, at(15_000))).allowed).toBe(true);
    expect(await takeDelayedAttempt(t.db, k, rule, at(15_000))).toEqual({
      allowed: false,
      retryAfterSeconds: 8,
    });
  });

  it("gives many attempts at once a single try between them", async () => {
    const k = key();
    for (let i = 0; i < 3; i++) await takeDelayedAttempt(t.db, k, rule, T0);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => takeDelayedAttempt(t.db, k, rule, at(1000))),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(1);
  });

  it("is cleared by a success, and forgotten after a quiet spell", async () => {
    const k = key();
    for (let i = 0; i < 3; i++) await takeDelayedAttempt(t.db, k, rule, T0);
    await clearDelayedAttempts(t.db, k);
    expect(await takeDelayedAttempt(t.db, k, rule, T0)).toEqual({ allowed: true, failures: 1 });

    const quiet = key();
    for (let i = 0; i < 6; i++) await takeDelayedAttempt(t.db, quiet, rule, at(i * 60_000));
    expect((await takeDelayedAttempt(t.db, quiet, rule, at(5 * 60_000 + 1000))).allowed).toBe(
      false,
    );
    expect(
      await takeDelayedAttempt(t.db, quiet, rule, at(5 * 60_000 + rule.forgetAfterSeconds * 1000)),
    ).toEqual({ allowed: true, failures: 1 });
  });
});
