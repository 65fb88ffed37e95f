import { createHash } from "node:crypto";
import {
  ACTIVITY_CHECK_INTERVAL_SECONDS,
  createSession,
  INACTIVITY_TIMEOUT_SECONDS,
  invalidateAllSessions,
  invalidateSession,
  purgeExpiredSessions,
  sessionCount,
  validateCustomerSession,
  validateStaffSession,
} from "@xplorium/auth";
import { type Database, schema } from "@xplorium/db";
import { insertCustomer, insertStaff } from "@xplorium/db/testing";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../tests/support/test-database";

const t = useTestDatabase();

const HOUR = 60 * 60 * 1000;
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

/** Independent of the package's own helper, so a broken sha256() cannot hide itself. */
const nodeSha256 = (s: string) => createHash("sha256").update(s).digest();

async function sessionRow(id: string) {
  const rows = await t.sql`select * from sessions where id = ${id}`;
  return rows[0];
}

const staffSubject = (id: string) => ({ kind: "STAFF" as const, staffUserId: id });
const customerSubject = (id: string) => ({ kind: "CUSTOMER" as const, customerId: id });

describe("session tokens", () => {
  it("are `id.secret` and only SHA-256(secret) is stored", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(
      t.db,
      staffSubject(staff.id),
      { ip: "10.0.0.1", userAgent: "vitest" },
      T0,
    );
    expect(s.token).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);
    const [id, secret] = s.token.split(".") as [string, string];
    expect(id).toBe(s.id);
    expect(secret).not.toBe(id);

    const row = await sessionRow(id);
    expect(row).toBeDefined();
    expect(Buffer.from(row!.secret_hash).equals(nodeSha256(secret))).toBe(true);
    // The secret appears nowhere in the stored row, in any encoding of any column.
    const stored = Object.values(row!)
      .map((v) =>
        Buffer.isBuffer(v) || v instanceof Uint8Array
          ? [
              Buffer.from(v).toString("hex"),
              Buffer.from(v).toString("base64"),
              Buffer.from(v).toString("latin1"),
            ].join("|")
          : String(v),
      )
      .join("|");
    expect(stored).not.toContain(secret);
    expect(row!.kind).toBe("STAFF");
    expect(row!.ip).toBe("10.0.0.1");
    expect(new Date(row!.last_verified_at).getTime()).toBe(T0.getTime());
  });

  it("every session gets a different id and secret", async () => {
    const staff = await insertStaff(t.db);
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => createSession(t.db, staffSubject(staff.id), {}, T0)),
    );
    const parts = tokens.flatMap((s) => s.token.split("."));
    expect(new Set(parts).size).toBe(20);
  });

  it("validates the right token and rejects a wrong secret for the right id", async () => {
    const staff = await insertStaff(t.db, { role: "MANAGER" });
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const ok = await validateStaffSession(t.db, s.token, at(1000));
    expect(ok?.principal).toEqual({
      type: "staff",
      sessionId: s.id,
      staff: { id: staff.id, email: staff.email, name: staff.name, role: "MANAGER" },
      passwordConfirmedAt: T0,
      twoFactor: { enabled: false, required: false },
    });

    const [id, secret] = s.token.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    expect(await validateStaffSession(t.db, `${id}.${flipped}`, at(1000))).toBeNull();
    expect(await validateStaffSession(t.db, `${id}.${secret.slice(1)}`, at(1000))).toBeNull();
    expect(await validateStaffSession(t.db, `${id}x.${secret}`, at(1000))).toBeNull();
    // A wrong guess does not end the real session.
    expect(await validateStaffSession(t.db, s.token, at(2000))).not.toBeNull();
  });

  it("does not accept a staff token as a customer session or the other way round", async () => {
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    const staffSession = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const customerSession = await createSession(t.db, customerSubject(customer.id), {}, T0);

    expect(await validateCustomerSession(t.db, staffSession.token, at(1000))).toBeNull();
    expect(await validateStaffSession(t.db, customerSession.token, at(1000))).toBeNull();

    const c = await validateCustomerSession(t.db, customerSession.token, at(1000));
    expect(c?.principal).toEqual({
      type: "customer",
      sessionId: customerSession.id,
      customer: { id: customer.id, email: customer.email, name: customer.name },
    });
    expect(
      (await validateStaffSession(t.db, staffSession.token, at(1000)))?.principal.staff.id,
    ).toBe(staff.id);
  });

  it.each([
    ["empty", ""],
    ["no dot", "a"],
    ["only a dot", "."],
    ["empty secret", "abc."],
    ["empty id", ".abc"],
    ["three parts", "a.b.c"],
    ["quote injection", "' or '1'='1.x"],
    ["very long", `${"a".repeat(5000)}.${"b".repeat(5000)}`],
    ["long id", `${"a".repeat(65)}.${"b".repeat(24)}`],
    ["long secret", `${"a".repeat(24)}.${"b".repeat(65)}`],
  ])("rejects a malformed token (%s)", async (_label, token) => {
    expect(await validateStaffSession(t.db, token, T0)).toBeNull();
    expect(await validateCustomerSession(t.db, token, T0)).toBeNull();
  });

  it("rejects a real token with a third part appended", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    expect(await validateStaffSession(t.db, `${s.token}.x`, at(1000))).toBeNull();
    expect(await validateStaffSession(t.db, s.token, at(1000))).not.toBeNull();
  });
});

