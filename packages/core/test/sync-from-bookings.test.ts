import { schema } from "@xplorium/db";
import { insertStaff } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { lockCustomerStats, refreshCustomerStats } from "../src/customers/booking-stats";
import { REFERRAL_CODE_PREFIX, UNAMBIGUOUS_ALPHABET } from "../src/customers/referral-code";
import { syncFromBookings } from "../src/customers/sync-from-bookings";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";
import { useTestDatabase } from "./support";

/**
 * Sync from bookings on a small fixture whose outcome is worked out by hand below.
 *
 * Customers before:        Unlinked bookings (contact email as sent):
 *  A anna@   wrong stats    1 "  ANNA@Example.com "   COMPLETED 05-01 2000 → A
 *  B ben@    alias ben.old@ 2 "ben.old@example.com"   PENDING   04-01 1500 → B (alias)
 *  C carl@   right stats    3 "Ben.Old@example.com "  COMPLETED 06-01 2500 → B (alias)
 *  E erased, alias          4 "new.family@example.com" PENDING  07-01 → new N (Nina New, +381…)
 *    erased.alias@          5 " NEW.family@EXAMPLE.com" COMPLETED 08-01 4000 → N (Nina Newer)
 *  suppressed: gone@        6 "new.family@example.com" CANCELLED 09-01 9999 → N
 *                           7 "gone@example.com"       → stays unlinked (suppressed)
 *                           8 "erased.alias@example.com" → stays unlinked (erased customer)
 *                           9 no email, 10 "not-an-email" → stay unlinked
 *                          11 "solo@example.com" CANCELLED only → new S, no counted bookings
 */

let staffId: string;
const ids = {} as Record<"A" | "B" | "C" | "E", string>;
const actor = () => ({ type: "staff" as const, id: staffId, role: "MANAGER" as const });
const meta = { ip: "127.0.0.1", userAgent: null, requestId: "sync-test" };

type Status = (typeof schema.bookingStatus.enumValues)[number];
async function booking(
  at: string,
  status: Status,
  opts: {
    customerId?: string;
    email?: string | null;
    name?: string;
    phone?: string;
    amount?: number;
  } = {},
) {
  const [row] = await t.db
    .insert(schema.bookings)
    .values({
      customerId: opts.customerId ?? null,
      type: "PLAYGROUND",
      status,
      scheduledAt: new Date(`2024-${at}T10:00:00Z`),
      amount: opts.amount ?? 0,
      currency: "RSD",
      contactEmail: opts.email ?? null,
      contactName: opts.name ?? null,
      contactPhone: opts.phone ?? null,
      completedAt: status === "COMPLETED" ? new Date(`2024-${at}T12:00:00Z`) : null,
      source: "IMPORT",
    })
    .returning({ id: schema.bookings.id });
  return row!.id;
}

async function customer(values: Partial<typeof schema.customers.$inferInsert>) {
  const [row] = await t.db
    .insert(schema.customers)
    .values({ referralCode: `T${Math.random().toString(36).slice(2, 9).toUpperCase()}`, ...values })
    .returning({ id: schema.customers.id });
  return row!.id;
}

const booking11: Record<string, string> = {};

