import {
  ACTIVITY_CHECK_INTERVAL_SECONDS,
  createSession,
  MAX_SESSION_AGE_DAYS,
  markPasswordConfirmed,
  purgeExpiredSessions,
  validateCustomerSession,
  validateStaffSession,
} from "@xplorium/auth";
import { insertCustomer, insertStaff } from "@xplorium/db/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../tests/support/test-database";

/**
 * Issue 14, item 11: besides the inactivity timeout, a session ends a fixed time after it was
 * created however busy it is (staff 7 days, customers 30, configurable), and a staff session
 * records when its password was last entered.
 */

const t = useTestDatabase();

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const T0 = new Date("2026-03-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

const staffSubject = (id: string) => ({ kind: "STAFF" as const, staffUserId: id });
const customerSubject = (id: string) => ({ kind: "CUSTOMER" as const, customerId: id });
const iso = (d: Date) => d.toISOString();
const rowOf = async (id: string) => (await t.sql`select * from sessions where id = ${id}`)[0];

/** Uses the session every `everyMs` (well inside the inactivity timeout) until `untilMs`. */
async function keepBusy(
  validate: (now: Date) => Promise<unknown>,
  everyMs: number,
  untilMs: number,
) {
  for (let ms = everyMs; ms < untilMs; ms += everyMs) {
    expect(await validate(at(ms))).not.toBeNull();
  }
}

describe("absolute session lifetime", () => {
  it("defaults to 7 days for staff and 30 for customers", () => {
    expect(MAX_SESSION_AGE_DAYS).toEqual({ STAFF: 7, CUSTOMER: 30 });
  });

  it("ends a busy staff session 7 days after sign-in, and deletes it", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    // Used every 2 hours, it never idles out...
    await keepBusy((now) => validateStaffSession(t.db, s.token, now), 2 * HOUR, 7 * DAY);
    expect(await validateStaffSession(t.db, s.token, at(7 * DAY - 1000))).not.toBeNull();
    // ...but 7 days after creation it is over.
    expect(await validateStaffSession(t.db, s.token, at(7 * DAY))).toBeNull();
    expect(await rowOf(s.id)).toBeUndefined();
  });

  it("ends a busy customer session 30 days after sign-in", async () => {
    const customer = await insertCustomer(t.db);
    const s = await createSession(t.db, customerSubject(customer.id), {}, T0);
    await keepBusy((now) => validateCustomerSession(t.db, s.token, now), 5 * DAY, 30 * DAY);
    expect(await validateCustomerSession(t.db, s.token, at(30 * DAY - 1000))).not.toBeNull();
    expect(await validateCustomerSession(t.db, s.token, at(30 * DAY))).toBeNull();
    expect(await rowOf(s.id)).toBeUndefined();
  });

  it("takes the configured lifetime (STAFF_SESSION_MAX_DAYS / CUSTOMER_SESSION_MAX_DAYS)", async () => {
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const c = await createSession(t.db, customerSubject(customer.id), {}, T0);
    // Kept fresh inside the inactivity timeouts, so only the lifetime can end them.
    await t.db.execute(
      sql`update sessions set last_verified_at = ${iso(at(2 * DAY - HOUR))}::timestamptz`,
    );
    expect(await validateStaffSession(t.db, s.token, at(2 * DAY - 1000), 2)).not.toBeNull();
    expect(await validateStaffSession(t.db, s.token, at(2 * DAY), 2)).toBeNull();
    expect(await validateCustomerSession(t.db, c.token, at(2 * DAY), 3)).not.toBeNull();
    expect(await validateCustomerSession(t.db, c.token, at(3 * DAY + HOUR), 3)).toBeNull();
  });

  it("is checked in the one statement that validates a session", async () => {
    const staff = await insertStaff(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    // The row alone decides: an old created_at refuses a session used a second ago.
    await t.db.execute(
      sql`update sessions set created_at = ${iso(at(-8 * DAY))}::timestamptz,
        last_verified_at = ${iso(T0)}::timestamptz where id = ${s.id}`,
    );
    expect(await validateStaffSession(t.db, s.token, at(1000))).toBeNull();
  });
});

describe("password confirmation on staff sessions", () => {
  it("starts at sign-in for staff, never for customers, and moves when confirmed again", async () => {
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    const s = await createSession(t.db, staffSubject(staff.id), {}, T0);
    const c = await createSession(t.db, customerSubject(customer.id), {}, T0);
    expect(new Date((await rowOf(s.id))!.password_confirmed_at)).toEqual(T0);
    expect((await rowOf(c.id))!.password_confirmed_at).toBeNull();

    const v = await validateStaffSession(t.db, s.token, at(1000));
    expect(v?.principal.passwordConfirmedAt).toEqual(T0);

    await markPasswordConfirmed(t.db, s.id, at(30 * 60 * 1000));
    const again = await validateStaffSession(t.db, s.token, at(31 * 60 * 1000));
    expect(again?.principal.passwordConfirmedAt).toEqual(at(30 * 60 * 1000));
    // A confirmation is not activity: it neither extends the lifetime nor the idle timeout.
    expect(new Date((await rowOf(s.id))!.created_at)).toEqual(T0);
    expect(ACTIVITY_CHECK_INTERVAL_SECONDS * 1000).toBeGreaterThan(31 * 60 * 1000);
  });
});

describe("purgeExpiredSessions and the lifetime", () => {
  it("deletes sessions past either limit, with the configured lifetimes", async () => {
    await t.db.execute(sql`delete from sessions`);
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    const now = new Date("2026-06-01T12:00:00.000Z");
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const make = async (kind: "STAFF" | "CUSTOMER", createdAgo: number, usedAgo: number) => {
      const subject = kind === "STAFF" ? staffSubject(staff.id) : customerSubject(customer.id);
      const s = await createSession(t.db, subject, {}, ago(createdAgo));
      await t.db.execute(
        sql`update sessions set last_verified_at = ${iso(ago(usedAgo))}::timestamptz
          where id = ${s.id}`,
      );
      return s.id;
    };
    const staffBusyOld = await make("STAFF", 8 * DAY, HOUR); // past 7 days, busy
    const staffBusyYoung = await make("STAFF", 6 * DAY, HOUR);
    const staffIdle = await make("STAFF", 2 * DAY, 13 * HOUR); // idle past 12 hours
    const customerBusyOld = await make("CUSTOMER", 31 * DAY, DAY);
    const customerBusyYoung = await make("CUSTOMER", 29 * DAY, DAY);

    expect(await purgeExpiredSessions(t.db, now)).toBe(3);
    const left = (await t.sql`select id from sessions`).map((r) => r.id).sort();
    expect(left).toEqual([staffBusyYoung, customerBusyYoung].sort());
    expect(left).not.toContain(staffBusyOld);
    expect(left).not.toContain(staffIdle);
    expect(left).not.toContain(customerBusyOld);

    // Shorter configured lifetimes purge more.
    expect(await purgeExpiredSessions(t.db, now, { STAFF: 5, CUSTOMER: 30 })).toBe(1);
    expect(await purgeExpiredSessions(t.db, now, { STAFF: 5, CUSTOMER: 20 })).toBe(1);
    expect(await t.sql`select id from sessions`).toHaveLength(0);
  });
});
