import { type Env, loadEnv } from "@xplorium/config";
import { mergeCustomers } from "@xplorium/core/customers";
import { AppError } from "@xplorium/core/errors";
import {
  automationLog,
  listAutomations,
  previewAutomationMessage,
  requestAutomationRun,
  runAutomations,
  setAutomationEnabled,
  updateAutomation,
} from "@xplorium/core/marketing";
import { createDb, type DbHandle, schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertStaffActor,
  type TestDatabase,
  testDeps,
  testMeta,
  unique,
} from "@xplorium/db/testing";
import type { AutomationKind } from "@xplorium/domain";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../src/loyalty/ledger";
import { TIER_UPGRADE_LOOKBACK_DAYS } from "../src/marketing/automation-runner";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";

/**
 * The marketing automations (DESIGN.md "Marketing"): birthday, win-back and tier-upgrade emails,
 * each at most once per customer per period however often (and however concurrently) the job
 * runs. Every run gets a fixed clock; each test its own database, since whether an automation
 * is on is one fact for the whole database.
 */

let t: TestDatabase;
const env: Env = loadEnv({
  NODE_ENV: "test",
  PORTAL_URL: "http://portal.test",
  TIME_ZONE: "Europe/Belgrade",
  EMAIL_FROM: "Xplorium <hello@xplorium.example>",
});

beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  expect(await ledgerDrift(t.db)).toEqual([]);
  await t.drop();
});

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const plusDays = (iso: string, days: number) =>
  new Date(new Date(iso).getTime() + days * DAY).toISOString();

async function staff() {
  return insertStaffActor(t.db, { role: "MARKETING" });
}

/** Switches an automation on at `when`, with some settings changed first. */
async function enable(
  kind: AutomationKind,
  when: string,
  settings: { daysBefore?: number; inactivityDays?: number; cooldownDays?: number } = {},
) {
  const actor = await staff();
  if (Object.keys(settings).length > 0) {
    const [row] = await t.db
      .select()
      .from(schema.marketingAutomations)
      .where(eq(schema.marketingAutomations.kind, kind));
    await updateAutomation(testDeps(t.db, actor), {
      kind,
      subject: row!.subject,
      preheader: row!.preheader,
      bodyMarkdown: row!.bodyMarkdown,
      ...settings,
    });
  }
  await setAutomationEnabled(testDeps(t.db, actor, { now: at(when) }), { kind, enabled: true });
}

const run = (nowIso: string, only?: AutomationKind, db = t.db) =>
  runAutomations({ db, config: env, now: at(nowIso) }, only ? { only } : {});

const sentOf = async (nowIso: string, kind: AutomationKind) => (await run(nowIso, kind))[0]!.sent;

type NewCustomer = Partial<typeof schema.customers.$inferInsert>;
/** An opted-in customer unless told otherwise. */
async function member(values: NewCustomer = {}) {
  const [row] = await t.db
    .insert(schema.customers)
    .values({
      email: `auto-${unique()}@example.org`,
      name: "Ana Petrović",
      referralCode: `AU${unique().toUpperCase()}`,
      marketingOptIn: true,
      ...values,
    })
    .returning();
  return row!;
}

const sends = (kind: AutomationKind) =>
  t.sql<{ customer_id: string; period_key: string; emailed: boolean }[]>`
    select customer_id, period_key, email_message_id is not null as emailed
    from automation_sends where automation = ${kind} order by sent_at, customer_id`;
const periodsOf = async (kind: AutomationKind, customerId: string) =>
  (await sends(kind)).filter((s) => s.customer_id === customerId).map((s) => s.period_key);
const mails = (customerId: string) =>
  t.sql<
    {
      kind: string;
      template: string;
      subject: string;
      to_email: string;
      status: string;
      html: string;
      text: string;
    }[]
  >`select kind, template, subject, to_email, status, html, text from email_messages
    where customer_id = ${customerId} order by created_at`;

async function completedBooking(customerId: string, completedAt: string) {
  await t.db.insert(schema.bookings).values({
    customerId,
    type: "CAFE",
    status: "COMPLETED",
    scheduledAt: at(completedAt),
    completedAt: at(completedAt),
    currency: "EUR",
  });
}