const t = useTestDatabase(async () => {
  staffId = (await insertStaff(t.db, { role: "MANAGER" })).id;
  ids.A = await customer({
    email: "anna@example.com",
    name: "Anna",
    totalBookings: 9,
    totalSpent: 999,
    firstBookingAt: new Date("2020-01-01T00:00:00Z"),
    lastBookingAt: new Date("2020-01-02T00:00:00Z"),
  });
  ids.B = await customer({ email: "ben@example.com", name: "Ben" });
  ids.C = await customer({
    email: "carl@example.com",
    name: "Carl",
    totalBookings: 1,
    firstBookingAt: new Date("2024-02-01T10:00:00Z"),
    lastBookingAt: new Date("2024-02-01T10:00:00Z"),
  });
  ids.E = await customer({ email: null, name: null, erasedAt: new Date() });
  await t.db.insert(schema.customerEmailAliases).values([
    { email: "ben.old@example.com", customerId: ids.B },
    { email: "erased.alias@example.com", customerId: ids.E },
  ]);
  await t.db
    .insert(schema.suppressions)
    .values({ emailHash: emailSuppressionHash("Gone@Example.com "), reason: "ERASURE" });

  await booking("01-10", "COMPLETED", { customerId: ids.A, amount: 5000 });
  await booking("03-01", "CANCELLED", { customerId: ids.A, amount: 3000 });
  await booking("02-01", "PENDING", { customerId: ids.C, amount: 1000 });
  await booking("05-05", "COMPLETED", { customerId: ids.E, amount: 700 });

  booking11["1"] = await booking("05-01", "COMPLETED", {
    email: "  ANNA@Example.com ",
    amount: 2000,
  });
  booking11["2"] = await booking("04-01", "PENDING", {
    email: "ben.old@example.com",
    amount: 1500,
  });
  booking11["3"] = await booking("06-01", "COMPLETED", {
    email: "Ben.Old@example.com ",
    amount: 2500,
  });
  booking11["4"] = await booking("07-01", "PENDING", {
    email: "new.family@example.com",
    name: "Nina New",
    phone: "+381601234567",
  });
  booking11["5"] = await booking("08-01", "COMPLETED", {
    email: " NEW.family@EXAMPLE.com",
    name: "Nina Newer",
    amount: 4000,
  });
  booking11["6"] = await booking("09-01", "CANCELLED", {
    email: "new.family@example.com",
    amount: 9999,
  });
  booking11["7"] = await booking("05-01", "COMPLETED", {
    email: "GONE@example.com",
    name: "Gone",
    amount: 100,
  });
  booking11["8"] = await booking("05-01", "PENDING", { email: "erased.alias@example.com" });
  booking11["9"] = await booking("05-01", "PENDING", { email: null, name: "Walk-in" });
  booking11["10"] = await booking("05-01", "PENDING", { email: "not-an-email" });
  booking11["11"] = await booking("01-01", "CANCELLED", {
    email: "solo@example.com",
    name: " Sol ",
    amount: 800,
  });
});

const stats = async (where: { id?: string; email?: string }) => {
  const c = schema.customers;
  const [row] = await t.db
    .select()
    .from(c)
    .where(where.id ? eq(c.id, where.id) : eq(c.email, where.email!));
  return row!;
};
const at = (d: string) => new Date(`2024-${d}T10:00:00Z`);
const linkedTo = async (bookingNo: string) =>
  (await t.sql`select customer_id from bookings where id = ${booking11[bookingNo]!}`)[0]!
    .customer_id as string | null;