describe("inactivity expiry", () => {
  it("uses the documented timeouts", () => {
    expect(INACTIVITY_TIMEOUT_SECONDS).toEqual({ STAFF: 12 * 3600, CUSTOMER: 30 * 24 * 3600 });
    expect(ACTIVITY_CHECK_INTERVAL_SECONDS).toBe(3600);
  });

  it("ends a staff session after the timeout without use and deletes it", async () => {
    const staff = await insertStaff(t.db);
    const timeout = INACTIVITY_TIMEOUT_SECONDS.STAFF * 1000;
    const justBefore = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const expired = await createSession(t.db, staffSubject(staff.id), {}, T0);

    expect(await validateStaffSession(t.db, justBefore.token, at(timeout - 1000))).not.toBeNull();
    expect(await validateStaffSession(t.db, expired.token, at(timeout))).toBeNull();
    expect(await sessionRow(expired.id)).toBeUndefined();
    // Gone for good: going back in time does not revive it.
    expect(await validateStaffSession(t.db, expired.token, at(1000))).toBeNull();
  });

  it("ends a customer session after 30 days without use", async () => {
    const customer = await insertCustomer(t.db);
    const timeout = INACTIVITY_TIMEOUT_SECONDS.CUSTOMER * 1000;
    const alive = await createSession(t.db, customerSubject(customer.id), {}, T0);
    const dead = await createSession(t.db, customerSubject(customer.id), {}, T0);
    // 12 hours would end a staff session, not a customer one.
    expect(await validateCustomerSession(t.db, alive.token, at(timeout - 1000))).not.toBeNull();
    expect(await validateCustomerSession(t.db, dead.token, at(timeout + 1000))).toBeNull();
    expect(await sessionRow(dead.id)).toBeUndefined();
  });
});

