import { type Env, loadEnv } from "@xplorium/config";
import { runPointsExpiry } from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertCustomer,
  type TestDatabase,
  unique,
} from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../src/loyalty/ledger";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";

/**
 * Points expiry (DESIGN.md "Earning rules"): after POINTS_EXPIRY_MONTHS without a completed
 * booking, warned by email first, never retroactive. Each test gets its own database, since
 * when expiry was turned on is one fact for the whole database.
 */

let t: TestDatabase;
const env = (extra: Record<string, string> = {}): Env =>
  loadEnv({
    NODE_ENV: "test",
    PORTAL_URL: "http://portal.test",
    TIME_ZONE: "Europe/Belgrade",
    POINTS_EXPIRY_MONTHS: "12",
    ...extra,
  });
const ON = env();

beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  // The ledger invariant holds after every test.
  expect(await ledgerDrift(t.db)).toEqual([]);
  await t.drop();
});

const run = (nowIso: string, config: Env = ON, batchSize?: number) =>
  runPointsExpiry({ db: t.db, config, now: new Date(nowIso) }, batchSize ? { batchSize } : {});

const post = (customerId: string, delta: number, reason = "MANUAL_ADJUSTMENT") =>
  t.db.transaction((tx) =>
    postPoints(tx, {
      customerId,
      delta,
      reason: reason as "MANUAL_ADJUSTMENT",
      idempotencyKey: `test:${unique()}`,
    }),
  );

async function completedBooking(customerId: string, completedAt: string) {
  await t.db.insert(schema.bookings).values({
    customerId,
    type: "CAFE",
    status: "COMPLETED",
    scheduledAt: new Date(completedAt),
    completedAt: new Date(completedAt),
    currency: "EUR",
  });
}

/** A customer with a balance and, optionally, a last completed booking. */
async function member(points: number, lastCompletedAt?: string) {
  const c = await insertCustomer(t.db, { name: "Ana Petrović" });
  if (points !== 0)
    await post(c.id, points, points > 0 ? "BOOKING_COMPLETED" : "MANUAL_ADJUSTMENT");
  if (lastCompletedAt) await completedBooking(c.id, lastCompletedAt);
  return c;
}

const customer = async (id: string) =>
  (await t.db.select().from(schema.customers).where(eq(schema.customers.id, id)))[0]!;
const warnings = (customerId: string) =>
  t.sql`select subject, to_email, status, html, text from email_messages
    where customer_id = ${customerId} and template = 'points-expiry-warning' order by created_at`;
const notices = (customerId: string) =>
  t.sql`select due_on::text, expires_on::text, points, email_message_id is not null as emailed
    from points_expiry_notices where customer_id = ${customerId} order by due_on`;
const expiries = (customerId: string) =>
  t.sql`select delta, idempotency_key, balance_after, lifetime_after from loyalty_ledger
    where customer_id = ${customerId} and reason = 'POINTS_EXPIRED'`;