describe("syncFromBookings on a hand-computed fixture", () => {
  it("uses the same email hash in JavaScript and SQL", async () => {
    const [row] =
      await t.sql`select encode(sha256(convert_to('gone@example.com', 'UTF8')), 'hex') as h`;
    expect(emailSuppressionHash(" GONE@example.com\n")).toBe(row!.h);
    expect(row!.h).toMatch(/^[0-9a-f]{64}$/);
  });

  it("creates, links and recomputes exactly what the fixture says", async () => {
    const result = await syncFromBookings({ db: t.db, actor: actor(), meta });
    expect(result).toEqual({ created: 2, updated: 2, linked: 7, unlinked: 4, suppressed: 2 });

    const a = await stats({ id: ids.A });
    expect(a).toMatchObject({
      totalBookings: 2,
      totalSpent: 7000,
      firstBookingAt: at("01-10"),
      lastBookingAt: at("05-01"),
    });
    const b = await stats({ id: ids.B });
    expect(b).toMatchObject({
      totalBookings: 2,
      totalSpent: 2500,
      firstBookingAt: at("04-01"),
      lastBookingAt: at("06-01"),
    });
    const c = await stats({ id: ids.C });
    expect(c.updatedAt.getTime()).toBe(c.createdAt.getTime());

    const n = await stats({ email: "new.family@example.com" });
    expect(n).toMatchObject({
      name: "Nina Newer",
      phone: "+381601234567",
      totalBookings: 2,
      totalSpent: 4000,
      firstBookingAt: at("07-01"),
      lastBookingAt: at("08-01"),
      marketingOptIn: false,
      smsOptIn: false,
      loyaltyPoints: 0,
      erasedAt: null,
    });
    const codeShape = new RegExp(`^${REFERRAL_CODE_PREFIX}[${UNAMBIGUOUS_ALPHABET}]{6}$`);
    expect(n.referralCode).toMatch(codeShape);
    const s = await stats({ email: "solo@example.com" });
    expect(s).toMatchObject({
      name: "Sol",
      totalBookings: 0,
      totalSpent: 0,
      firstBookingAt: null,
      lastBookingAt: null,
    });
    expect(s.referralCode).toMatch(codeShape);

    expect(await linkedTo("1")).toBe(ids.A);
    expect(await linkedTo("2")).toBe(ids.B);
    expect(await linkedTo("3")).toBe(ids.B);
    for (const no of ["4", "5", "6"]) expect(await linkedTo(no)).toBe(n.id);
    expect(await linkedTo("11")).toBe(s.id);
    for (const no of ["7", "8", "9", "10"]) expect(await linkedTo(no)).toBeNull();

    // Nobody for the suppressed address or the erased customer's alias; E stays erased.
    const emails = (await t.sql`select email from customers order by email`).map((r) => r.email);
    expect(emails).toEqual([
      "anna@example.com",
      "ben@example.com",
      "carl@example.com",
      "new.family@example.com",
      "solo@example.com",
      null,
    ]);
    const e = await stats({ id: ids.E });
    expect(e).toMatchObject({ email: null, totalBookings: 0 });

    const [audit] =
      await t.sql`select actor_type, actor_id, details from audit_log where action = 'customers.synced'`;
    expect(audit).toMatchObject({
      actor_type: "STAFF",
      actor_id: staffId,
      details: { created: 2, updated: 2, linked: 7, unlinked: 4, suppressed: 2 },
    });
  });

  it("is idempotent: a second run reports zeros and writes nothing", async () => {
    const snapshot = async () => ({
      customers: await t.sql`select * from customers order by id`,
      bookings: await t.sql`select id, customer_id, updated_at from bookings order by id`,
    });
    const before = await snapshot();
    const result = await syncFromBookings({ db: t.db, actor: actor(), meta });
    expect(result).toEqual({ created: 0, updated: 0, linked: 0, unlinked: 4, suppressed: 2 });
    expect(await snapshot()).toEqual(before);
  });

  it("brings wrong stats back and counts only the customers that changed", async () => {
    await t.sql`update customers set total_spent = 1 where id = ${ids.C}`;
    await t.sql`update customers set last_booking_at = null where id = ${ids.B}`;
    expect(await syncFromBookings({ db: t.db, actor: actor(), meta })).toMatchObject({
      created: 0,
      updated: 2,
      linked: 0,
    });
    expect(await stats({ id: ids.C })).toMatchObject({ totalSpent: 0, totalBookings: 1 });
  });

  it("refreshCustomerStats (the booking flow's path) agrees with the sync", async () => {
    await t.sql`update customers set total_bookings = 40, total_spent = 4 where id in ${t.sql([ids.A, ids.B])}`;
    const changed = await refreshCustomerStats(t.db, [ids.A, ids.B, ids.C, ids.E]);
    expect(changed.sort()).toEqual([ids.A, ids.B].sort());
    expect(await refreshCustomerStats(t.db, [ids.A, ids.B])).toEqual([]);
    expect(await syncFromBookings({ db: t.db, actor: actor(), meta })).toMatchObject({
      created: 0,
      updated: 0,
      linked: 0,
    });
  });

  it("waits for booking writes in flight, never overwrites their stats, and runs one at a time", async () => {
    await booking("10-01", "COMPLETED", { email: "Race@Example.com", amount: 300 });
    await booking("10-02", "PENDING", { email: "anna@example.com" });
    // A booking write in flight (the booking flow): shared stats lock, a new booking for A,
    // A's stats refreshed, not yet committed.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const write = t.db.transaction(async (tx) => {
      await lockCustomerStats(tx, "shared");
      await tx.insert(schema.bookings).values({
        customerId: ids.A,
        type: "CAFE",
        status: "COMPLETED",
        scheduledAt: at("10-03"),
        completedAt: at("10-03"),
        amount: 50,
        currency: "RSD",
      });
      await refreshCustomerStats(tx, [ids.A]);
      entered();
      await gate;
    });
    await inside;
    const syncs = Promise.all([
      syncFromBookings({ db: t.db, actor: actor(), meta }),
      syncFromBookings({ db: t.db, actor: actor(), meta }),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    release();
    await write;
    const results = await syncs;

    const sum = (k: "created" | "updated" | "linked") => results.reduce((s, r) => s + r[k], 0);
    expect([sum("created"), sum("updated"), sum("linked")]).toEqual([1, 1, 2]);
    expect(results.some((r) => r.created + r.updated + r.linked === 0)).toBe(true);
    expect(await stats({ id: ids.A })).toMatchObject({
      totalBookings: 4,
      totalSpent: 7050,
      lastBookingAt: at("10-03"),
    });
    expect(await refreshCustomerStats(t.db, [ids.A, ids.B, ids.C])).toEqual([]);
  });
});
