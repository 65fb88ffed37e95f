import {
  bookingCreateInput,
  createBooking,
  listBookings,
  recordReview,
  setBookingStatus,
} from "@xplorium/core/bookings";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor, testMeta } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { BookingCreateInput } from "../src/bookings/booking-create";
import { BOOKING_CONFIG, bookAs, checkLedger, useTestDatabase } from "./support";

let actor: Awaited<ReturnType<typeof insertStaffActor>>;
const meta = testMeta;
const TZ = { TIME_ZONE: "Europe/Belgrade" };

const t = useTestDatabase(async () => {
  actor = await insertStaffActor(t.db);
}, checkLedger);

const book = (raw: Partial<Record<keyof BookingCreateInput, unknown>>) =>
  bookAs(t.db, actor, meta, raw);
const status = (bookingId: string, s: "APPROVED" | "COMPLETED" | "CANCELLED") =>
  setBookingStatus({ db: t.db, actor, meta, config: TZ }, { bookingId, status: s });
const customer = async (id: string) =>
  (await t.db.select().from(schema.customers).where(eq(schema.customers.id, id)))[0]!;

describe("bookings.create", () => {
  it("creates the customer, normalised, and keeps their stats true", async () => {
    const a = await book({ email: " Nina.P@Example.com ", name: "Nina", phone: "063 555 0101" });
    expect(a).toMatchObject({ created: true, customerCreated: true });
    const b = await book({
      email: "nina.p@example.com",
      name: "Someone else",
      scheduledAt: "2026-04-01T09:00:00Z",
    });
    expect(b.customerCreated).toBe(false);
    expect(b.booking.customerId).toBe(a.booking.customerId);
    const c = await customer(a.booking.customerId!);
    expect(c).toMatchObject({
      email: "nina.p@example.com",
      name: "Nina", // a booking fills blanks, it does not rename a known family
      phone: "+381635550101",
      totalBookings: 2,
      totalSpent: 0, // nothing completed yet
      marketingOptIn: false,
    });
    expect(c.firstBookingAt?.toISOString()).toBe("2026-03-10T10:00:00.000Z");
    expect(c.lastBookingAt?.toISOString()).toBe("2026-04-01T09:00:00.000Z");
  });

  it("is atomic: when the booking cannot be stored, no customer is created either", async () => {
    const input = bookingCreateInput.parse({
      email: "atomic@example.com",
      type: "CAFE",
      scheduledAt: "2026-03-10T10:00:00Z",
      guests: 1,
      amount: 100,
    });
    // Past validation, the database still refuses zero guests.
    await expect(
      createBooking(
        { db: t.db, actor, meta, config: BOOKING_CONFIG },
        { ...input, guests: 0, source: "ADMIN" },
      ),
    ).rejects.toThrow();
    const rows = await t.sql`select 1 from customers where email = 'atomic@example.com'`;
    expect(rows).toHaveLength(0);
  });

  it("is idempotent on externalId, even for concurrent retries", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        book({ email: "site@example.com", externalId: "site-4711", amount: 9900 }),
      ),
    );
    expect(new Set(results.map((r) => r.booking.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.sql`select id from bookings where external_ref = 'site-4711'`;
    expect(rows).toHaveLength(1);
    const c = await customer(results[0]!.booking.customerId!);
    expect(c.totalBookings).toBe(1);
  });

  it("links a new customer to a referrer by code, but not a look-alike of themself", async () => {
    const referrer = await insertCustomer(t.db, { email: "ana.maric@example.com" });
    const friend = await book({
      email: "friend@example.com",
      referralCode: referrer.referralCode.toLowerCase(),
    });
    expect((await customer(friend.booking.customerId!)).referredById).toBe(referrer.id);
    const self = await book({
      email: "a.n.a.maric+kids@example.com",
      referralCode: referrer.referralCode,
    });
    expect((await customer(self.booking.customerId!)).referredById).toBeNull();
    await expect(book({ email: "x@example.com", referralCode: "XPNOPE99" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { referralCode: [expect.any(String)] },
    });
  });
});

describe("bookings.create consent", () => {
  it("records consent only when the box was ticked, as pending until the customer confirms", async () => {
    const without = await book({ email: "no.box@example.com" });
    const ticked = await book({ email: "ticked@example.com", marketingConsent: true });
    const events =
      await t.sql`select customer_id, channel, action, state, source from consent_events
      where customer_id in (${without.booking.customerId}, ${ticked.booking.customerId})`;
    expect(events).toEqual([
      {
        customer_id: ticked.booking.customerId,
        channel: "EMAIL",
        action: "GRANTED",
        state: "PENDING",
        source: "STAFF",
      },
    ]);
    // Not opted in until confirmed; the confirmation email is queued with the booking.
    expect((await customer(ticked.booking.customerId!)).marketingOptIn).toBe(false);
    const mails =
      await t.sql`select template from email_messages where customer_id = ${ticked.booking.customerId}`;
    expect(mails).toEqual([{ template: "consent-confirm" }]);
  });
});

describe("bookings.setStatus", () => {
  it("awards points on completion exactly once, even under concurrent retries", async () => {
    const { booking } = await book({ email: "complete@example.com", amount: 4200 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => status(booking.id, "COMPLETED")),
    );
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const c = await customer(booking.customerId!);
    expect(c).toMatchObject({ loyaltyPoints: 100, lifetimePoints: 100, totalSpent: 4200 });
    const awards = await t.sql`select delta from loyalty_ledger where booking_id = ${booking.id}`;
    expect(awards).toEqual([{ delta: 100 }]);
  });

  it("awards 200 for a PARTY and doubles in the birth month", async () => {
    const party = await book({ email: "party@example.com", type: "PARTY" });
    expect((await status(party.booking.id, "COMPLETED")).points).toBe(200);
    const bday = await book({
      email: "bday@example.com",
      type: "PARTY",
      scheduledAt: "2026-03-15T12:00:00Z",
    });
    await t.sql`update customers set birth_date = '2019-03-20', birth_date_set_at = '2024-01-01'
      where id = ${bday.booking.customerId}`;
    expect((await status(bday.booking.id, "COMPLETED")).points).toBe(400);
  });

  it("gives no birthday bonus when the birth date was entered within 30 days of the birthday", async () => {
    const { booking } = await book({
      email: "late.bday@example.com",
      scheduledAt: "2026-03-15T12:00:00Z",
    });
    // Entered on 1 March for a 20 March birthday: locked for this year.
    await t.sql`update customers set birth_date = '2019-03-20', birth_date_set_at = '2026-03-01T10:00:00Z'
      where id = ${booking.customerId}`;
    expect((await status(booking.id, "COMPLETED")).points).toBe(100);
  });

  it("reverses a completed booking's points when it is cancelled, and cancelled is final", async () => {
    const { booking } = await book({ email: "reverse@example.com", amount: 3000 });
    await status(booking.id, "COMPLETED");
    await recordReview({ db: t.db, actor, meta }, { bookingId: booking.id });
    expect((await customer(booking.customerId!)).loyaltyPoints).toBe(125);
    const cancelled = await status(booking.id, "CANCELLED");
    expect(cancelled.points).toBe(-125);
    const c = await customer(booking.customerId!);
    expect(c).toMatchObject({
      loyaltyPoints: 0,
      lifetimePoints: 0,
      totalSpent: 0,
      totalBookings: 0,
    });
    await expect(status(booking.id, "COMPLETED")).rejects.toMatchObject({ code: "CONFLICT" });
    // Cancelling again is a no-op, not a second reversal.
    expect((await status(booking.id, "CANCELLED")).changed).toBe(false);
  });

  it("pays the referral bonus to both sides on the first completed booking only", async () => {
    const referrer = await insertCustomer(t.db, { email: "referrer@example.com" });
    const first = await book({ email: "newbie@example.com", referralCode: referrer.referralCode });
    const second = await book({ email: "newbie@example.com" });
    await status(first.booking.id, "COMPLETED");
    await status(second.booking.id, "COMPLETED");
    expect((await customer(first.booking.customerId!)).loyaltyPoints).toBe(250);
    expect((await customer(referrer.id)).loyaltyPoints).toBe(50);
  });

  it("pays no referral bonus when the two share a phone", async () => {
    const referrer = await insertCustomer(t.db, { email: "phone.ref@example.com" });
    await t.sql`update customers set phone = '+381641110000' where id = ${referrer.id}`;
    const b = await book({
      email: "phone.new@example.com",
      phone: "+381641110000",
      referralCode: referrer.referralCode,
    });
    await status(b.booking.id, "COMPLETED");
    expect((await customer(b.booking.customerId!)).loyaltyPoints).toBe(100);
    expect((await customer(referrer.id)).loyaltyPoints).toBe(0);
  });

  it("records a review once, only on completed bookings", async () => {
    const { booking } = await book({ email: "review@example.com" });
    await expect(
      recordReview({ db: t.db, actor, meta }, { bookingId: booking.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await status(booking.id, "COMPLETED");
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        recordReview({ db: t.db, actor, meta }, { bookingId: booking.id }),
      ),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect((await customer(booking.customerId!)).loyaltyPoints).toBe(125);
  });

  it("writes an audit row per change", async () => {
    const { booking } = await book({ email: "audited@example.com" });
    await status(booking.id, "APPROVED");
    await status(booking.id, "COMPLETED");
    const rows =
      await t.sql`select action, details from audit_log where entity_id = ${booking.id} order by id`;
    expect(rows.map((r) => r.action)).toEqual([
      "booking.created",
      "booking.approved",
      "booking.completed",
    ]);
    expect(rows[2]!.details).toMatchObject({
      before: { status: "APPROVED" },
      after: { status: "COMPLETED" },
      points: 100,
    });
  });
});

describe("bookings.list", () => {
  it("filters and pages without gaps or duplicates", async () => {
    const email = "lister@example.com";
    for (let i = 0; i < 7; i++) {
      await book({
        email,
        type: i % 2 ? "PARTY" : "CAFE",
        scheduledAt: `2026-05-0${i + 1}T10:00:00Z`,
      });
    }
    const all = await listBookings({ db: t.db }, { q: email, limit: 100 });
    expect(all.total).toBe(7);
    const seen: string[] = [];
    let cursor = null as null | { at: string; id: string };
    do {
      const page = await listBookings({ db: t.db }, { q: email, limit: 3, cursor });
      seen.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((b) => b.id));
    const parties = await listBookings({ db: t.db }, { q: email, type: "PARTY" });
    expect(parties.total).toBe(3);
    const may3to5 = await listBookings(
      { db: t.db },
      {
        q: email,
        from: new Date("2026-05-03T00:00:00Z"),
        to: new Date("2026-05-06T00:00:00Z"),
      },
    );
    expect(may3to5.items.map((b) => b.scheduledAt.toISOString().slice(0, 10))).toEqual([
      "2026-05-05",
      "2026-05-04",
      "2026-05-03",
    ]);
  });
});
