import type { Actor } from "@xplorium/core/actor";
import { setBookingStatus } from "@xplorium/core/bookings";
import { applyReferralCode, referralApplyInput, referralSummary } from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaff } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { BookingCreateInput } from "../src/bookings/booking-create";
import { referralConflict } from "../src/loyalty/referral-rules";
import { friendDisplayName } from "../src/loyalty/referrals";
import { bookAs, checkLedger, useTestDatabase } from "./support";

let staff: Actor;
// The ledger invariant holds after every test.
const t = useTestDatabase(async (t) => {
  const s = await insertStaff(t.db);
  staff = { type: "staff", id: s.id, role: "FRONT_DESK" };
}, checkLedger);
const meta = { ip: "127.0.0.1", userAgent: "vitest", requestId: "r" };
const config = { PORTAL_URL: "http://portal.test" };

let n = 0;
const email = (name: string) => `${name}.${++n}@example.com`;
const book = (raw: Partial<Record<keyof BookingCreateInput, unknown>>) =>
  bookAs(t.db, staff, meta, raw);
const complete = (bookingId: string) =>
  setBookingStatus(
    { db: t.db, actor: staff, meta, config: { TIME_ZONE: "Europe/Belgrade" } },
    { bookingId, status: "COMPLETED" },
  );
const cancel = (bookingId: string) =>
  setBookingStatus(
    { db: t.db, actor: staff, meta, config: { TIME_ZONE: "Europe/Belgrade" } },
    { bookingId, status: "CANCELLED" },
  );
const customer = async (id: string) =>
  (await t.db.select().from(schema.customers).where(eq(schema.customers.id, id)))[0]!;
const asCustomer = (id: string): Actor => ({ type: "customer", id });
const apply = (customerId: string, code: string, actor: Actor = asCustomer(customerId)) =>
  applyReferralCode(
    { db: t.db, actor, meta },
    {
      customerId,
      code: referralApplyInput.parse({ code }).code,
    },
  );
const withPhone = async (id: string, phone: string) => {
  await t.sql`update customers set phone = ${phone} where id = ${id}`;
};

describe("referralConflict (shared by linking and awarding)", () => {
  const a = { id: "a", email: "ana.petrovic@gmail.com", phone: "+381641234567" };
  it.each([
    ["the same account", { ...a }, "self"],
    ["the same phone", { id: "b", email: "other@x.com", phone: "+381641234567" }, "same-phone"],
    [
      "dots in the local part",
      { id: "b", email: "a.na.petrovic@gmail.com", phone: null },
      "lookalike-email",
    ],
    ["a +tag", { id: "b", email: "anapetrovic+kids@gmail.com", phone: null }, "lookalike-email"],
    ["a different person", { id: "b", email: "marko@gmail.com", phone: "+381640000000" }, null],
    [
      "the same local part at another domain",
      { id: "b", email: "anapetrovic@yahoo.com", phone: null },
      null,
    ],
    ["no phones on either side", { id: "b", email: "z@x.com", phone: null }, null],
  ] as const)("%s", (_label, referee, expected) => {
    expect(referralConflict(referee, a)).toBe(expected);
  });

  it("compares no phones when neither has one", () => {
    expect(
      referralConflict(
        { id: "a", email: "a@x.com", phone: null },
        { id: "b", email: "b@x.com", phone: null },
      ),
    ).toBeNull();
  });
});

describe("friendDisplayName", () => {
  it.each([
    ["Marko Jovanović", "Marko J."],
    ["  Ivana  ", "Ivana"],
    ["Ana Maria van der berg", "Ana B."],
    [null, "A friend"],
    ["", "A friend"],
  ])("%s → %s", (name, shown) => {
    expect(friendDisplayName(name)).toBe(shown);
  });
});

