import { createSession } from "@xplorium/auth";
import { duplicateSuggestions, mergeCustomers, mergePreview } from "@xplorium/core/customers";
import { setVip } from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaff, unique } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { canonicalEmail } from "../src/customers/customer-merge";
import { findCustomerByEmailForUpdate, upsertCustomerTx } from "../src/customers/customer-profile";
import { postPoints } from "../src/loyalty/ledger";
import { calculateTier } from "../src/loyalty/rules";
import { checkLedger, useTestDatabase } from "./support";

let actor: { type: "staff"; id: string; role: "MANAGER" };
let rewardId: string;
const meta = { ip: "127.0.0.1", userAgent: null, requestId: "merge-test" };

const t = useTestDatabase(async () => {
  const staff = await insertStaff(t.db, { role: "MANAGER" });
  actor = { type: "staff", id: staff.id, role: "MANAGER" };
  const [reward] = await t.db
    .insert(schema.rewards)
    .values({ code: `FREE_BEVERAGE_${unique()}`, name: "Free beverage", pointsCost: 500 })
    .returning();
  rewardId = reward!.id;
}, checkLedger);

// --- factories --------------------------------------------------------------------------------

type Status = "PENDING" | "APPROVED" | "COMPLETED" | "CANCELLED";

async function customer(
  opts: {
    email?: string;
    name?: string | null;
    phone?: string | null;
    tags?: string[];
    notes?: string | null;
    birthDate?: string | null;
    marketingOptIn?: boolean;
  } = {},
) {
  const row = await insertCustomer(t.db, {
    email: opts.email ?? `family-${unique()}@example.com`,
  });
  const [updated] = await t.db
    .update(schema.customers)
    .set({
      name: opts.name === undefined ? "Test Customer" : opts.name,
      phone: opts.phone ?? null,
      tags: opts.tags ?? [],
      notes: opts.notes ?? null,
      birthDate: opts.birthDate ?? null,
      marketingOptIn: opts.marketingOptIn ?? false,
    })
    .where(eq(schema.customers.id, row.id))
    .returning();
  return updated!;
}

async function booking(customerId: string, status: Status, amount: number, scheduledAt: string) {
  const [row] = await t.db
    .insert(schema.bookings)
    .values({
      customerId,
      type: "PLAYGROUND",
      status,
      amount,
      currency: "EUR",
      scheduledAt: new Date(scheduledAt),
      completedAt: status === "COMPLETED" ? new Date(scheduledAt) : null,
      cancelledAt: status === "CANCELLED" ? new Date(scheduledAt) : null,
    })
    .returning();
  return row!;
}

const points = (
  customerId: string,
  delta: number,
  reason: "BOOKING_COMPLETED" | "REVIEW_POSTED" | "MANUAL_ADJUSTMENT" | "REDEMPTION",
  extra: { bookingId?: string; voucherId?: string } = {},
) =>
  t.db.transaction((tx) =>
    postPoints(tx, { customerId, delta, reason, idempotencyKey: `test:${unique()}`, ...extra }),
  );

/** A voucher redeemed the real way: the voucher row and its REDEMPTION ledger row. */
async function voucher(customerId: string, pointsSpent: number) {
  const [row] = await t.db
    .insert(schema.vouchers)
    .values({
      code: `V${unique().toUpperCase()}`,
      customerId,
      rewardId,
      pointsSpent,
      expiresAt: new Date(Date.now() + 90 * 86_400_000),
    })
    .returning();
  await points(customerId, -pointsSpent, "REDEMPTION", { voucherId: row!.id });
  return row!;
}

async function consent(
  customerId: string,
  channel: "EMAIL" | "SMS",
  action: "GRANTED" | "WITHDRAWN",
  at: string,
) {
  await t.db.insert(schema.consentEvents).values({
    customerId,
    channel,
    action,
    source: "PORTAL",
    wordingVersion: "v1",
    createdAt: new Date(at),
    confirmedAt: new Date(at),
  });
}

const row = async (id: string) => {
  const [r] = await t.db.select().from(schema.customers).where(eq(schema.customers.id, id));
  return r;
};

