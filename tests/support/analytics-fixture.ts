import { schema } from "@xplorium/db";
import type { TestDatabase } from "@xplorium/db/testing";
import { unique } from "@xplorium/db/testing";

type BookingType = (typeof schema.bookingType.enumValues)[number];
type BookingStatus = (typeof schema.bookingStatus.enumValues)[number];
type Tier = (typeof schema.loyaltyTier.enumValues)[number];

export interface FixtureBooking {
  /** YYYY-MM-DD; booked at 10:00 UTC unless `at` is given. */
  day?: string;
  at?: string;
  type?: BookingType;
  status?: BookingStatus;
  amount?: number;
}

export interface FixtureFamily {
  createdAt: string;
  tier?: Tier;
  points?: number;
  email?: boolean;
  sms?: boolean;
  erased?: boolean;
  bookings?: FixtureBooking[];
  tierChanges?: { day: string; from: Tier; to: Tier }[];
  consent?: {
    channel: "EMAIL" | "SMS";
    action: "GRANTED" | "WITHDRAWN";
    /** When it was recorded; a grant counts from `confirmed` (null: still pending). */
    at: string;
    confirmed?: string | null;
  }[];
}

const at10 = (day: string) => new Date(`${day}T10:00:00Z`);

/**
 * One family written exactly as described: the customer row (with its flags, tier and a
 * matching points ledger row), bookings, tier changes and consent events, in one transaction.
 */
export async function insertFamily(t: TestDatabase, f: FixtureFamily): Promise<string> {
  return t.db.transaction(async (tx) => {
    const key = unique();
    const [c] = await tx
      .insert(schema.customers)
      .values({
        email: f.erased ? null : `family-${key}@example.org`,
        name: f.erased ? null : `Family ${key}`,
        referralCode: `AN${key.toUpperCase()}`,
        loyaltyTier: f.tier ?? "BRONZE",
        loyaltyPoints: f.points ?? 0,
        lifetimePoints: Math.max(0, f.points ?? 0),
        marketingOptIn: f.email ?? false,
        smsOptIn: f.sms ?? false,
        erasedAt: f.erased ? new Date() : null,
        createdAt: at10(f.createdAt),
      })
      .returning({ id: schema.customers.id });
    const id = c!.id;
    if (f.points) {
      await tx.insert(schema.loyaltyLedger).values({
        customerId: id,
        delta: f.points,
        reason: "MANUAL_ADJUSTMENT",
        balanceAfter: f.points,
        countsTowardLifetime: true,
        lifetimeAfter: Math.max(0, f.points),
        idempotencyKey: `fixture:${key}`,
      });
    }
    if (f.bookings?.length) {
      await tx.insert(schema.bookings).values(
        f.bookings.map((b) => {
          const scheduledAt = b.at ? new Date(b.at) : at10(b.day!);
          const status = b.status ?? "COMPLETED";
          return {
            customerId: id,
            type: b.type ?? "CAFE",
            status,
            scheduledAt,
            amount: b.amount ?? 0,
            currency: "EUR",
            completedAt: status === "COMPLETED" ? scheduledAt : null,
            cancelledAt: status === "CANCELLED" ? scheduledAt : null,
          };
        }),
      );
    }
    if (f.tierChanges?.length) {
      await tx.insert(schema.tierChanges).values(
        f.tierChanges.map((tc) => ({
          customerId: id,
          fromTier: tc.from,
          toTier: tc.to,
          reason: "fixture",
          createdAt: at10(tc.day),
        })),
      );
    }
    if (f.consent?.length) {
      await tx.insert(schema.consentEvents).values(
        f.consent.map((e) => {
          const confirmed = e.action === "WITHDRAWN" ? e.at : (e.confirmed ?? null);
          return {
            customerId: id,
            channel: e.channel,
            action: e.action,
            state: confirmed ? ("CONFIRMED" as const) : ("PENDING" as const),
            source: "STAFF" as const,
            wordingVersion: "test",
            confirmedAt: confirmed ? at10(confirmed) : null,
            createdAt: at10(e.at),
          };
        }),
      );
    }
    return id;
  });
}

export type JuneFixture = Record<"A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "I", string>;

/**
 * Nine families whose analytics are worked out by hand in packages/core/test/analytics.test.ts
 * (UTC days, seen from 30 June 2026 12:00; June against 2–31 May).
 */