describe("applyReferralCode", () => {
  it("links a genuinely new customer, audits it, and the first completed booking pays both", async () => {
    const referrer = await insertCustomer(t.db, { email: email("referrer") });
    const { booking } = await book({ email: email("newbie"), name: "Newbie" });
    const newbieId = booking.customerId!;
    // Typed from paper: lower case, a space and a dash are fine.
    const code = `${referrer.referralCode.slice(0, 3).toLowerCase()} -${referrer.referralCode.slice(3)}`;
    const r = await apply(newbieId, code);
    expect(r).toEqual({ changed: true, referrer: { displayName: "Test C." } });
    expect((await customer(newbieId)).referredById).toBe(referrer.id);
    const audit = await t.sql`select actor_type, actor_id, action, details from audit_log
      where entity_id = ${newbieId} and action = 'customer.referral_applied'`;
    expect(audit).toEqual([
      {
        actor_type: "CUSTOMER",
        actor_id: newbieId,
        action: "customer.referral_applied",
        details: {
          code: referrer.referralCode,
          before: { referredById: null },
          after: { referredById: referrer.id },
        },
      },
    ]);
    // The same code again is a no-op, not an error (double submit).
    expect(await apply(newbieId, referrer.referralCode)).toMatchObject({ changed: false });

    await complete(booking.id);
    expect((await customer(newbieId)).loyaltyPoints).toBe(150);
    expect((await customer(referrer.id)).loyaltyPoints).toBe(50);
  });

  it("lets staff apply a code on a customer's behalf, audited as the staff member", async () => {
    const referrer = await insertCustomer(t.db, { email: email("ref-staff") });
    const friend = await insertCustomer(t.db, { email: email("walk-in") });
    await apply(friend.id, referrer.referralCode, staff);
    const [row] = await t.sql`select actor_type, actor_id from audit_log
      where entity_id = ${friend.id} and action = 'customer.referral_applied'`;
    expect(row).toEqual({ actor_type: "STAFF", actor_id: staff.id });
  });

  it("refuses an unknown code, and the code of an erased customer", async () => {
    const friend = await insertCustomer(t.db, { email: email("unknown") });
    await expect(apply(friend.id, "XPNOPE99")).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "No customer has that referral code.",
      fieldErrors: { code: ["No customer has that referral code."] },
    });
    const gone = await insertCustomer(t.db, { email: email("gone") });
    await t.sql`update customers set erased_at = now(), email = null, name = null where id = ${gone.id}`;
    await expect(apply(friend.id, gone.referralCode)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "No customer has that referral code.",
    });
  });

  it("refuses the customer's own code", async () => {
    const me = await insertCustomer(t.db, { email: email("self") });
    await expect(apply(me.id, me.referralCode)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("own referral code"),
      fieldErrors: { code: [expect.stringContaining("own referral code")] },
    });
  });

  it.each([
    ["dots", "mila.jovic", "m.i.l.a.jovic"],
    ["a +tag", "milajovic", "milajovic+second"],
    ["dots and a +tag", "mila.jovic", "mi.la.jovic+kids"],
  ])("refuses a look-alike email (%s)", async (_label, referrerLocal, friendLocal) => {
    const domain = `lookalike${++n}.example`;
    const referrer = await insertCustomer(t.db, { email: `${referrerLocal}@${domain}` });
    const friend = await insertCustomer(t.db, { email: `${friendLocal}@${domain}` });
    await expect(apply(friend.id, referrer.referralCode)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("same email address"),
    });
    expect((await customer(friend.id)).referredById).toBeNull();
  });

  it("refuses a code from an account with the same phone", async () => {
    const referrer = await insertCustomer(t.db, { email: email("phone-a") });
    const friend = await insertCustomer(t.db, { email: email("phone-b") });
    await withPhone(referrer.id, "+381641112233");
    await withPhone(friend.id, "+381641112233");
    await expect(apply(friend.id, referrer.referralCode)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("same phone number"),
    });
  });

  it("refuses a customer who already has a completed booking, even one cancelled since", async () => {
    const referrer = await insertCustomer(t.db, { email: email("ref-late") });
    const { booking } = await book({ email: email("regular") });
    await complete(booking.id);
    await expect(apply(booking.customerId!, referrer.referralCode)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already has a completed visit"),
    });
    await cancel(booking.id);
    await expect(apply(booking.customerId!, referrer.referralCode)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // A booking that is only pending is fine: they are still new.
    const pending = await book({ email: email("pending") });
    await expect(apply(pending.booking.customerId!, referrer.referralCode)).resolves.toMatchObject({
      changed: true,
    });
  });

  it("refuses a customer already referred by someone else", async () => {
    const first = await insertCustomer(t.db, { email: email("first-ref") });
    const second = await insertCustomer(t.db, { email: email("second-ref") });
    const friend = await insertCustomer(t.db, { email: email("twice") });
    await apply(friend.id, first.referralCode);
    await expect(apply(friend.id, second.referralCode)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already referred"),
    });
    expect((await customer(friend.id)).referredById).toBe(first.id);
  });

  it("refuses an erased customer", async () => {
    const referrer = await insertCustomer(t.db, { email: email("ref-of-erased") });
    const erased = await insertCustomer(t.db, { email: email("erased") });
    await t.sql`update customers set erased_at = now(), email = null where id = ${erased.id}`;
    await expect(apply(erased.id, referrer.referralCode)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("validates the code's shape with a human message", () => {
    expect(referralApplyInput.safeParse({ code: " - " }).error?.issues[0]?.message).toBe(
      "Enter a referral code.",
    );
    expect(referralApplyInput.parse({ code: " xp ab-cd 23 " })).toEqual({ code: "XPABCD23" });
  });
});

describe("booking-time referral links use the same abuse check", () => {
  it("does not link a new booking customer whose phone matches the referrer's", async () => {
    const referrer = await insertCustomer(t.db, { email: email("booking-ref") });
    await withPhone(referrer.id, "+381642223344");
    const b = await book({
      email: email("booking-friend"),
      phone: "+381642223344",
      referralCode: referrer.referralCode,
    });
    expect((await customer(b.booking.customerId!)).referredById).toBeNull();
  });
});

describe("referralSummary", () => {
  it("shows the code, share link, friends by first name and initial, and net referral points", async () => {
    const me = await insertCustomer(t.db, { email: email("summary") });
    const empty = await referralSummary({ db: t.db, config }, { customerId: me.id });
    expect(empty).toMatchObject({
      code: me.referralCode,
      shareUrl: `http://portal.test/join?ref=${me.referralCode}`,
      friendsCount: 0,
      friends: [],
      pointsEarned: 0,
      bonusesThisMonth: 0,
      monthlyCap: 5,
      pointsPerReferral: 50,
      canApplyCode: true,
      referred: false,
    });

    const marko = await book({
      email: email("marko"),
      name: "Marko Jovanović",
      referralCode: me.referralCode,
    });
    const ivana = await insertCustomer(t.db, { email: email("ivana"), name: "Ivana" });
    await apply(ivana.id, me.referralCode);
    await t.sql`update customers set created_at = now() + interval '1 minute' where id = ${ivana.id}`;
    const nameless = await insertCustomer(t.db, { email: email("nameless") });
    await t.sql`update customers set name = null, created_at = now() - interval '1 day' where id = ${nameless.id}`;
    await apply(nameless.id, me.referralCode);
    await complete(marko.booking.id);

    const s = await referralSummary({ db: t.db, config }, { customerId: me.id });
    expect(s.friendsCount).toBe(3);
    expect(s.friends.map(({ displayName, earned }) => ({ displayName, earned }))).toEqual([
      { displayName: "Ivana", earned: false },
      { displayName: "Marko J.", earned: true },
      { displayName: "A friend", earned: false },
    ]);
    expect(s.friends[0]!.joinedAt).toBeInstanceOf(Date);
    // Nothing that identifies a friend beyond the first name and initial.
    expect(JSON.stringify(s.friends)).not.toContain("@");
    expect(JSON.stringify(s.friends)).not.toContain(ivana.id);
    expect(s).toMatchObject({ pointsEarned: 50, bonusesThisMonth: 1 });

    // The friend's first visit cancelled: the bonus is taken back, and the net shows it.
    await cancel(marko.booking.id);
    expect(await referralSummary({ db: t.db, config }, { customerId: me.id })).toMatchObject({
      pointsEarned: 0,
      friendsCount: 3,
    });
  });

  it("tells a referred or already-active customer they cannot enter a code", async () => {
    const referrer = await insertCustomer(t.db, { email: email("ref-can") });
    const friend = await insertCustomer(t.db, { email: email("can") });
    await apply(friend.id, referrer.referralCode);
    expect(await referralSummary({ db: t.db, config }, { customerId: friend.id })).toMatchObject({
      canApplyCode: false,
      referred: true,
    });
    const { booking } = await book({ email: email("active") });
    await complete(booking.id);
    expect(
      await referralSummary({ db: t.db, config }, { customerId: booking.customerId! }),
    ).toMatchObject({
      canApplyCode: false,
      referred: false,
    });
  });

  it("leaves erased friends out of the list", async () => {
    const me = await insertCustomer(t.db, { email: email("erased-friends") });
    const friend = await insertCustomer(t.db, { email: email("to-erase"), name: "Gone Soon" });
    await apply(friend.id, me.referralCode);
    await t.sql`update customers set erased_at = now(), email = null, name = null where id = ${friend.id}`;
    expect(await referralSummary({ db: t.db, config }, { customerId: me.id })).toMatchObject({
      friendsCount: 0,
      friends: [],
    });
  });

  it("is not found for an unknown or erased customer", async () => {
    await expect(
      referralSummary({ db: t.db, config }, { customerId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