/** Everything two customers hold, summed: what a merge must carry over without loss. */
async function holdings(ids: string[]) {
  const [h] = await t.sql`
    select
      (select count(*)::int from bookings where customer_id = any(${ids}::uuid[])) as bookings,
      (select coalesce(sum(amount), 0)::int from bookings where customer_id = any(${ids}::uuid[])) as booking_amount,
      (select count(*)::int from loyalty_ledger where customer_id = any(${ids}::uuid[])) as ledger_rows,
      (select coalesce(sum(delta), 0)::int from loyalty_ledger where customer_id = any(${ids}::uuid[])) as ledger_sum,
      (select count(*)::int from vouchers where customer_id = any(${ids}::uuid[])) as vouchers,
      (select coalesce(sum(points_spent), 0)::int from vouchers where customer_id = any(${ids}::uuid[])) as voucher_points,
      (select count(*)::int from consent_events where customer_id = any(${ids}::uuid[])) as consents,
      (select count(*)::int from tier_changes where customer_id = any(${ids}::uuid[])) as tier_changes,
      (select count(*)::int from email_messages where customer_id = any(${ids}::uuid[])) as emails,
      (select count(*)::int from gdpr_requests where customer_id = any(${ids}::uuid[])) as gdpr`;
  return h!;
}

const merge = (
  survivorId: string,
  mergedId: string,
  keep: Parameters<typeof mergeCustomers>[1]["keep"] = {},
) => mergeCustomers({ db: t.db, actor, meta }, { survivorId, mergedId, keep });

// --- tests ------------------------------------------------------------------------------------

