import { en, Faker } from "@faker-js/faker";
import { hashPassword } from "@xplorium/auth";
import { type Database, schema } from "@xplorium/db";
import type { BookingStatus, BookingType, Tier } from "@xplorium/domain";
import { addDays, addMinutes, max, min, subDays } from "date-fns";
import { sql } from "drizzle-orm";
import { refreshAnalytics } from "../analytics/refresh";
import { generateReferralCode } from "../customers/referral-code";
import { calculateTier, LOYALTY_POINTS, LOYALTY_REWARDS } from "../loyalty/rules";
import { generateVoucherCode } from "../loyalty/vouchers";
import { DEMO_CUSTOMER_EMAIL, DEMO_STAFF } from "./demo-staff";

const CUSTOMER_COUNT = 240;
const TAGS = [
  "birthday-regular",
  "party-regular",
  "cafe-regular",
  "twins",
  "school-group",
  "newsletter-fan",
  "allergy-nuts",
  "weekend",
];
const AMOUNTS: Record<BookingType, [number, number]> = {
  CAFE: [800, 4000],
  PLAYGROUND: [1200, 3000],
  PARTY: [15000, 40000],
  EVENT: [2000, 8000],
};

export interface SeedSummary {
  staff: number;
  customers: number;
  bookings: number;
  ledgerRows: number;
  vouchers: number;
  tiers: Record<string, number>;
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** How often a family comes, in days, and how many families keep each habit. */
const HABITS = [
  { value: 7, weight: 2 },
  { value: 14, weight: 4 },
  { value: 30, weight: 5 },
  { value: 60, weight: 3 },
  { value: 120, weight: 1 },
];

/**
 * Deterministic demo data (seeded faker; dates relative to `today`). Built in memory and
 * written with multi-row inserts in one transaction; the ledger's running balances are
 * computed here so `balance = sum(ledger)` holds for every customer. Families have a habit
 * (weekly to every few months) they keep with some slack, more of them joined recently than
 * long ago, and about a third stopped coming at some point, so the dashboard's charts, RFM
 * segments and churn list have something to show. The analytics snapshot is refreshed at the end.
 */
export async function seedDemoData(
  db: Database,
  opts: { currency: string; today?: Date; timeZone?: string },
): Promise<SeedSummary> {
  const faker = new Faker({ locale: [en] });
  faker.seed(20261124);
  const today = opts.today ?? new Date();
  faker.setDefaultRefDate(today);
  const rand = (max: number) => faker.number.int({ min: 0, max: max - 1 });
  // Names and rhythms (lapses, weekends) come from streams of their own, so changing how
  // bookings are drawn never renames the families.
  const people = new Faker({ locale: [en] });
  people.seed(20261124);
  const shape = new Faker({ locale: [en] });
  shape.seed(7);

  const staffRows = await Promise.all(
    DEMO_STAFF.map(async (s) => ({
      id: faker.string.uuid(),
      email: s.email,
      name: s.name,
      role: s.role,
      passwordHash: await hashPassword(s.password),
    })),
  );
  const frontDesk = staffRows.find((s) => s.role === "FRONT_DESK")!;

  const rewardRows = Object.entries(LOYALTY_REWARDS).map(([cost, r]) => ({
    id: faker.string.uuid(),
    code: r.type,
    name: r.name,
    description: r.description,
    pointsCost: Number(cost),
    active: true,
    voucherValidityDays: 90,
  }));

  const customerRows: (typeof schema.customers.$inferInsert & { id: string })[] = [];
  const bookingRows: (typeof schema.bookings.$inferInsert)[] = [];
  const ledgerRows: (typeof schema.loyaltyLedger.$inferInsert)[] = [];
  const tierRows: (typeof schema.tierChanges.$inferInsert)[] = [];
  const consentRows: (typeof schema.consentEvents.$inferInsert)[] = [];
  const voucherRows: (typeof schema.vouchers.$inferInsert)[] = [];
  const tierCounts: Record<string, number> = {};
  const usedCodes = new Set<string>();

  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const id = faker.string.uuid();
    // Two fixed families: the portal demo account and the front desk's "jon smth" search.
    const first = i === 0 ? "Ana" : i === 1 ? "John" : people.person.firstName();
    const last = i === 0 ? "Petrović" : i === 1 ? "Smith" : people.person.lastName();
    const email =
      i === 0
        ? DEMO_CUSTOMER_EMAIL
        : `${first}.${last}.${i}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, "");
    let referralCode = generateReferralCode(rand);
    while (usedCodes.has(referralCode)) referralCode = generateReferralCode(rand);
    usedCodes.add(referralCode);
    // Growth: more families joined lately than two years ago.
    const createdAt = subDays(
      today,
      Math.round(720 * faker.number.float({ min: 0.02, max: 1 }) ** 1.6),
    );
    const birth = faker.date.birthdate({ min: 28, max: 48, mode: "age" });
    const marketing = faker.datatype.boolean({ probability: 0.55 });
    const sms = faker.datatype.boolean({ probability: 0.25 });

    // Bookings: at most a skewed count, every `habit` days (±30%) from soon after sign-up,
    // until a few weeks ahead, or until they lapsed some rhythms ago.
    const count = i === 0 ? 14 : Math.floor(faker.number.float({ min: 0, max: 1 }) ** 1.2 * 24);
    const habit = i === 0 ? 14 : shape.helpers.weightedArrayElement(HABITS);
    const lapsed = i !== 0 && shape.datatype.boolean({ probability: 0.35 });
    const until = lapsed
      ? subDays(today, Math.round(habit * shape.number.float({ min: 1.5, max: 6 })))
      : addDays(today, 30);
    const visitDays: Date[] = [];
    // The last `count` rhythms before `until`, or from sign-up if that is later.
    let next = max([
      addDays(createdAt, shape.number.int({ min: 0, max: 6 })),
      subDays(until, count * habit),
    ]);
    while (visitDays.length < count && next <= until) {
      // Families come at weekends more often than not.
      const weekday = next.getUTCDay();
      const toWeekend = shape.datatype.boolean({ probability: 0.5 }) ? (6 - weekday + 7) % 7 : 0;
      visitDays.push(addDays(next, toWeekend <= 3 ? toWeekend : 0));
      next = addDays(
        next,
        Math.max(1, Math.round(habit * shape.number.float({ min: 0.7, max: 1.3 }))),
      );
    }
    const bookings = visitDays.map((day) => {
      const type = faker.helpers.weightedArrayElement<BookingType>([
        { value: "CAFE", weight: 5 },
        { value: "PLAYGROUND", weight: 5 },
        { value: "PARTY", weight: 2 },
        { value: "EVENT", weight: 1 },
      ]);
      const scheduledAt = new Date(day);
      scheduledAt.setMinutes(0, 0, 0);
      scheduledAt.setHours(faker.number.int({ min: 9, max: 19 }));
      // Completed two hours after it starts: only then is it history.
      const past = addMinutes(scheduledAt, 120) < today;
      const status: BookingStatus = past
        ? faker.helpers.weightedArrayElement<BookingStatus>([
            { value: "COMPLETED", weight: 8 },
            { value: "CANCELLED", weight: 1 },
            { value: "APPROVED", weight: 1 },
          ])
        : faker.helpers.arrayElement<BookingStatus>(["PENDING", "APPROVED", "CANCELLED"]);
      const [lo, hi] = AMOUNTS[type];
      return {
        id: faker.string.uuid(),
        customerId: id,
        type,
        status,
        scheduledAt,
        guests:
          type === "PARTY"
            ? faker.number.int({ min: 8, max: 25 })
            : faker.number.int({ min: 1, max: 5 }),
        amount: Math.round(faker.number.int({ min: lo, max: hi }) / 50) * 50,
        currency: opts.currency,
        contactEmail: email,
        contactName: `${first} ${last}`,
        source: "SEED" as const,
        completedAt: status === "COMPLETED" ? addMinutes(scheduledAt, 120) : null,
        cancelledAt: status === "CANCELLED" ? subDays(scheduledAt, 1) : null,
        createdAt: subDays(scheduledAt, faker.number.int({ min: 1, max: 20 })),
      };
    });
    bookings.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
    bookingRows.push(...bookings);

    // Ledger events in time order: carried-over points, booking awards, redemptions.
    type Event = {
      at: Date;
      delta: number;
      reason: (typeof schema.ledgerReason.enumValues)[number];
      note?: string;
      bookingId?: string;
      lifetime: boolean;
      voucher?: (typeof voucherRows)[number];
    };
    const events: Event[] = [];
    const carried =
      i === 0
        ? 2900
        : faker.helpers.weightedArrayElement([
            { value: 0, weight: 10 },
            { value: faker.number.int({ min: 5, max: 25 }) * 50, weight: 5 },
            { value: faker.number.int({ min: 25, max: 70 }) * 50, weight: 3 },
            { value: faker.number.int({ min: 70, max: 140 }) * 50, weight: 2 },
          ]);
    if (carried > 0) {
      events.push({
        at: addMinutes(createdAt, 5),
        delta: carried,
        reason: "MANUAL_ADJUSTMENT",
        note: "Points carried over from the paper loyalty card",
        lifetime: true,
      });
    }
    for (const b of bookings) {
      if (b.status !== "COMPLETED" || !b.completedAt) continue;
      const base =
        b.type === "PARTY" ? LOYALTY_POINTS.PARTY_BOOKING : LOYALTY_POINTS.BOOKING_COMPLETED;
      const birthday = birth.getMonth() === b.scheduledAt.getMonth();
      events.push({
        at: b.completedAt,
        delta: birthday ? base * LOYALTY_POINTS.BIRTHDAY_BONUS_MULTIPLIER : base,
        reason: "BOOKING_COMPLETED",
        // The same wording and key as the booking flow (bookings/booking-status.ts).
        note: `${b.type.charAt(0)}${b.type.slice(1).toLowerCase()} booking${birthday ? " (birthday month ×2)" : ""}`,
        bookingId: b.id,
        lifetime: true,
      });
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());

    let balance = 0;
    let lifetime = 0;
    let tier: Tier = "BRONZE";
    let lastAt = 0;
    const addLedger = (e: Event, key: string) => {
      // Two visits in the same hour would tie: keep each customer's history strictly ordered.
      const at = new Date(Math.max(e.at.getTime(), lastAt + 1000));
      lastAt = at.getTime();
      balance += e.delta;
      if (e.lifetime) lifetime = Math.max(0, lifetime + e.delta);
      ledgerRows.push({
        customerId: id,
        delta: e.delta,
        reason: e.reason,
        note: e.note ?? null,
        balanceAfter: balance,
        countsTowardLifetime: e.lifetime,
        lifetimeAfter: lifetime,
        bookingId: e.bookingId ?? null,
        voucherId: e.voucher?.id ?? null,
        staffUserId: e.reason === "MANUAL_ADJUSTMENT" ? frontDesk.id : null,
        idempotencyKey: key,
        createdAt: at,
      });
      const earned = calculateTier(lifetime);
      if (earned !== tier) {
        tierRows.push({
          customerId: id,
          fromTier: tier,
          toTier: earned,
          reason: "Lifetime points reached the threshold",
          createdAt: at,
        });
        tier = earned;
      }
    };
    for (const [n, e] of events.entries()) {
      addLedger(e, e.bookingId ? `booking:${e.bookingId}:award` : `seed:${id}:${n}`);
    }

    // Some customers spent points on a reward.
    const affordable = rewardRows.filter((r) => r.pointsCost <= balance);
    if (affordable.length > 0 && faker.datatype.boolean({ probability: 0.35 })) {
      const reward = faker.helpers.arrayElement(affordable);
      // After the points it spends were earned, so balance_after runs in time order.
      const from = max([subDays(today, 60), addMinutes(events.at(-1)?.at ?? createdAt, 1)]);
      const issuedAt = faker.date.between({ from, to: max([from, today]) });
      const used = faker.datatype.boolean({ probability: 0.6 });
      const voucher = {
        id: faker.string.uuid(),
        // The real format (XP-XXXX-XXXX, no 0/O/1/I/L), so demo codes read like real ones.
        code: generateVoucherCode(rand),
        customerId: id,
        rewardId: reward.id,
        pointsSpent: reward.pointsCost,
        status: used ? ("USED" as const) : ("ISSUED" as const),
        issuedAt,
        expiresAt: addDays(issuedAt, reward.voucherValidityDays),
        usedAt: used ? min([addDays(issuedAt, 3), today]) : null,
        usedByStaffId: used ? frontDesk.id : null,
      };
      voucherRows.push(voucher);
      addLedger(
        {
          at: issuedAt,
          delta: -reward.pointsCost,
          reason: "REDEMPTION",
          note: `Redeemed: ${reward.name}`,
          lifetime: false,
          voucher,
        },
        `redeem:${voucher.id}`,
      );
    }

    const vip = i % 48 === 7;
    if (vip)
      tierRows.push({
        customerId: id,
        fromTier: tier,
        toTier: "VIP",
        reason: "Set VIP by staff",
        staffUserId: staffRows[0]!.id,
        createdAt: subDays(today, 30),
      });
    const finalTier: Tier = vip ? "VIP" : tier;
    tierCounts[finalTier] = (tierCounts[finalTier] ?? 0) + 1;

    const live = bookings.filter((b) => b.status !== "CANCELLED");
    customerRows.push({
      id,
      email,
      name: `${first} ${last}`,
      phone: `+3816${faker.string.numeric(7)}`,
      loyaltyPoints: balance,
      lifetimePoints: lifetime,
      loyaltyTier: finalTier,
      totalSpent: bookings
        .filter((b) => b.status === "COMPLETED")
        .reduce((s, b) => s + b.amount, 0),
      preferredContactMethod: faker.helpers.arrayElement([
        "EMAIL",
        "EMAIL",
        "PHONE",
        "SMS",
        "ANY",
      ] as const),
      marketingOptIn: marketing,
      smsOptIn: sms,
      preferredTypes: [...new Set(bookings.map((b) => b.type))].slice(0, 2),
      notes: faker.datatype.boolean({ probability: 0.15 })
        ? faker.helpers.arrayElement([
            "Prefers the quiet corner.",
            "Child has a nut allergy.",
            "Ask about the twins' party in spring.",
            "Pays by card only.",
          ])
        : null,
      tags: faker.helpers.arrayElements(TAGS, { min: 0, max: 3 }),
      totalBookings: live.length,
      firstBookingAt: live[0]?.scheduledAt ?? null,
      lastBookingAt: live.at(-1)?.scheduledAt ?? null,
      birthDate: birth.toISOString().slice(0, 10),
      birthDateSetAt: createdAt,
      referralCode,
      createdAt,
    });
    // Some who opted in to email changed their mind later (an unsubscribe link).
    const withdrewAt =
      marketing && shape.datatype.boolean({ probability: 0.12 })
        ? shape.date.between({
            from: addMinutes(createdAt, 60),
            to: max([today, addMinutes(createdAt, 61)]),
          })
        : null;
    if (withdrewAt) {
      customerRows.at(-1)!.marketingOptIn = false;
      consentRows.push({
        customerId: id,
        channel: "EMAIL",
        action: "WITHDRAWN",
        state: "CONFIRMED",
        source: "UNSUBSCRIBE_LINK",
        wordingVersion: "2026-01",
        confirmedAt: withdrewAt,
        createdAt: withdrewAt,
      });
    }
    for (const [channel, granted] of [
      ["EMAIL", marketing],
      ["SMS", sms],
    ] as const) {
      if (!granted) continue;
      consentRows.push({
        customerId: id,
        channel,
        action: "GRANTED",
        state: "CONFIRMED",
        source: "BOOKING_FORM",
        wordingVersion: "2026-01",
        wording: channel === "EMAIL" ? "Send me news and offers by email" : "Send me offers by SMS",
        confirmedAt: addMinutes(createdAt, 30),
        createdAt,
      });
    }
  }

  // A few referrals among customers (the referrer signed up earlier).
  const byAge = [...customerRows].sort(
    (a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime(),
  );
  for (let k = 20; k < byAge.length; k += 17) byAge[k]!.referredById = byAge[k - 20]!.id;

  await db.transaction(async (tx) => {
    await tx.insert(schema.staffUsers).values(staffRows);
    await tx.insert(schema.rewards).values(rewardRows);
    await insertChunked(customerRows, (c) => tx.insert(schema.customers).values(c));
    await insertChunked(bookingRows, (c) => tx.insert(schema.bookings).values(c));
    await insertChunked(voucherRows, (c) => tx.insert(schema.vouchers).values(c));
    await insertChunked(ledgerRows, (c) => tx.insert(schema.loyaltyLedger).values(c));
    await insertChunked(tierRows, (c) => tx.insert(schema.tierChanges).values(c));
    await insertChunked(consentRows, (c) => tx.insert(schema.consentEvents).values(c));
    // Proof, not hope: the seeded balances must equal their ledgers.
    const drift = await tx.execute(sql`
      select c.id from customers c
      left join loyalty_ledger l on l.customer_id = c.id
      group by c.id, c.loyalty_points having c.loyalty_points <> coalesce(sum(l.delta), 0)`);
    if (drift.length > 0) throw new Error(`Seed ledger drift for ${drift.length} customers`);
  });
  await refreshAnalytics({
    db,
    config: { TIME_ZONE: opts.timeZone ?? "Europe/Belgrade" },
    now: today,
  });

  return {
    staff: staffRows.length,
    customers: customerRows.length,
    bookings: bookingRows.length,
    ledgerRows: ledgerRows.length,
    vouchers: voucherRows.length,
    tiers: tierCounts,
  };
}

/** True when the database has no staff yet (a fresh install). */
export async function isEmptyDatabase(db: Database): Promise<boolean> {
  return (await db.$count(schema.staffUsers)) === 0;
}