describe("sliding refresh", () => {
  it("writes last_verified_at only once the check interval has passed", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const interval = ACTIVITY_CHECK_INTERVAL_SECONDS * 1000;

    const early = await validateStaffSession(t.db, s.token, at(interval - 1000));
    expect(early?.refreshed).toBe(false);
    expect(new Date((await sessionRow(s.id))!.last_verified_at).getTime()).toBe(T0.getTime());

    const due = await validateStaffSession(t.db, s.token, at(interval));
    expect(due?.refreshed).toBe(true);
    expect(new Date((await sessionRow(s.id))!.last_verified_at).getTime()).toBe(
      at(interval).getTime(),
    );

    // Right after a refresh, no further write.
    const after = await validateStaffSession(t.db, s.token, at(interval + 60_000));
    expect(after?.refreshed).toBe(false);
    expect(new Date((await sessionRow(s.id))!.last_verified_at).getTime()).toBe(
      at(interval).getTime(),
    );
  });

  it("costs one statement per request (the session with its subject) until a write is due", async () => {
    const statements: string[] = [];
    const counted = drizzle(t.sql, {
      schema,
      casing: "snake_case",
      logger: { logQuery: (query) => statements.push(query) },
    }) as unknown as Database;
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    const staffSession = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const customerSession = await createSession(t.db, customerSubject(customer.id), {}, T0);
    const interval = ACTIVITY_CHECK_INTERVAL_SECONDS * 1000;

    for (const ms of [1000, 60_000, interval - 1000]) {
      statements.length = 0;
      expect((await validateStaffSession(counted, staffSession.token, at(ms)))?.refreshed).toBe(
        false,
      );
      expect(
        (await validateCustomerSession(counted, customerSession.token, at(ms)))?.refreshed,
      ).toBe(false);
      expect(statements).toHaveLength(2);
      expect(statements.every((q) => /^select\b/.test(q))).toBe(true);
    }
    // Past the interval: the read and one update of last_verified_at.
    statements.length = 0;
    expect((await validateStaffSession(counted, staffSession.token, at(interval)))?.refreshed).toBe(
      true,
    );
    expect(statements.map((q) => q.split(" ")[0])).toEqual(["select", "update"]);
    // A wrong secret or an unknown id: the one read, nothing written.
    statements.length = 0;
    const [id] = staffSession.token.split(".") as [string, string];
    expect(await validateStaffSession(counted, `${id}.${"x".repeat(24)}`, at(interval))).toBeNull();
    expect(
      await validateStaffSession(counted, `unknown.${"x".repeat(24)}`, at(interval)),
    ).toBeNull();
    expect(statements.map((q) => q.split(" ")[0])).toEqual(["select", "select"]);
  });

  it("keeps an active session alive past the timeout measured from creation", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const timeout = INACTIVITY_TIMEOUT_SECONDS.STAFF * 1000;
    // Used after 10 hours, so after 20 hours it is 10 hours idle: still valid (the absolute
    // lifetime, days, is tested in security-session-lifetime.test.ts).
    expect((await validateStaffSession(t.db, s.token, at(10 * HOUR)))?.refreshed).toBe(true);
    const later = await validateStaffSession(t.db, s.token, at(20 * HOUR));
    expect(20 * HOUR).toBeGreaterThan(timeout);
    expect(later).not.toBeNull();
    expect(later?.refreshed).toBe(true);
  });
});