describe("points expiry", () => {
  it("is off by default and then touches nothing", async () => {
    expect(loadEnv({ NODE_ENV: "test" })).toMatchObject({
      POINTS_EXPIRY_MONTHS: 0,
      POINTS_EXPIRY_WARNING_DAYS: 14,
    });
    const c = await member(1250, "2020-01-01T10:00:00Z");
    expect(await run("2030-01-01T10:00:00Z", env({ POINTS_EXPIRY_MONTHS: "0" }))).toEqual({
      enabled: false,
    });
    expect((await customer(c.id)).loyaltyPoints).toBe(1250);
    expect(await warnings(c.id)).toEqual([]);
    expect(await t.sql`select * from job_runs where kind = 'points-expiry'`).toEqual([]);
  });

  it("rejects a configuration that would expire points without warning", () => {
    expect(() => env({ POINTS_EXPIRY_WARNING_DAYS: "0" })).toThrow(/POINTS_EXPIRY_WARNING_DAYS/);
    expect(() => env({ POINTS_EXPIRY_MONTHS: "-1" })).toThrow(/POINTS_EXPIRY_MONTHS/);
  });

  it("is never retroactive: warns once, then expires once, N months after it was turned on", async () => {
    // Inactive for years, but expiry is only now turned on.
    const c = await member(1250, "2023-05-01T10:00:00Z");
    await post(c.id, -250, "REDEMPTION");
    await post(c.id, 250);
    const first = await run("2027-01-10T10:00:00Z");
    expect(first).toEqual({
      enabled: true,
      enabledAt: new Date("2027-01-10T10:00:00Z"),
      warned: 0,
      expired: 0,
      pointsExpired: 0,
    });
    // Eleven months on: still nothing.
    expect(await run("2027-12-10T10:00:00Z")).toMatchObject({ warned: 0, expired: 0 });
    // The day before the 14-day window opens (due 2028-01-10 in Belgrade): nothing.
    expect(await run("2027-12-26T12:00:00Z")).toMatchObject({ warned: 0 });

    // The window opens: one warning, however often the job runs.
    expect(await run("2027-12-27T12:00:00Z")).toMatchObject({ warned: 1, expired: 0 });
    expect(await run("2027-12-27T18:00:00Z")).toMatchObject({ warned: 0, expired: 0 });
    expect(await run("2028-01-02T06:00:00Z")).toMatchObject({ warned: 0, expired: 0 });
    const mail = await warnings(c.id);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      subject: "Your 1,250 points expire on 10 January 2028",
      to_email: c.email,
      status: "QUEUED",
    });
    expect(mail[0]!.html).toContain("1,250 Xplorium points");
    expect(mail[0]!.text).toContain("1,250 Xplorium points expire on 10 January 2028.");
    expect(mail[0]!.text).toContain("Points expire after 12 months without a visit.");
    expect(await notices(c.id)).toEqual([
      { due_on: "2028-01-10", expires_on: "2028-01-10", points: 1250, emailed: true },
    ]);
    const queued = await t.sql`select count(*)::int as n from graphile_worker.jobs
      where task_identifier = 'email:send'`;
    expect(queued[0]!.n).toBe(1);

    // 23:30 on 9 January in Belgrade: not yet.
    expect(await run("2028-01-09T22:30:00Z")).toMatchObject({ expired: 0 });
    expect((await customer(c.id)).loyaltyPoints).toBe(1250);
    // 00:30 on 10 January in Belgrade: expired, once.
    expect(await run("2028-01-09T23:30:00Z")).toMatchObject({ expired: 1, pointsExpired: 1250 });
    expect(await run("2028-01-10T12:00:00Z")).toMatchObject({ warned: 0, expired: 0 });
    const after = await customer(c.id);
    // Expiry spends the balance; lifetime points and the tier stay.
    expect(after).toMatchObject({ loyaltyPoints: 0, lifetimePoints: 1500, loyaltyTier: "SILVER" });
    expect(await expiries(c.id)).toEqual([
      {
        delta: -1250,
        idempotency_key: `expiry:${c.id}:2028-01-10`,
        balance_after: 0,
        lifetime_after: 1500,
      },
    ]);
    const runs = await t.sql`select status, result from job_runs
      where kind = 'points-expiry' order by created_at`;
    expect(runs).toHaveLength(9);
    expect(runs.every((r) => r.status === "SUCCEEDED")).toBe(true);
  });

  it("counts from the last completed booking when that is later than turning it on", async () => {
    const c = await member(400, "2027-03-20T15:00:00Z");
    await run("2027-01-10T10:00:00Z");
    expect(await run("2027-12-27T12:00:00Z")).toMatchObject({ warned: 0 });
    expect(await run("2028-03-06T12:00:00Z")).toMatchObject({ warned: 1 });
    expect(await notices(c.id)).toEqual([
      { due_on: "2028-03-20", expires_on: "2028-03-20", points: 400, emailed: true },
    ]);
  });

  it("keeps the points of a customer who comes back after the warning", async () => {
    const c = await member(600, "2024-01-01T10:00:00Z");
    await run("2027-01-10T10:00:00Z");
    expect(await run("2027-12-28T12:00:00Z")).toMatchObject({ warned: 1 });
    await completedBooking(c.id, "2028-01-05T11:00:00Z");
    expect(await run("2028-01-11T12:00:00Z")).toMatchObject({ warned: 0, expired: 0 });
    expect((await customer(c.id)).loyaltyPoints).toBe(600);
    // A year after that visit, a new warning for the new date.
    expect(await run("2028-12-22T12:00:00Z")).toMatchObject({ warned: 1 });
    expect((await notices(c.id)).map((n) => n.due_on)).toEqual(["2028-01-10", "2029-01-05"]);
  });

  it("leaves balances of zero or less, erased customers and active customers alone", async () => {
    const zero = await member(0, "2020-01-01T10:00:00Z");
    const negative = await member(100, "2020-01-01T10:00:00Z");
    await post(negative.id, -300, "BOOKING_REVERSED");
    const erased = await member(900, "2020-01-01T10:00:00Z");
    await t.sql`update customers set erased_at = now(), email = null, name = null
      where id = ${erased.id}`;
    const active = await member(700, "2027-06-01T10:00:00Z");
    const lapsed = await member(300, "2020-01-01T10:00:00Z");

    await run("2027-01-10T10:00:00Z");
    expect(await run("2027-12-27T12:00:00Z")).toMatchObject({ warned: 1 });
    expect(await run("2028-01-10T12:00:00Z")).toMatchObject({ expired: 1, pointsExpired: 300 });

    for (const c of [zero, negative, erased, active]) {
      expect(await notices(c.id)).toEqual([]);
      expect(await expiries(c.id)).toEqual([]);
    }
    expect((await customer(negative.id)).loyaltyPoints).toBe(-200);
    expect((await customer(erased.id)).loyaltyPoints).toBe(900);
    expect((await customer(active.id)).loyaltyPoints).toBe(700);
    expect((await customer(lapsed.id)).loyaltyPoints).toBe(0);
  });

  it("sends no email to a suppressed address but still counts the notice", async () => {
    const c = await member(500, "2020-01-01T10:00:00Z");
    await t.db
      .insert(schema.suppressions)
      .values({ emailHash: emailSuppressionHash(c.email!), reason: "HARD_BOUNCE" });
    await run("2027-01-10T10:00:00Z");
    expect(await run("2027-12-27T12:00:00Z")).toMatchObject({ warned: 1 });
    expect(await warnings(c.id)).toEqual([]);
    expect(await notices(c.id)).toEqual([
      { due_on: "2028-01-10", expires_on: "2028-01-10", points: 500, emailed: false },
    ]);
    expect(await run("2028-01-10T12:00:00Z")).toMatchObject({ expired: 1 });
  });

  it("never expires unwarned points: a late warning names a date the full period away", async () => {
    const c = await member(800, "2020-01-01T10:00:00Z");
    await run("2027-01-10T10:00:00Z");
    // The job did not run for weeks, past the due date.
    expect(await run("2028-02-01T12:00:00Z")).toMatchObject({ warned: 1, expired: 0 });
    expect((await warnings(c.id))[0]!.subject).toBe("Your 800 points expire on 15 February 2028");
    expect(await run("2028-02-14T12:00:00Z")).toMatchObject({ expired: 0 });
    expect(await run("2028-02-15T12:00:00Z")).toMatchObject({ expired: 1, pointsExpired: 800 });
    expect((await expiries(c.id))[0]!.idempotency_key).toBe(`expiry:${c.id}:2028-02-15`);
  });

  it("starts afresh when turned off and on again", async () => {
    const c = await member(500, "2020-01-01T10:00:00Z");
    await run("2027-01-10T10:00:00Z");
    expect(await run("2027-06-01T10:00:00Z", env({ POINTS_EXPIRY_MONTHS: "0" }))).toEqual({
      enabled: false,
    });
    const settings = await t.sql`select points_expiry_enabled_at from loyalty_settings`;
    expect(settings).toEqual([{ points_expiry_enabled_at: null }]);
    expect(await run("2027-07-01T10:00:00Z")).toMatchObject({
      enabledAt: new Date("2027-07-01T10:00:00Z"),
    });
    // The first switch-on no longer counts: nothing in January 2028.
    expect(await run("2027-12-27T12:00:00Z")).toMatchObject({ warned: 0 });
    expect(await run("2028-01-10T12:00:00Z")).toMatchObject({ warned: 0, expired: 0 });
    expect(await run("2028-06-17T12:00:00Z")).toMatchObject({ warned: 1 });
    expect(await notices(c.id)).toEqual([
      { due_on: "2028-07-01", expires_on: "2028-07-01", points: 500, emailed: true },
    ]);
  });

  it("works through many customers in batches, and two runs at once do everything once", async () => {
    const many = [];
    for (let i = 0; i < 7; i++) many.push(await member(100 + i, "2020-01-01T10:00:00Z"));
    await run("2027-01-10T10:00:00Z");
    const [a, b] = await Promise.all([
      run("2027-12-27T12:00:00Z", ON, 2),
      run("2027-12-27T12:00:00Z", ON, 2),
    ]);
    expect(a.enabled && b.enabled && a.warned + b.warned).toBe(7);
    for (const c of many) expect(await warnings(c.id)).toHaveLength(1);

    const [x, y] = await Promise.all([
      run("2028-01-10T12:00:00Z", ON, 2),
      run("2028-01-10T12:00:00Z", ON, 2),
    ]);
    expect(x.enabled && y.enabled && x.expired + y.expired).toBe(7);
    for (const c of many) {
      expect(await expiries(c.id)).toHaveLength(1);
      expect((await customer(c.id)).loyaltyPoints).toBe(0);
    }
  });
});
