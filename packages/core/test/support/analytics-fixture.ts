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