describe("birthday", () => {
  it("goes N days before the birthday, once, however often the job runs", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const c = await member({ birthDate: "2018-03-17" });
    // 8 days before (default N = 7): not yet.
    expect(await sentOf("2026-03-09T12:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await sentOf("2026-03-10T08:00:00Z", "BIRTHDAY")).toBe(1);
    for (const hour of ["09", "10", "23"]) {
      expect(await sentOf(`2026-03-10T${hour}:00:00Z`, "BIRTHDAY")).toBe(0);
    }
    // On the day and after it: still once this year.
    expect(await sentOf("2026-03-17T09:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await sentOf("2026-03-20T09:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await periodsOf("BIRTHDAY", c.id)).toEqual(["2026"]);
    expect(await mails(c.id)).toHaveLength(1);
    // Next year, again.
    expect(await sentOf("2027-03-10T08:00:00Z", "BIRTHDAY")).toBe(1);
    expect(await periodsOf("BIRTHDAY", c.id)).toEqual(["2026", "2027"]);
  });

  it("honours the configured number of days, and catches up late before the birthday", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z", { daysBefore: 14 });
    const c = await member({ birthDate: "2017-06-20" });
    expect(await sentOf("2026-06-05T10:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await sentOf("2026-06-06T10:00:00Z", "BIRTHDAY")).toBe(1);
    // Worker down for the whole window but the birthday itself: greeted on the day.
    const late = await member({ birthDate: "2015-06-25" });
    expect(await sentOf("2026-06-25T10:00:00Z", "BIRTHDAY")).toBe(1);
    // A birthday that has passed waits for next year.
    const passed = await member({ birthDate: "2015-06-24" });
    expect(await sentOf("2026-06-25T11:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await periodsOf("BIRTHDAY", late.id)).toEqual(["2026"]);
    expect(await periodsOf("BIRTHDAY", passed.id)).toEqual([]);
    expect(await periodsOf("BIRTHDAY", c.id)).toEqual(["2026"]);
  });

  it("on the day itself when days before is 0", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z", { daysBefore: 0 });
    await member({ birthDate: "2018-04-02" });
    expect(await sentOf("2026-04-01T21:00:00Z", "BIRTHDAY")).toBe(0);
    // 00:00 on 2 April in Belgrade (UTC+2 in summer time).
    expect(await sentOf("2026-04-01T22:00:00Z", "BIRTHDAY")).toBe(1);
  });

  it("counts days in the venue's time zone, near midnight", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const c = await member({ birthDate: "2019-03-17" });
    // 23:30 on 9 March in Belgrade (UTC+1): 8 days before, nothing.
    expect(await sentOf("2026-03-09T22:30:00Z", "BIRTHDAY")).toBe(0);
    // 00:30 on 10 March in Belgrade, still 9 March in UTC: 7 days before.
    expect(await sentOf("2026-03-09T23:30:00Z", "BIRTHDAY")).toBe(1);
    expect(await periodsOf("BIRTHDAY", c.id)).toEqual(["2026"]);
  });

  it("crosses the year boundary: a January birthday is greeted in December, for the new year", async () => {
    await enable("BIRTHDAY", "2025-01-01T00:00:00Z");
    const jan = await member({ birthDate: "2014-01-03" });
    const dec = await member({ birthDate: "2014-12-20" });
    expect(await sentOf("2025-12-26T10:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await sentOf("2025-12-27T10:00:00Z", "BIRTHDAY")).toBe(1);
    expect(await periodsOf("BIRTHDAY", jan.id)).toEqual(["2026"]);
    // In January 2026 the same birthday is not greeted again.
    expect(await sentOf("2026-01-02T10:00:00Z", "BIRTHDAY")).toBe(0);
    // The December birthday that has passed is next due in December 2026.
    expect(await periodsOf("BIRTHDAY", dec.id)).toEqual([]);
    expect(await sentOf("2026-12-13T10:00:00Z", "BIRTHDAY")).toBe(1);
    expect(await sentOf("2026-12-27T10:00:00Z", "BIRTHDAY")).toBe(1);
    expect(await periodsOf("BIRTHDAY", jan.id)).toEqual(["2026", "2027"]);
    expect(await periodsOf("BIRTHDAY", dec.id)).toEqual(["2026"]);
  });

  it("celebrates 29 February on 28 February in common years", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const leapling = await member({ birthDate: "2016-02-29" });
    // 2027 is a common year: 28 February, 7 days before is 21 February.
    expect(await sentOf("2027-02-20T10:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await sentOf("2027-02-21T10:00:00Z", "BIRTHDAY")).toBe(1);
    expect(await sentOf("2027-03-01T10:00:00Z", "BIRTHDAY")).toBe(0);
    // 2028 is a leap year: 29 February, 7 days before is 22 February.
    expect(await sentOf("2028-02-21T10:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await sentOf("2028-02-22T10:00:00Z", "BIRTHDAY")).toBe(1);
    expect(await periodsOf("BIRTHDAY", leapling.id)).toEqual(["2027", "2028"]);
  });

  it("is once a year even when the birth date changes", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const c = await member({ birthDate: "2018-03-17" });
    expect(await sentOf("2026-03-12T10:00:00Z", "BIRTHDAY")).toBe(1);
    await t.db
      .update(schema.customers)
      .set({ birthDate: "2018-05-01" })
      .where(eq(schema.customers.id, c.id));
    expect(await sentOf("2026-04-28T10:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await mails(c.id)).toHaveLength(1);
  });
});

describe("win-back", () => {
  it("goes after N days without a completed booking, then at most once per cooldown", async () => {
    await enable("WIN_BACK", "2026-01-01T00:00:00Z");
    const c = await member();
    await completedBooking(c.id, "2026-01-10T10:00:00Z");
    // 89 days later: not yet (default N = 90).
    expect(await sentOf("2026-04-09T10:00:00Z", "WIN_BACK")).toBe(0);
    expect(await sentOf("2026-04-10T10:00:00Z", "WIN_BACK")).toBe(1);
    expect(await sentOf("2026-04-10T11:00:00Z", "WIN_BACK")).toBe(0);
    // Still away: the cooldown (default 180 days) holds it back until 7 October.
    expect(await sentOf(plusDays("2026-04-10T10:00:00Z", 179), "WIN_BACK")).toBe(0);
    expect(await sentOf(plusDays("2026-04-10T10:00:00Z", 180), "WIN_BACK")).toBe(1);
    expect(await periodsOf("WIN_BACK", c.id)).toEqual(["first", "after:2026-04-10"]);
  });

  it("honours the configured thresholds; the cooldown also spans a return and a new lapse", async () => {
    await enable("WIN_BACK", "2026-01-01T00:00:00Z", { inactivityDays: 30, cooldownDays: 60 });
    const c = await member();
    await completedBooking(c.id, "2026-01-01T10:00:00Z");
    expect(await sentOf("2026-01-30T10:00:00Z", "WIN_BACK")).toBe(0);
    expect(await sentOf("2026-01-31T10:00:00Z", "WIN_BACK")).toBe(1);
    // They came back, then lapsed again after 30 days: within 60 days of the last email, wait.
    await completedBooking(c.id, "2026-02-05T10:00:00Z");
    expect(await sentOf("2026-03-07T10:00:00Z", "WIN_BACK")).toBe(0);
    expect(await sentOf("2026-03-31T10:00:00Z", "WIN_BACK")).toBe(0);
    expect(await sentOf("2026-04-01T10:00:00Z", "WIN_BACK")).toBe(1);
    expect(await periodsOf("WIN_BACK", c.id)).toEqual(["first", "after:2026-01-31"]);
  });

  it("skips customers who never completed a booking, came recently, or have one coming up", async () => {
    await enable("WIN_BACK", "2026-01-01T00:00:00Z");
    const never = await member();
    await t.db.insert(schema.bookings).values([
      {
        customerId: never.id,
        type: "PARTY",
        status: "CANCELLED",
        scheduledAt: at("2025-06-01T10:00:00Z"),
        cancelledAt: at("2025-05-20T10:00:00Z"),
        currency: "EUR",
      },
      {
        customerId: never.id,
        type: "CAFE",
        status: "PENDING",
        scheduledAt: at("2025-07-01T10:00:00Z"),
        currency: "EUR",
      },
    ]);
    const recent = await member();
    await completedBooking(recent.id, "2025-01-01T10:00:00Z");
    await completedBooking(recent.id, "2026-05-01T10:00:00Z");
    const upcoming = await member();
    await completedBooking(upcoming.id, "2025-01-01T10:00:00Z");
    await t.db.insert(schema.bookings).values({
      customerId: upcoming.id,
      type: "PARTY",
      status: "APPROVED",
      scheduledAt: at("2026-06-20T10:00:00Z"),
      currency: "EUR",
    });
    const lapsed = await member();
    await completedBooking(lapsed.id, "2025-01-01T10:00:00Z");
    expect(await sentOf("2026-06-01T10:00:00Z", "WIN_BACK")).toBe(1);
    expect((await sends("WIN_BACK")).map((s) => s.customer_id)).toEqual([lapsed.id]);
  });
});

describe("tier upgrade", () => {
  async function tierChange(
    customerId: string,
    from: "BRONZE" | "SILVER" | "GOLD" | "PLATINUM" | "VIP",
    to: "BRONZE" | "SILVER" | "GOLD" | "PLATINUM" | "VIP",
    when: string,
  ) {
    await t.db
      .update(schema.customers)
      .set({ loyaltyTier: to })
      .where(eq(schema.customers.id, customerId));
    const [row] = await t.db
      .insert(schema.tierChanges)
      .values({ customerId, fromTier: from, toTier: to, reason: "test", createdAt: at(when) })
      .returning({ id: schema.tierChanges.id });
    return row!.id;
  }

  it("congratulates once per upgrade, only upgrades since it was switched on", async () => {
    const before = await member();
    await tierChange(before.id, "BRONZE", "SILVER", "2026-05-01T10:00:00Z");
    await enable("TIER_UPGRADE", "2026-05-02T10:00:00Z");
    // The upgrade from before switching on is never mailed: no flood of old upgrades.
    expect(await sentOf("2026-05-02T11:00:00Z", "TIER_UPGRADE")).toBe(0);

    const c = await member();
    const first = await tierChange(c.id, "BRONZE", "SILVER", "2026-05-03T10:00:00Z");
    expect(await sentOf("2026-05-03T11:00:00Z", "TIER_UPGRADE")).toBe(1);
    expect(await sentOf("2026-05-03T12:00:00Z", "TIER_UPGRADE")).toBe(0);
    const second = await tierChange(c.id, "SILVER", "GOLD", "2026-05-10T10:00:00Z");
    expect(await sentOf("2026-05-10T11:00:00Z", "TIER_UPGRADE")).toBe(1);
    expect(await periodsOf("TIER_UPGRADE", c.id)).toEqual([first, second]);
    expect(await periodsOf("TIER_UPGRADE", before.id)).toEqual([]);
    const [congrats] = await mails(c.id);
    expect(congrats!.subject).toBe("Congratulations, you are now Silver!");
    expect((await mails(c.id))[1]!.subject).toBe("Congratulations, you are now Gold!");
  });

  it("ignores downgrades, an upgrade already undone, and stale upgrades", async () => {
    await enable("TIER_UPGRADE", "2026-05-01T00:00:00Z");
    const down = await member({ loyaltyTier: "GOLD" });
    await tierChange(down.id, "GOLD", "SILVER", "2026-05-08T10:00:00Z");
    const vipCleared = await member({ loyaltyTier: "VIP" });
    await tierChange(vipCleared.id, "VIP", "PLATINUM", "2026-05-08T10:00:00Z");
    const undone = await member();
    await tierChange(undone.id, "BRONZE", "SILVER", "2026-05-08T10:00:00Z");
    await tierChange(undone.id, "SILVER", "BRONZE", "2026-05-08T10:30:00Z");
    // The worker was down for longer than the lookback: the congratulation would be stale.
    const stale = await member();
    await tierChange(stale.id, "BRONZE", "SILVER", "2026-05-01T12:00:00Z");
    const now = plusDays("2026-05-01T12:00:00Z", TIER_UPGRADE_LOOKBACK_DAYS + 0.5);
    expect(await sentOf(now, "TIER_UPGRADE")).toBe(0);
    // Two quick upgrades before a run: one email, for the tier they hold.
    const quick = await member();
    await tierChange(quick.id, "BRONZE", "SILVER", plusDays(now, 0.01));
    const last = await tierChange(quick.id, "SILVER", "GOLD", plusDays(now, 0.02));
    expect(await sentOf(plusDays(now, 0.05), "TIER_UPGRADE")).toBe(1);
    expect(await sentOf(plusDays(now, 0.1), "TIER_UPGRADE")).toBe(0);
    expect(await sends("TIER_UPGRADE")).toEqual([
      { customer_id: quick.id, period_key: last, emailed: true },
    ]);
    expect((await mails(quick.id))[0]!.subject).toBe("Congratulations, you are now Gold!");
  });

  it("congratulates upgrades the ledger records, VIP included", async () => {
    await enable("TIER_UPGRADE", "2026-05-01T00:00:00Z");
    const c = await member({ name: "Mila" });
    await t.db.transaction((tx) =>
      postPoints(tx, {
        customerId: c.id,
        delta: 1200,
        reason: "BOOKING_COMPLETED",
        idempotencyKey: `test:${unique()}`,
      }),
    );
    // The ledger stamps the change with the database clock; pin it for the fixed run clock.
    await t.sql`update tier_changes set created_at = '2026-05-05T10:00:00Z' where customer_id = ${c.id}`;
    expect(await sentOf("2026-05-05T11:00:00Z", "TIER_UPGRADE")).toBe(1);
    const [mail] = await mails(c.id);
    expect(mail!.subject).toBe("Congratulations, you are now Silver!");
    expect(mail!.html).toContain("Mila");
    expect(mail!.html).toContain("1,200");

    const vip = await member();
    await tierChange(vip.id, "PLATINUM", "VIP", "2026-05-06T10:00:00Z");
    expect(await sentOf("2026-05-06T11:00:00Z", "TIER_UPGRADE")).toBe(1);
  });
});

describe("every automation", () => {
  it("never mails an opted-out, erased or suppressed customer", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    await enable("TIER_UPGRADE", "2026-01-01T00:00:00Z");
    await enable("WIN_BACK", "2026-01-01T00:00:00Z");
    const birthDate = "2018-03-17";
    const ok = await member({ birthDate, loyaltyTier: "SILVER" });
    const optedOut = await member({ birthDate, loyaltyTier: "SILVER", marketingOptIn: false });
    const erased = await member({ birthDate, loyaltyTier: "SILVER" });
    const suppressed = await member({ birthDate, loyaltyTier: "SILVER" });
    await t.db
      .insert(schema.suppressions)
      .values({ emailHash: emailSuppressionHash(suppressed.email!), reason: "HARD_BOUNCE" });
    for (const c of [ok, optedOut, erased, suppressed]) {
      await completedBooking(c.id, "2025-10-01T10:00:00Z");
      await t.db.insert(schema.tierChanges).values({
        customerId: c.id,
        fromTier: "BRONZE",
        toTier: "SILVER",
        reason: "test",
        createdAt: at("2026-03-11T10:00:00Z"),
      });
    }
    await t.db
      .update(schema.customers)
      .set({ email: null, name: null, erasedAt: at("2026-03-01T10:00:00Z") })
      .where(eq(schema.customers.id, erased.id));

    const results = await run("2026-03-12T10:00:00Z");
    expect(results).toEqual([
      { kind: "BIRTHDAY", enabled: true, sent: 1 },
      { kind: "WIN_BACK", enabled: true, sent: 1 },
      { kind: "TIER_UPGRADE", enabled: true, sent: 1 },
    ]);
    for (const kind of ["BIRTHDAY", "WIN_BACK", "TIER_UPGRADE"] as const) {
      expect((await sends(kind)).map((s) => s.customer_id)).toEqual([ok.id]);
    }
    const count = await t.sql`select count(*)::int as n from email_messages`;
    expect(count[0]!.n).toBe(3);
  });

  it("sends nothing while switched off, and stops when switched off", async () => {
    await member({ birthDate: "2018-03-17" });
    expect(await run("2026-03-12T10:00:00Z")).toEqual([
      { kind: "BIRTHDAY", enabled: false, sent: 0 },
      { kind: "WIN_BACK", enabled: false, sent: 0 },
      { kind: "TIER_UPGRADE", enabled: false, sent: 0 },
    ]);
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const actor = await staff();
    await setAutomationEnabled(testDeps(t.db, actor), { kind: "BIRTHDAY", enabled: false });
    expect(await sentOf("2026-03-12T10:00:00Z", "BIRTHDAY")).toBe(0);
    expect(await t.sql`select * from automation_sends`).toEqual([]);
    expect(await t.sql`select * from email_messages`).toEqual([]);
  });

  it("queues the rendered email with the customer's merge values, through the job queue", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const actor = await staff();
    await updateAutomation(testDeps(t.db, actor), {
      kind: "BIRTHDAY",
      subject: "Party time, {{firstName}}!",
      preheader: "You are {{tier}}",
      bodyMarkdown:
        "Hi **{{firstName}}**, you have {{points}} points, {{pointsToNextTier}} to go. <b>x</b>",
    });
    const c = await member({ name: "<Ana> Petrović", birthDate: "2018-03-17" });
    await t.db.transaction((tx) =>
      postPoints(tx, {
        customerId: c.id,
        delta: 1250,
        reason: "BOOKING_COMPLETED",
        idempotencyKey: `test:${unique()}`,
      }),
    );
    expect(await sentOf("2026-03-12T10:00:00Z", "BIRTHDAY")).toBe(1);
    const [mail] = await mails(c.id);
    expect(mail).toMatchObject({
      kind: "MARKETING",
      template: "automation:birthday",
      subject: "Party time, <Ana>!",
      to_email: c.email,
      status: "QUEUED",
    });
    // Merge values are escaped in the HTML.
    expect(mail!.html).toContain("<strong>&lt;Ana&gt;</strong>");
    expect(mail!.html).toContain("1,250 points, 1,750 to go");
    expect(mail!.html).toContain("You are Silver");
    // Raw HTML in the body is text, never markup.
    expect(mail!.html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(mail!.html).toContain(`http://portal.test/unsubscribe/${c.id}.email.`);
    expect(mail!.text).toContain("1,250 points");
    expect(mail!.html).not.toContain("{{");
    // One delivery job per email, and the claim points at it.
    const [send] =
      await t.sql`select email_message_id from automation_sends where customer_id = ${c.id}`;
    const jobs = await t.sql`
      select p.payload from graphile_worker.jobs j
      join graphile_worker._private_jobs p on p.id = j.id
      where j.task_identifier = 'email:send'`;
    expect(jobs.map((j) => j.payload)).toEqual([{ emailMessageId: send!.email_message_id }]);
  });

  it("sends once when run twice, and when two workers run at the same time", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const customers: { id: string }[] = [];
    for (let i = 0; i < 25; i++) customers.push(await member({ birthDate: "2018-03-17" }));
    const other: DbHandle = createDb(t.url, { max: 3 });
    try {
      const now = at("2026-03-12T10:00:00Z");
      const results = await Promise.all([
        runAutomations({ db: t.db, config: env, now }, { only: "BIRTHDAY", batchSize: 4 }),
        runAutomations({ db: other.db, config: env, now }, { only: "BIRTHDAY", batchSize: 4 }),
        runAutomations({ db: other.db, config: env, now }, { only: "BIRTHDAY", batchSize: 7 }),
      ]);
      expect(results.reduce((n, [r]) => n + r!.sent, 0)).toBe(25);
      expect(await sentOf("2026-03-12T11:00:00Z", "BIRTHDAY")).toBe(0);
    } finally {
      await other.close();
    }
    const perCustomer = await t.sql`
      select customer_id, count(*)::int as n from email_messages group by customer_id`;
    expect(perCustomer).toHaveLength(25);
    expect(perCustomer.every((r) => r.n === 1)).toBe(true);
    const unlinked = await t.sql`select 1 from automation_sends where email_message_id is null`;
    expect(unlinked).toHaveLength(0);
    const [jobs] = await t.sql`select count(*)::int as n from graphile_worker.jobs`;
    expect(jobs!.n).toBe(25);
  });

  it("a failure mid-batch leaves neither a claim nor an email", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const c = await member({ birthDate: "2018-03-17" });
    // Make the email insert fail inside the run's transaction.
    await t.sql`alter table email_messages add constraint no_mail check (subject = 'never')`;
    await expect(run("2026-03-12T10:00:00Z", "BIRTHDAY")).rejects.toThrow();
    expect(await t.sql`select * from automation_sends`).toEqual([]);
    await t.sql`alter table email_messages drop constraint no_mail`;
    expect(await sentOf("2026-03-12T10:30:00Z", "BIRTHDAY")).toBe(1);
    expect(await periodsOf("BIRTHDAY", c.id)).toEqual(["2026"]);
  });

  it("a merge keeps what was already mailed: no second birthday email for the family", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    await enable("WIN_BACK", "2026-01-01T00:00:00Z");
    const survivor = await member({ birthDate: "2018-03-17" });
    const merged = await member({ birthDate: "2018-03-17" });
    await completedBooking(merged.id, "2025-10-01T10:00:00Z");
    expect(await run("2026-03-12T10:00:00Z")).toMatchObject([
      { kind: "BIRTHDAY", sent: 2 },
      { kind: "WIN_BACK", sent: 1 },
      { kind: "TIER_UPGRADE", sent: 0 },
    ]);
    const actor = await insertStaffActor(t.db, { role: "MANAGER" });
    await mergeCustomers(
      { db: t.db, actor, meta: testMeta },
      {
        survivorId: survivor.id,
        mergedId: merged.id,
      },
    );
    expect(await periodsOf("BIRTHDAY", survivor.id)).toEqual(["2026"]);
    expect(await periodsOf("WIN_BACK", survivor.id)).toEqual(["first"]);
    expect(await sentOf("2026-03-13T10:00:00Z", "BIRTHDAY")).toBe(0);
  });
});

describe("administration", () => {
  it("lists the three automations off, with previews and the merge tags", async () => {
    const { automations, mergeTags } = await listAutomations({ db: t.db });
    expect(automations.map((a) => [a.kind, a.label, a.enabled, a.settings])).toEqual([
      ["BIRTHDAY", "Birthday", false, ["daysBefore"]],
      ["WIN_BACK", "Win-back", false, ["inactivityDays", "cooldownDays"]],
      ["TIER_UPGRADE", "Tier upgrade", false, []],
    ]);
    expect(automations[0]).toMatchObject({ daysBefore: 7, sentLast30Days: 0 });
    expect(automations[1]).toMatchObject({ inactivityDays: 90, cooldownDays: 180 });
    expect(automations[2]!.preview.subject).toBe("Congratulations, you are now Silver!");
    expect(automations[0]!.preview.html).toContain("Ana");
    expect(mergeTags).toEqual(["firstName", "points", "tier", "pointsToNextTier"]);
    const draft = await previewAutomationMessage({
      subject: "Hi {{firstName}} {{nope}}",
      preheader: "",
      bodyMarkdown: "**{{points}}**",
    });
    expect(draft.subject).toBe("Hi Ana ");
    expect(draft.html).toContain("<strong>1,250</strong>");
    expect(draft.unknownTags).toEqual(["{{nope}}"]);
  });

  it("refuses unknown merge tags on the field that has them, and ignores other kinds' settings", async () => {
    const actor = await staff();
    const message = { subject: "Hi {{firstname}}", preheader: "{{tier}}", bodyMarkdown: "x" };
    const refused = await updateAutomation(testDeps(t.db, actor), {
      kind: "WIN_BACK",
      ...message,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).fieldErrors).toEqual({
      subject: [
        "Unknown merge tag {{firstname}}. Use {{firstName}}, {{points}}, {{tier}}, {{pointsToNextTier}}.",
      ],
    });
    const r = await updateAutomation(testDeps(t.db, actor), {
      kind: "WIN_BACK",
      ...message,
      subject: "Hi {{firstName}}",
      daysBefore: 3,
      cooldownDays: 30,
    });
    expect(r.changed).toBe(true);
    expect(r.automation).toMatchObject({ daysBefore: 7, cooldownDays: 30, inactivityDays: 90 });
    const again = await updateAutomation(testDeps(t.db, actor), {
      kind: "WIN_BACK",
      ...message,
      subject: "Hi {{firstName}}",
      cooldownDays: 30,
    });
    expect(again.changed).toBe(false);
    const audit = await t.sql`select action, actor_id, details from audit_log
      where entity_type = 'automation' order by created_at`;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "automation.updated",
      actor_id: actor.id,
      details: {
        before: { cooldownDays: 180 },
        after: { cooldownDays: 30, preheader: "{{tier}}" },
      },
    });
  });

  it("records when it was switched on; runNow queues one job while switched on", async () => {
    const actor = await insertStaffActor(t.db, { role: "MANAGER" });
    await expect(
      requestAutomationRun(testDeps(t.db, actor), { kind: "BIRTHDAY" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await enable("BIRTHDAY", "2026-02-01T10:00:00Z");
    await enable("BIRTHDAY", "2026-02-02T10:00:00Z");
    const [row] = await t.db
      .select()
      .from(schema.marketingAutomations)
      .where(eq(schema.marketingAutomations.kind, "BIRTHDAY"));
    expect(row).toMatchObject({ enabled: true, enabledAt: at("2026-02-01T10:00:00Z") });
    await requestAutomationRun(testDeps(t.db, actor), { kind: "BIRTHDAY" });
    await requestAutomationRun(testDeps(t.db, actor), { kind: "BIRTHDAY" });
    const jobs = await t.sql`select p.payload from graphile_worker.jobs j
      join graphile_worker._private_jobs p on p.id = j.id
      where j.task_identifier = 'marketing:run-automations'`;
    expect(jobs).toEqual([{ payload: { kind: "BIRTHDAY" } }]);
    const actions = await t.sql`select action from audit_log where entity_type = 'automation'
      order by created_at`;
    expect(actions.map((a) => a.action)).toEqual([
      "automation.enabled",
      "automation.run_requested",
      "automation.run_requested",
    ]);
  });

  it("pages the send log newest first, hiding erased customers", async () => {
    await enable("BIRTHDAY", "2026-01-01T00:00:00Z");
    const early = await member({ name: "Early Bird", birthDate: "2018-03-10" });
    const others: { id: string }[] = [];
    for (let i = 0; i < 4; i++) others.push(await member({ birthDate: "2018-03-17" }));
    await run("2026-03-05T10:00:00Z", "BIRTHDAY");
    await run("2026-03-12T10:00:00Z", "BIRTHDAY");
    await t.db
      .update(schema.customers)
      .set({ email: null, name: null, erasedAt: at("2026-03-13T10:00:00Z") })
      .where(eq(schema.customers.id, others[0]!.id));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const p = await automationLog(
        { db: t.db },
        {
          kind: "BIRTHDAY",
          limit: 2,
          ...(cursor ? { cursor } : {}),
        },
      );
      expect(p.total).toBe(5);
      seen.push(...p.items.map((i) => i.customerId));
      if (!p.nextCursor) break;
      cursor = p.nextCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.at(-1)).toBe(early.id);
    const all = await automationLog({ db: t.db }, { kind: "BIRTHDAY", limit: 10 });
    expect(all.items.find((i) => i.customerId === others[0]!.id)).toMatchObject({
      erased: true,
      name: null,
      email: null,
      emailStatus: "QUEUED",
    });
    expect(all.items.at(-1)).toMatchObject({ name: "Early Bird", periodKey: "2026" });
    await expect(
      automationLog({ db: t.db }, { kind: "BIRTHDAY", cursor: "bm90LWEtY3Vyc29y" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
