import { createHash, createHmac } from "node:crypto";
import {
  hitRateLimit,
  issueLoginCode,
  LOGIN_CODE_MAX_ATTEMPTS,
  LOGIN_CODE_TTL_SECONDS,
  purgeRateLimitBuckets,
  purgeStaleLoginCodes,
  verifyLoginCode,
  verifyLoginLink,
} from "@xplorium/auth";
import { insertCustomer } from "@xplorium/db/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../tests/support/test-database";

const t = useTestDatabase();

const SECRET = "test-server-secret-0123456789-abcdefghij";
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A 6-digit code that is certainly not `code`. */
const wrong = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, "0");

async function codeRow(id: string) {
  const [row] = await t.sql`select * from login_codes where id = ${id}`;
  return row;
}

describe("issueLoginCode", () => {
  it("stores the code and link only as hashes", async () => {
    const c = await insertCustomer(t.db);
    const issued = await issueLoginCode(t.db, c.id, SECRET, T0);
    expect(issued.code).toMatch(/^\d{6}$/);
    const [linkId, linkSecret] = issued.linkToken.split(".") as [string, string];
    expect(linkId).toBe(issued.id);
    expect(linkSecret).toMatch(/^[a-z2-9]{32}$/);
    expect(issued.expiresAt.getTime()).toBe(T0.getTime() + LOGIN_CODE_TTL_SECONDS * 1000);
    expect(LOGIN_CODE_TTL_SECONDS).toBe(600);

    const row = await codeRow(issued.id);
    expect(row).toBeDefined();
    // HMAC keyed by the server secret over `id:code` (a plain hash of 6 digits is brute-forceable).
    const expected = createHmac("sha256", SECRET).update(`${issued.id}:${issued.code}`).digest();
    expect(Buffer.from(row!.code_hash).equals(expected)).toBe(true);
    expect(
      Buffer.from(row!.code_hash).equals(createHash("sha256").update(issued.code).digest()),
    ).toBe(false);
    expect(
      Buffer.from(row!.link_secret_hash).equals(createHash("sha256").update(linkSecret).digest()),
    ).toBe(true);
    const stored = Object.values(row!)
      .map((v) =>
        v instanceof Uint8Array
          ? `${Buffer.from(v).toString("hex")}|${Buffer.from(v).toString("latin1")}`
          : String(v),
      )
      .join("|");
    expect(stored).not.toContain(linkSecret);
    expect(Buffer.from(row!.code_hash).toString("latin1")).not.toContain(issued.code);
    expect(row!.attempts).toBe(0);
    expect(row!.consumed_at).toBeNull();
  });

  it("a new code makes the previous code and link stop working", async () => {
    const c = await insertCustomer(t.db);
    const first = await issueLoginCode(t.db, c.id, SECRET, T0);
    let issuedAt = 1000;
    let second = await issueLoginCode(t.db, c.id, SECRET, at(issuedAt));
    while (second.code === first.code)
      second = await issueLoginCode(t.db, c.id, SECRET, at(++issuedAt));

    expect(await verifyLoginCode(t.db, c.id, first.code, SECRET, at(2000))).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyLoginLink(t.db, first.linkToken, at(2000))).toEqual({
      ok: false,
      reason: "used",
    });
    expect(await verifyLoginCode(t.db, c.id, second.code, SECRET, at(3000))).toEqual({
      ok: true,
      customerId: c.id,
    });
  });
});