describe("mergeCustomers: nothing lost", () => {
  it("moves every booking, point, voucher, consent and more, and recomputes the survivor", async () => {
    const a = await customer({
      email: `ana.petrovic.${unique()}@example.com`,
      name: "Ana Petrović",
      phone: "+381641234567",
      tags: ["party", "regular"],
      notes: "Nut allergy (Luka).",
    });
    const b = await customer({
      email: `ana.kids.${unique()}@example.com`,
      name: "ana petrović",
      phone: "+381641111111",
      tags: ["regular", "newsletter"],
      notes: "Prefers mornings.",
      birthDate: "2018-03-14",
      marketingOptIn: true,
    });
    // Survivor: two completed, one pending, one cancelled booking; points; one voucher.
    const a1 = await booking(a.id, "COMPLETED", 3000, "2024-02-01T10:00:00Z");
    const a2 = await booking(a.id, "COMPLETED", 4500, "2024-06-01T10:00:00Z");
    await booking(a.id, "PENDING", 2000, "2025-09-01T10:00:00Z");
    await booking(a.id, "CANCELLED", 9900, "2023-01-01T10:00:00Z");
    await points(a.id, 100, "BOOKING_COMPLETED", { bookingId: a1.id });
    await points(a.id, 900, "BOOKING_COMPLETED", { bookingId: a2.id });
    await points(a.id, 25, "REVIEW_POSTED", { bookingId: a2.id });
    await voucher(a.id, 500);
    // Merged: an earlier completed booking, an approved one, a cancelled one; points; vouchers.
    const b1 = await booking(b.id, "COMPLETED", 6000, "2023-05-05T10:00:00Z");
    await booking(b.id, "APPROVED", 1500, "2025-12-24T10:00:00Z");
    await booking(b.id, "CANCELLED", 7000, "2026-01-01T10:00:00Z");
    await points(b.id, 2000, "BOOKING_COMPLETED", { bookingId: b1.id });
    await points(b.id, 400, "MANUAL_ADJUSTMENT");
    await voucher(b.id, 1000);
    await voucher(b.id, 500);
    await consent(b.id, "EMAIL", "GRANTED", "2024-01-01T00:00:00Z");
    // Its own alias from an earlier merge, a customer it referred, a signed-in session, a code.
    const oldAlias = `old-${unique()}@example.com`;
    await t.db.insert(schema.customerEmailAliases).values({ email: oldAlias, customerId: b.id });
    const friend = await customer();
    await t.db
      .update(schema.customers)
      .set({ referredById: b.id })
      .where(eq(schema.customers.id, friend.id));
    await createSession(t.db, { kind: "CUSTOMER", customerId: b.id });
    await t.db.insert(schema.loginCodes).values({
      id: unique(),
      customerId: b.id,
      codeHash: new Uint8Array(32),
      linkSecretHash: new Uint8Array(32),
      expiresAt: new Date(Date.now() + 600_000),
    });
    await t.db.insert(schema.emailMessages).values({
      kind: "TRANSACTIONAL",
      template: "login-code",
      customerId: b.id,
      toEmail: b.email,
      fromEmail: "hello@xplorium.test",
      subject: "Your code",
      transport: "OUTBOX",
    });
    await t.db.insert(schema.gdprRequests).values({
      customerId: b.id,
      type: "EXPORT",
      source: "PORTAL",
    });

    const [aBefore, bBefore] = [(await row(a.id))!, (await row(b.id))!];
    const before = await holdings([a.id, b.id]);
    expect(before).toMatchObject({ bookings: 7, vouchers: 3, voucher_points: 2000 });

    const preview = await mergePreview({ db: t.db }, { survivorId: a.id, mergedId: b.id });
    const result = await merge(a.id, b.id, { birthDate: "merged", notes: "both" });

    // Nothing lost: the survivor now holds exactly what both held.
    const after = await holdings([a.id]);
    expect(after).toEqual({ ...before, tier_changes: after.tier_changes });
    expect(after.tier_changes).toBeGreaterThanOrEqual(before.tier_changes);
    expect(await holdings([b.id])).toMatchObject({ bookings: 0, ledger_rows: 0, vouchers: 0 });

    const s = (await row(a.id))!;
    expect(s.loyaltyPoints).toBe(aBefore.loyaltyPoints + bBefore.loyaltyPoints);
    expect(s.loyaltyPoints).toBe(after.ledger_sum);
    expect(s.lifetimePoints).toBe(aBefore.lifetimePoints + bBefore.lifetimePoints);
    expect(s.lifetimePoints).toBe(100 + 900 + 25 + 2000 + 400);
    expect(s.loyaltyTier).toBe(calculateTier(s.lifetimePoints));
    expect(s.loyaltyTier).toBe("GOLD");
    // Stats: non-cancelled bookings, their first and last dates, spend of completed ones.
    expect(s.totalBookings).toBe(5);
    expect(s.firstBookingAt).toEqual(new Date("2023-05-05T10:00:00Z"));
    expect(s.lastBookingAt).toEqual(new Date("2025-12-24T10:00:00Z"));
    expect(s.totalSpent).toBe(3000 + 4500 + 6000);
    // Profile: survivor's name and phone, the merged record's birth date, both notes, all tags.
    expect(s).toMatchObject({
      email: a.email,
      name: "Ana Petrović",
      phone: "+381641234567",
      birthDate: "2018-03-14",
      notes: "Nut allergy (Luka).\n\nPrefers mornings.",
      marketingOptIn: true,
      smsOptIn: false,
    });
    expect(s.tags).toEqual(["party", "regular", "newsletter"]);

    // The preview said so beforehand.
    expect(preview.result).toMatchObject({
      loyaltyPoints: s.loyaltyPoints,
      lifetimePoints: s.lifetimePoints,
      loyaltyTier: s.loyaltyTier,
      totalBookings: s.totalBookings,
      totalSpent: s.totalSpent,
      firstBookingAt: s.firstBookingAt,
      lastBookingAt: s.lastBookingAt,
      tags: s.tags,
      bookings: 7,
      vouchers: 3,
      marketingOptIn: true,
      aliases: [b.email, oldAlias].sort(),
    });
    expect(preview.merged).toMatchObject({ bookings: 3, vouchers: 2, voucherPoints: 1500 });
    expect(result.moved).toMatchObject({ bookings: 3, vouchers: 2, referrals: 1, aliases: 1 });

    // The merged row is gone with its sessions and codes; the friend's referrer is the survivor.
    expect(await row(b.id)).toBeUndefined();
    expect(await t.sql`select 1 from sessions where customer_id = ${b.id}`).toHaveLength(0);
    expect(await t.sql`select 1 from login_codes where customer_id = ${b.id}`).toHaveLength(0);
    expect((await row(friend.id))!.referredById).toBe(a.id);

    // Both old addresses now find the survivor, so later bookings land on it.
    const aliases = await t.sql`select email from customer_email_aliases
      where customer_id = ${a.id} order by email`;
    expect(aliases.map((r) => r.email)).toEqual([b.email, oldAlias].sort());
    await t.db.transaction(async (tx) => {
      expect((await findCustomerByEmailForUpdate(tx, b.email!))?.id).toBe(a.id);
      const booked = await upsertCustomerTx(
        tx,
        { email: oldAlias, name: "Someone" },
        {
          fillOnly: true,
        },
      );
      expect(booked).toMatchObject({ created: false, customer: { id: a.id } });
    });

    // A tier change to GOLD was recorded for the survivor, and one audit row tells the story.
    const changes = await t.sql`select from_tier, to_tier, reason from tier_changes
      where customer_id = ${a.id} and reason = 'merge'`;
    expect(changes).toEqual([{ from_tier: aBefore.loyaltyTier, to_tier: "GOLD", reason: "merge" }]);
    const audit = await t.sql`select actor_id, details from audit_log
      where action = 'customer.merged' and entity_id = ${a.id}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(actor.id);
    expect(audit[0]!.details).toMatchObject({
      mergedId: b.id,
      keep: { name: "survivor", phone: "survivor", birthDate: "merged", notes: "both" },
      before: {
        survivor: { id: a.id, email: a.email, bookings: 4, ledgerSum: aBefore.loyaltyPoints },
        merged: { id: b.id, email: b.email, bookings: 3, ledgerSum: bBefore.loyaltyPoints },
      },
      after: { id: a.id, bookings: 7, ledgerSum: s.loyaltyPoints, loyaltyTier: "GOLD" },
    });
  });

  it("keeps the chosen values, and the merged record's when the survivor has none", async () => {
    const a = await customer({ name: null, phone: null, notes: "Survivor notes" });
    const b = await customer({
      name: "Jovan Jovanović",
      phone: "+381601234567",
      notes: "Merged notes",
    });
    await t.db
      .update(schema.customers)
      .set({ preferredContactMethod: "SMS" })
      .where(eq(schema.customers.id, b.id));
    await merge(a.id, b.id, { preferredContactMethod: "merged", notes: "merged" });
    expect(await row(a.id)).toMatchObject({
      name: "Jovan Jovanović",
      phone: "+381601234567",
      preferredContactMethod: "SMS",
      notes: "Merged notes",
      loyaltyPoints: 0,
      totalBookings: 0,
      firstBookingAt: null,
    });
  });
});

describe("mergeCustomers: tiers", () => {
  it("keeps VIP when the survivor is VIP, whatever the points", async () => {
    const a = await customer();
    const b = await customer();
    await setVip(
      { db: t.db, actor, meta },
      { customerId: a.id, vip: true, reason: "Founding family" },
    );
    await points(b.id, 7000, "BOOKING_COMPLETED");
    await merge(a.id, b.id);
    expect(await row(a.id)).toMatchObject({ loyaltyTier: "VIP", lifetimePoints: 7000 });
    expect(
      await t.sql`select 1 from tier_changes where customer_id = ${a.id} and reason = 'merge'`,
    ).toHaveLength(0);
  });

  it("makes the survivor VIP when the merged record was, and records the change", async () => {
    const a = await customer();
    const b = await customer();
    await points(a.id, 1500, "BOOKING_COMPLETED");
    await setVip(
      { db: t.db, actor, meta },
      { customerId: b.id, vip: true, reason: "Owner's friend" },
    );
    await merge(a.id, b.id);
    expect((await row(a.id))!.loyaltyTier).toBe("VIP");
    const changes = await t.sql`select from_tier, to_tier from tier_changes
      where customer_id = ${a.id} and reason = 'merge'`;
    expect(changes).toEqual([{ from_tier: "SILVER", to_tier: "VIP" }]);
  });

  it("recomputes the tier from the added lifetime points, never from the balance", async () => {
    const a = await customer();
    const b = await customer();
    await points(a.id, 2000, "BOOKING_COMPLETED");
    await voucher(a.id, 1500);
    await points(b.id, 1200, "BOOKING_COMPLETED");
    await merge(a.id, b.id);
    expect(await row(a.id)).toMatchObject({
      loyaltyPoints: 1700,
      lifetimePoints: 3200,
      loyaltyTier: "GOLD",
    });
  });
});

describe("mergeCustomers: consent and referrals", () => {
  it("is opted in when either record is, unless the newest event on that channel withdrew", async () => {
    const a = await customer({ marketingOptIn: true });
    const b = await customer();
    await t.db
      .update(schema.customers)
      .set({ smsOptIn: true })
      .where(eq(schema.customers.id, b.id));
    await consent(a.id, "EMAIL", "GRANTED", "2023-01-01T00:00:00Z");
    // The merged record unsubscribed from email later: that wish wins.
    await consent(b.id, "EMAIL", "GRANTED", "2022-01-01T00:00:00Z");
    await consent(b.id, "EMAIL", "WITHDRAWN", "2024-01-01T00:00:00Z");
    await consent(b.id, "SMS", "GRANTED", "2024-02-01T00:00:00Z");
    const preview = await mergePreview({ db: t.db }, { survivorId: a.id, mergedId: b.id });
    expect(preview.result).toMatchObject({ marketingOptIn: false, smsOptIn: true });
    await merge(a.id, b.id);
    expect(await row(a.id)).toMatchObject({ marketingOptIn: false, smsOptIn: true });
    expect(await t.sql`select 1 from consent_events where customer_id = ${a.id}`).toHaveLength(4);
  });

  it("clears a referral between the two and inherits the merged record's referrer", async () => {
    const referrer = await customer();
    const a = await customer();
    const b = await customer();
    await t.db
      .update(schema.customers)
      .set({ referredById: b.id })
      .where(eq(schema.customers.id, a.id));
    await t.db
      .update(schema.customers)
      .set({ referredById: referrer.id })
      .where(eq(schema.customers.id, b.id));
    await merge(a.id, b.id);
    expect((await row(a.id))!.referredById).toBe(referrer.id);

    const c = await customer();
    const d = await customer();
    await t.db
      .update(schema.customers)
      .set({ referredById: c.id })
      .where(eq(schema.customers.id, d.id));
    await merge(c.id, d.id);
    expect((await row(c.id))!.referredById).toBeNull();
  });

  it("moves campaign emails, leaving a second copy of the same campaign unlinked", async () => {
    const a = await customer();
    const b = await customer();
    const [campaign] = await t.db
      .insert(schema.campaigns)
      .values({ name: "Spring", subject: "Spring at Xplorium" })
      .returning();
    const message = (customerId: string, campaignId: string | null) => ({
      kind: "MARKETING" as const,
      template: "campaign",
      campaignId,
      customerId,
      toEmail: "x@example.com",
      fromEmail: "hello@xplorium.test",
      subject: "Spring at Xplorium",
      transport: "OUTBOX" as const,
    });
    await t.db
      .insert(schema.emailMessages)
      .values([message(a.id, campaign!.id), message(b.id, campaign!.id), message(b.id, null)]);
    const result = await merge(a.id, b.id);
    expect(result.moved.emails).toBe(1);
    const rows = await t.sql`select customer_id from email_messages
      where subject = 'Spring at Xplorium' order by customer_id nulls last`;
    expect(rows.map((r) => r.customer_id)).toEqual([a.id, a.id, null]);
  });
});

describe("mergeCustomers: refusals and races", () => {
  it("refuses merging a customer into itself, unknown ids and erased customers", async () => {
    const a = await customer();
    const b = await customer();
    await expect(merge(a.id, a.id)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(merge(a.id, crypto.randomUUID())).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(merge(crypto.randomUUID(), a.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await t.db
      .update(schema.customers)
      .set({ erasedAt: new Date(), email: null, name: null })
      .where(eq(schema.customers.id, b.id));
    await expect(merge(a.id, b.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(merge(b.id, a.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      mergePreview({ db: t.db }, { survivorId: a.id, mergedId: b.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    // Nothing happened.
    expect(await row(a.id)).toBeDefined();
    expect(await row(b.id)).toBeDefined();
    expect(await t.sql`select 1 from audit_log where entity_id = ${a.id}`).toHaveLength(0);
  });

  it("A→B and B→A at once: one wins, the other fails cleanly, nothing is corrupted", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await customer();
      const b = await customer();
      await booking(a.id, "COMPLETED", 1000, "2024-01-01T10:00:00Z");
      await booking(b.id, "COMPLETED", 2000, "2024-02-01T10:00:00Z");
      await points(a.id, 300, "BOOKING_COMPLETED");
      await points(b.id, 700, "BOOKING_COMPLETED");
      await voucher(b.id, 200);
      const before = await holdings([a.id, b.id]);
      const results = await Promise.allSettled([
        merge(a.id, b.id),
        merge(b.id, a.id),
        merge(a.id, b.id),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([
        "NOT_FOUND",
        "NOT_FOUND",
      ]);
      const survivorId = (won[0] as PromiseFulfilledResult<{ customer: { id: string } }>).value
        .customer.id;
      expect(await holdings([survivorId])).toMatchObject({
        bookings: before.bookings,
        booking_amount: before.booking_amount,
        ledger_sum: before.ledger_sum,
        ledger_rows: before.ledger_rows,
        vouchers: before.vouchers,
        voucher_points: before.voucher_points,
      });
      expect((await row(survivorId))!).toMatchObject({ loyaltyPoints: 800, lifetimePoints: 1000 });
      const remaining = await t.sql`select id from customers where id in (${a.id}, ${b.id})`;
      expect(remaining).toHaveLength(1);
      expect(
        await t.sql`select 1 from audit_log where action = 'customer.merged'
          and entity_id in (${a.id}, ${b.id})`,
      ).toHaveLength(1);
    }
  });
});

describe("duplicateSuggestions", () => {
  it("finds the same phone, the same name and look-alike emails, each with its reason", async () => {
    const domain = `d${unique()}.example.com`;
    const me = await customer({
      email: `mila.jovanovic+party@${domain}`,
      name: "Mila  Jovanović",
      phone: "+381649990001",
    });
    const samePhone = await customer({ name: "Someone Else", phone: "+381649990001" });
    const sameName = await customer({ name: "  mila jovanović " });
    const lookAlike = await customer({ email: `milajovanovic@${domain}`, name: null });
    const dotted = await customer({ email: `mila.jovanovic@${domain}`, name: "M. J." });
    const everything = await customer({
      email: `m.i.l.a.jovanovic+kids@${domain}`,
      name: "MILA JOVANOVIĆ",
      phone: "+381649990001",
    });
    // Not duplicates: another domain, another name, an erased look-alike.
    await customer({ email: `mila.jovanovic@other-${domain}`, name: "Mila Jovanovićka" });
    const erased = await customer({ email: `milajovanovic+old@${domain}`, phone: "+381649990001" });
    await t.db
      .update(schema.customers)
      .set({ erasedAt: new Date(), email: null, phone: null })
      .where(eq(schema.customers.id, erased.id));

    const found = await duplicateSuggestions({ db: t.db }, { customerId: me.id });
    const byId = Object.fromEntries(found.map((f) => [f.id, f.reasons]));
    expect(byId).toEqual({
      [everything.id]: ["SAME_NAME", "SAME_PHONE", "SIMILAR_EMAIL"],
      [samePhone.id]: ["SAME_PHONE"],
      [sameName.id]: ["SAME_NAME"],
      [lookAlike.id]: ["SIMILAR_EMAIL"],
      [dotted.id]: ["SIMILAR_EMAIL"],
    });
    // Strongest first, a handful at most.
    expect(found[0]!.id).toBe(everything.id);
    expect(found.length).toBeLessThanOrEqual(5);
    expect(canonicalEmail(`m.i.l.a.jovanovic+kids@${domain}`)).toBe(`milajovanovic@${domain}`);
  });

  it("finds nothing for a unique customer and refuses an unknown one", async () => {
    const me = await customer({ name: `Unique ${unique()}`, phone: "+381649990777" });
    expect(await duplicateSuggestions({ db: t.db }, { customerId: me.id })).toEqual([]);
    await expect(
      duplicateSuggestions({ db: t.db }, { customerId: crypto.randomUUID() }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