describe("ending sessions", () => {
  it("invalidateSession ends one session only", async () => {
    const staff = await insertStaff(t.db);
    const a = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const b = await createSession(t.db, staffSubject(staff.id), {}, T0);
    await invalidateSession(t.db, a.id);
    expect(await validateStaffSession(t.db, a.token, at(1000))).toBeNull();
    expect(await validateStaffSession(t.db, b.token, at(1000))).not.toBeNull();
  });

  it("invalidateAllSessions (sign out everywhere) ends every session of one subject only", async () => {
    const alice = await insertStaff(t.db);
    const bob = await insertStaff(t.db);
    const carol = await insertCustomer(t.db);
    const dave = await insertCustomer(t.db);
    const aliceTokens = await Promise.all(
      [1, 2, 3].map(() => createSession(t.db, staffSubject(alice.id), {}, T0)),
    );
    const bobToken = await createSession(t.db, staffSubject(bob.id), {}, T0);
    const carolTokens = await Promise.all(
      [1, 2].map(() => createSession(t.db, customerSubject(carol.id), {}, T0)),
    );
    const daveToken = await createSession(t.db, customerSubject(dave.id), {}, T0);

    expect(await invalidateAllSessions(t.db, staffSubject(alice.id))).toBe(3);
    for (const s of aliceTokens)
      expect(await validateStaffSession(t.db, s.token, at(1000))).toBeNull();
    expect(await validateStaffSession(t.db, bobToken.token, at(1000))).not.toBeNull();
    expect(await sessionCount(t.db, staffSubject(alice.id))).toBe(0);
    expect(await sessionCount(t.db, staffSubject(bob.id))).toBe(1);

    expect(await invalidateAllSessions(t.db, customerSubject(carol.id))).toBe(2);
    for (const s of carolTokens)
      expect(await validateCustomerSession(t.db, s.token, at(1000))).toBeNull();
    expect(await validateCustomerSession(t.db, daveToken.token, at(1000))).not.toBeNull();
    // Nothing left to end.
    expect(await invalidateAllSessions(t.db, customerSubject(carol.id))).toBe(0);
  });

  it("rejects the session of a disabled staff member", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    expect(await validateStaffSession(t.db, s.token, at(1000))).not.toBeNull();
    await t.db
      .update(schema.staffUsers)
      .set({ disabledAt: new Date() })
      .where(eq(schema.staffUsers.id, staff.id));
    expect(await validateStaffSession(t.db, s.token, at(2000))).toBeNull();
    // Created for an already-disabled account: rejected too.
    const disabled = await insertStaff(t.db, { disabled: true });
    const d = await createSession(t.db, staffSubject(disabled.id), {}, T0);
    expect(await validateStaffSession(t.db, d.token, at(1000))).toBeNull();
  });

  it("rejects the session of an erased customer", async () => {
    const customer = await insertCustomer(t.db);
    const s = await createSession(t.db, customerSubject(customer.id), {}, T0);
    await t.db
      .update(schema.customers)
      .set({ erasedAt: new Date(), email: null, name: null })
      .where(eq(schema.customers.id, customer.id));
    expect(await validateCustomerSession(t.db, s.token, at(1000))).toBeNull();
  });

  it("reflects a role change on the next request", async () => {
    const staff = await insertStaff(t.db, { role: "FRONT_DESK" });
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    await t.db
      .update(schema.staffUsers)
      .set({ role: "MARKETING" })
      .where(eq(schema.staffUsers.id, staff.id));
    expect((await validateStaffSession(t.db, s.token, at(1000)))?.principal.staff.role).toBe(
      "MARKETING",
    );
  });
});

describe("purgeExpiredSessions", () => {
  it("deletes exactly the sessions past their kind's inactivity timeout", async () => {
    await t.db.execute(sql`delete from sessions`);
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    const now = new Date("2026-06-01T12:00:00.000Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);

    const staffOld = await createSession(t.db, staffSubject(staff.id), {}, ago(13 * HOUR));
    const staffFresh = await createSession(t.db, staffSubject(staff.id), {}, ago(11 * HOUR));
    // 13 hours idle ends a staff session but not a customer one.
    const customerMid = await createSession(t.db, customerSubject(customer.id), {}, ago(13 * HOUR));
    const customerFresh = await createSession(
      t.db,
      customerSubject(customer.id),
      {},
      ago(29 * 24 * HOUR),
    );
    const customerOld = await createSession(
      t.db,
      customerSubject(customer.id),
      {},
      ago(31 * 24 * HOUR),
    );

    expect(await purgeExpiredSessions(t.db, now)).toBe(2);
    const left = (await t.sql`select id from sessions order by id`).map((r) => r.id);
    expect(left.sort()).toEqual([staffFresh.id, customerMid.id, customerFresh.id].sort());
    expect(left).not.toContain(staffOld.id);
    expect(left).not.toContain(customerOld.id);
    expect(await purgeExpiredSessions(t.db, now)).toBe(0);
  });
});