describe("verifyLoginCode", () => {
  it("accepts the right code once, then reports it used", async () => {
    const c = await insertCustomer(t.db);
    const { code, id } = await issueLoginCode(t.db, c.id, SECRET, T0);
    expect(await verifyLoginCode(t.db, c.id, code, SECRET, at(1000))).toEqual({
      ok: true,
      customerId: c.id,
    });
    expect(new Date((await codeRow(id))!.consumed_at).getTime()).toBe(at(1000).getTime());
    expect(await verifyLoginCode(t.db, c.id, code, SECRET, at(2000))).toEqual({
      ok: false,
      reason: "used",
    });
  });

  it("does not accept one customer's code for another customer", async () => {
    const a = await insertCustomer(t.db);
    const b = await insertCustomer(t.db);
    const codeA = await issueLoginCode(t.db, a.id, SECRET, T0);
    let issuedAt = 0;
    let codeB = await issueLoginCode(t.db, b.id, SECRET, T0);
    while (codeB.code === codeA.code)
      codeB = await issueLoginCode(t.db, b.id, SECRET, at(++issuedAt));
    expect(await verifyLoginCode(t.db, b.id, codeA.code, SECRET, at(1000))).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await verifyLoginCode(t.db, a.id, codeA.code, SECRET, at(1000))).toEqual({
      ok: true,
      customerId: a.id,
    });
  });

  it("does not accept the code under a different server secret", async () => {
    const c = await insertCustomer(t.db);
    const { code } = await issueLoginCode(t.db, c.id, SECRET, T0);
    expect(await verifyLoginCode(t.db, c.id, code, `${SECRET}-rotated`, at(1000))).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("reports invalid for a customer who never asked for a code", async () => {
    const c = await insertCustomer(t.db);
    expect(await verifyLoginCode(t.db, c.id, "123456", SECRET, T0)).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("expires after the TTL", async () => {
    const c = await insertCustomer(t.db);
    const ttl = LOGIN_CODE_TTL_SECONDS * 1000;
    const { code } = await issueLoginCode(t.db, c.id, SECRET, T0);
    expect(await verifyLoginCode(t.db, c.id, code, SECRET, at(ttl))).toEqual({
      ok: false,
      reason: "expired",
    });
    const fresh = await issueLoginCode(t.db, c.id, SECRET, at(1000));
    expect(await verifyLoginCode(t.db, c.id, fresh.code, SECRET, at(ttl))).toEqual({
      ok: true,
      customerId: c.id,
    });
  });

  it("locks the code after 5 wrong attempts, even for the right code", async () => {
    expect(LOGIN_CODE_MAX_ATTEMPTS).toBe(5);
    const c = await insertCustomer(t.db);
    const { code, id } = await issueLoginCode(t.db, c.id, SECRET, T0);
    const results = [];
    for (let i = 1; i <= 5; i++)
      results.push(await verifyLoginCode(t.db, c.id, wrong(code, i), SECRET, at(i * 1000)));
    expect(results.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
      "invalid",
      "invalid",
      "invalid",
      "invalid",
      "too_many_attempts",
    ]);
    expect(await verifyLoginCode(t.db, c.id, code, SECRET, at(10_000))).toEqual({
      ok: false,
      reason: "too_many_attempts",
    });
    expect((await codeRow(id))!.attempts).toBe(5);
    expect((await codeRow(id))!.consumed_at).toBeNull();
  });

  it("counts malformed input as a wrong attempt", async () => {
    const c = await insertCustomer(t.db);
    const { id } = await issueLoginCode(t.db, c.id, SECRET, T0);
    for (const bad of ["", "12345", "1234567", "abcdef", " 12345"]) {
      expect((await verifyLoginCode(t.db, c.id, bad, SECRET, at(1000))).ok).toBe(false);
    }
    expect((await codeRow(id))!.attempts).toBe(5);
  });

  it("the right code after 4 wrong tries still works", async () => {
    const c = await insertCustomer(t.db);
    const { code } = await issueLoginCode(t.db, c.id, SECRET, T0);
    for (let i = 1; i <= 4; i++)
      await verifyLoginCode(t.db, c.id, wrong(code, i), SECRET, at(1000));
    expect(await verifyLoginCode(t.db, c.id, code, SECRET, at(2000))).toEqual({
      ok: true,
      customerId: c.id,
    });
  });

  it("accepts exactly one of 5 concurrent right guesses", async () => {
    const c = await insertCustomer(t.db);
    const { code } = await issueLoginCode(t.db, c.id, SECRET, T0);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => verifyLoginCode(t.db, c.id, code, SECRET, at(1000))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === "used")).toHaveLength(4);
  });

  it("concurrent wrong guesses cannot exceed the attempt limit", async () => {
    const c = await insertCustomer(t.db);
    const { code, id } = await issueLoginCode(t.db, c.id, SECRET, T0);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        verifyLoginCode(t.db, c.id, wrong(code, i + 1), SECRET, at(1000)),
      ),
    );
    expect((await codeRow(id))!.attempts).toBe(5);
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.reason === "too_many_attempts")).toHaveLength(8);
  });
});