export async function insertJuneFixture(t: TestDatabase): Promise<JuneFixture> {
  const ids = {} as JuneFixture;
  // A: monthly since January (gaps 31,28,31,30,31 → rhythm 31), 2,000 each; GOLD since 10 June;
  // email and SMS opted in long ago; 2,500 points.
  ids.A = await insertFamily(t, {
    createdAt: "2026-01-10",
    tier: "GOLD",
    points: 2500,
    email: true,
    sms: true,
    bookings: [
      ...["01-10", "02-10", "03-10", "04-10", "05-10"].map((d) => ({
        day: `2026-${d}`,
        amount: 2000,
      })),
      { day: "2026-06-10", type: "PLAYGROUND" as const, amount: 2000 },
    ],
    tierChanges: [
      { day: "2026-03-10", from: "BRONZE", to: "SILVER" },
      { day: "2026-06-10", from: "SILVER", to: "GOLD" },
    ],
    consent: [
      { channel: "EMAIL", action: "GRANTED", at: "2026-01-10", confirmed: "2026-01-10" },
      { channel: "SMS", action: "GRANTED", at: "2026-02-01", confirmed: "2026-02-01" },
    ],
  });
  // B: 1 Feb, 15 Feb, 5 Mar (gaps 14, 18 → rhythm 16), 1,500 each; made VIP in May; 800 points.
  ids.B = await insertFamily(t, {
    createdAt: "2026-02-01",
    tier: "VIP",
    points: 800,
    bookings: ["02-01", "02-15", "03-05"].map((d) => ({
      day: `2026-${d}`,
      type: "PLAYGROUND" as const,
      amount: 1500,
    })),
    tierChanges: [{ day: "2026-05-15", from: "BRONZE", to: "VIP" }],
  });
  // C: one party on 20 May (30,000); a pending email grant that was withdrawn (no change).
  ids.C = await insertFamily(t, {
    createdAt: "2026-05-20",
    bookings: [{ day: "2026-05-20", type: "PARTY", amount: 30_000 }],
    consent: [
      { channel: "EMAIL", action: "GRANTED", at: "2026-05-20", confirmed: null },
      { channel: "EMAIL", action: "WITHDRAWN", at: "2026-05-25" },
    ],
  });
  // D: signed up on 15 June in the portal with email consent; no bookings.
  ids.D = await insertFamily(t, {
    createdAt: "2026-06-15",
    email: true,
    consent: [{ channel: "EMAIL", action: "GRANTED", at: "2026-06-15", confirmed: "2026-06-15" }],
  });
  // E: 20 Apr and 5 May (1,000 each), 25 May approved but not completed (a visit, no money),
  // 5 July ahead (upcoming); staff asked for email consent on 1 May, confirmed 5 June; 150 points.
  ids.E = await insertFamily(t, {
    createdAt: "2026-03-01",
    points: 150,
    email: true,
    bookings: [
      { day: "2026-04-20", amount: 1000 },
      { day: "2026-05-05", amount: 1000 },
      { day: "2026-05-25", type: "EVENT", status: "APPROVED", amount: 4000 },
      { day: "2026-07-05", status: "PENDING", amount: 1000 },
    ],
    consent: [{ channel: "EMAIL", action: "GRANTED", at: "2026-05-01", confirmed: "2026-06-05" }],
  });
  // F: erased; nothing of theirs counts anywhere.
  ids.F = await insertFamily(t, {
    createdAt: "2026-06-01",
    erased: true,
    bookings: [{ day: "2026-06-02", amount: 99_999 }],
  });
  // G: signed up 20 June, cancelled their only booking.
  ids.G = await insertFamily(t, {
    createdAt: "2026-06-20",
    bookings: [{ day: "2026-06-21", status: "CANCELLED", amount: 5000 }],
  });
  // H: created by a sync on 25 June from visits on 19 Feb, 21 Mar, 20 Apr (gaps 30, 30; 5,000
  // each); SILVER since 20 April; opted in to email in March, out on 12 June; 1,200 points.
  ids.H = await insertFamily(t, {
    createdAt: "2026-06-25",
    tier: "SILVER",
    points: 1200,
    bookings: ["02-19", "03-21", "04-20"].map((d) => ({
      day: `2026-${d}`,
      type: "EVENT" as const,
      amount: 5000,
    })),
    tierChanges: [{ day: "2026-04-20", from: "BRONZE", to: "SILVER" }],
    consent: [
      { channel: "EMAIL", action: "GRANTED", at: "2026-03-01", confirmed: "2026-03-01" },
      { channel: "EMAIL", action: "WITHDRAWN", at: "2026-06-12" },
    ],
  });
  // I: 1 and 8 May (one gap of 7: too few for their own rhythm), 800 each; email confirmed on
  // 2 June and again on 10 June (the second grant changes nothing); 100 points.
  ids.I = await insertFamily(t, {
    createdAt: "2026-05-01",
    points: 100,
    email: true,
    bookings: [
      { day: "2026-05-01", amount: 800 },
      { day: "2026-05-08", amount: 800 },
    ],
    consent: [
      { channel: "EMAIL", action: "GRANTED", at: "2026-06-02", confirmed: "2026-06-02" },
      { channel: "EMAIL", action: "GRANTED", at: "2026-06-10", confirmed: "2026-06-10" },
    ],
  });
  return ids;
}