describe("verifyLoginLink", () => {
  it("signs in once", async () => {
    const c = await insertCustomer(t.db);
    const { linkToken, code } = await issueLoginCode(t.db, c.id, SECRET, T0);
    expect(await verifyLoginLink(t.db, linkToken, at(1000))).toEqual({
      ok: true,
      customerId: c.id,
    });
    expect(await verifyLoginLink(t.db, linkToken, at(2000))).toEqual({ ok: false, reason: "used" });
    // The link and the code are one credential: using either spends both.
    expect(await verifyLoginCode(t.db, c.id, code, SECRET, at(3000))).toEqual({
      ok: false,
      reason: "used",
    });
  });

  it("accepts exactly one of 5 concurrent uses", async () => {
    const c = await insertCustomer(t.db);
    const { linkToken } = await issueLoginCode(t.db, c.id, SECRET, T0);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => verifyLoginLink(t.db, linkToken, at(1000))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("expires with the code", async () => {
    const c = await insertCustomer(t.db);
    const { linkToken } = await issueLoginCode(t.db, c.id, SECRET, T0);
    expect(await verifyLoginLink(t.db, linkToken, at(LOGIN_CODE_TTL_SECONDS * 1000))).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("rejects a wrong secret and malformed tokens", async () => {
    const c = await insertCustomer(t.db);
    const { linkToken, id } = await issueLoginCode(t.db, c.id, SECRET, T0);
    const secret = linkToken.split(".")[1]!;
    const bad = [
      `${id}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`,
      `${id}.`,
      `.${secret}`,
      "",
      "nodot",
      `${linkToken}.extra`,
      `${"a".repeat(65)}.${secret}`,
      `${id}.${"b".repeat(65)}`,
    ];
    for (const token of bad)
      expect(await verifyLoginLink(t.db, token, at(1000))).toEqual({
        ok: false,
        reason: "invalid",
      });
    // None of that spent the real link.
    expect(await verifyLoginLink(t.db, linkToken, at(2000))).toEqual({
      ok: true,
      customerId: c.id,
    });
  });
});

describe("purgeStaleLoginCodes", () => {
  it("deletes expired codes and codes older than a day, keeps live ones", async () => {
    await t.db.execute(sql`delete from login_codes`);
    const now = new Date("2026-05-01T12:00:00.000Z");
    const [a, b, c] = [
      await insertCustomer(t.db),
      await insertCustomer(t.db),
      await insertCustomer(t.db),
    ];
    const expired = await issueLoginCode(t.db, a.id, SECRET, new Date(now.getTime() - 11 * 60_000));
    const live = await issueLoginCode(t.db, b.id, SECRET, new Date(now.getTime() - 60_000));
    const ancient = await issueLoginCode(t.db, c.id, SECRET, now);
    // Not expired yet, but created over a day ago (a longer TTL in some future config).
    await t.sql`update login_codes set created_at = ${new Date(now.getTime() - 25 * 3600_000).toISOString()} where id = ${ancient.id}`;

    expect(await purgeStaleLoginCodes(t.db, now)).toBe(2);
    const left = (await t.sql`select id from login_codes`).map((r) => r.id);
    expect(left).toEqual([live.id]);
    expect(left).not.toContain(expired.id);
  });
});

describe("hitRateLimit", () => {
  let n = 0;
  const key = () => `test:${Date.now()}:${n++}`;

  it("allows `limit` hits per window, then refuses with Retry-After, and resets", async () => {
    const k = key();
    const rule = { limit: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++)
      expect(await hitRateLimit(t.db, k, rule, at(i * 1000))).toEqual({ allowed: true });
    expect(await hitRateLimit(t.db, k, rule, at(5000))).toEqual({
      allowed: false,
      retryAfterSeconds: 55,
    });
    expect(await hitRateLimit(t.db, k, rule, at(30_500))).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
    expect(await hitRateLimit(t.db, k, rule, at(59_999))).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    // The window started at the first hit (T0); it is over at T0 + 60 s.
    expect(await hitRateLimit(t.db, k, rule, at(60_000))).toEqual({ allowed: true });
    expect(await hitRateLimit(t.db, k, rule, at(61_000))).toEqual({ allowed: true });
    expect(await hitRateLimit(t.db, k, rule, at(62_000))).toEqual({ allowed: true });
    expect(await hitRateLimit(t.db, k, rule, at(63_000))).toEqual({
      allowed: false,
      retryAfterSeconds: 57,
    });
  });

  it("keeps keys independent", async () => {
    const [k1, k2] = [key(), key()];
    const rule = { limit: 1, windowSeconds: 60 };
    expect((await hitRateLimit(t.db, k1, rule, T0)).allowed).toBe(true);
    expect((await hitRateLimit(t.db, k1, rule, T0)).allowed).toBe(false);
    expect((await hitRateLimit(t.db, k2, rule, T0)).allowed).toBe(true);
  });

  it("allows exactly `limit` of many concurrent hits", async () => {
    const k = key();
    const rule = { limit: 10, windowSeconds: 60 };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => hitRateLimit(t.db, k, rule, T0)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const [row] = await t.sql`select count from rate_limit_buckets where key = ${k}`;
    expect(row!.count).toBe(20);
  });

  it("purges finished windows only", async () => {
    const [old, current] = [key(), key()];
    await hitRateLimit(t.db, old, { limit: 5, windowSeconds: 60 }, T0);
    await hitRateLimit(t.db, current, { limit: 5, windowSeconds: 3600 }, T0);
    expect(await purgeRateLimitBuckets(t.db, at(120_000))).toBeGreaterThanOrEqual(1);
    const keys = (
      await t.sql`select key from rate_limit_buckets where key in (${old}, ${current})`
    ).map((r) => r.key);
    expect(keys).toEqual([current]);
  });
});
