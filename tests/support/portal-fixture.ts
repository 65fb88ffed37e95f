import type { Env } from "@xplorium/config";
import type { Actor } from "@xplorium/core/actor";
import { bookingCreateInput, createBooking, setBookingStatus } from "@xplorium/core/bookings";
import {
  adjustPoints,
  applyReferralCode,
  createReward,
  redeemReward,
} from "@xplorium/core/loyalty";
import { type Database, schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor, unique } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { postPoints } from "../../packages/core/src/loyalty/ledger";

const meta = { ip: "127.0.0.1", userAgent: "vitest", requestId: "portal-fixture" };

/** The seed's catalogue (DESIGN.md "Rewards"), the last one out of stock. */
export async function insertCatalogue(db: Database) {
  const system: Actor = { type: "system" };
  const make = (name: string, pointsCost: number, stock: number | null = null) =>
    createReward({ db, actor: system, meta }, { name: `${name} ${unique()}`, pointsCost, stock });
  return {
    beverage: await make("Free beverage", 500),
    discount: await make("10% discount", 1000),
    addOn: await make("Party add-on", 2500),
    privateHour: await make("Private event hour", 5000, 0),
  };
}

/**
 * A family built by hand through the real flows, with numbers worked out in advance:
 *
 * - referred by `referrer` before any visit;
 * - a PARTY booking in the birth month, completed: 200 × 2 = +400, and the referral bonus +50
 *   (first completed visit; the referrer gets +50 too);
 * - a CAFE booking, completed: +100;
 * - a manual adjustment of +1,800 ("Goodwill for the broken slide");
 * - the 10% discount redeemed: −1,000 (lifetime untouched);
 * - points expired: −100 (lifetime untouched);
 * - an upcoming PENDING playground booking.
 *
 * Lifetime 400 + 50 + 100 + 1,800 = 2,350 (SILVER, 650 to GOLD); balance 2,350 − 1,100 = 1,250.
 */
export async function buildPortalFamily(
  db: Database,
  env: Env,
  catalogue: Awaited<ReturnType<typeof insertCatalogue>>,
) {
  const staff = await insertStaffActor(db, { role: "MANAGER" });
  const referrer = await insertCustomer(db, { name: "Mila Marković" });
  const family = await insertCustomer(db, { name: "Ana Petrović" });
  const partyAt = new Date("2026-05-16T14:00:00Z");
  await db
    .update(schema.customers)
    .set({ birthDate: "1990-05-20", birthDateSetAt: new Date("2020-01-01T00:00:00Z") })
    .where(eq(schema.customers.id, family.id));
  await applyReferralCode(
    { db, actor: { type: "customer", id: family.id }, meta },
    {
      customerId: family.id,
      code: referrer.referralCode,
    },
  );

  const bookingConfig = { ...env, CURRENCY: "EUR", DEFAULT_PHONE_REGION: "RS" };
  const book = (type: string, scheduledAt: Date, amount: number) =>
    createBooking(
      { db, actor: staff, meta, config: bookingConfig },
      {
        ...bookingCreateInput.parse({ email: family.email, type, scheduledAt, guests: 4, amount }),
        source: "ADMIN",
      },
    );
  const complete = (bookingId: string) =>
    setBookingStatus({ db, actor: staff, meta, config: env }, { bookingId, status: "COMPLETED" });

  const party = (await book("PARTY", partyAt, 25_000)).booking;
  await complete(party.id);
  const cafe = (await book("CAFE", new Date("2026-06-02T09:30:00Z"), 1_250)).booking;
  await complete(cafe.id);
  await adjustPoints(
    { db, actor: staff, meta },
    {
      customerId: family.id,
      delta: 1800,
      reason: "Goodwill for the broken slide",
    },
  );
  const redeemed = await redeemReward(
    { db, actor: { type: "customer", id: family.id }, meta },
    {
      customerId: family.id,
      rewardId: catalogue.discount.id,
    },
  );
  await db.transaction((tx) =>
    postPoints(tx, {
      customerId: family.id,
      delta: -100,
      reason: "POINTS_EXPIRED",
      note: "Expired: no completed booking for 12 months",
      idempotencyKey: `expiry:${family.id}:test`,
    }),
  );
  const upcoming = (await book("PLAYGROUND", new Date(Date.now() + 7 * 86_400_000), 900)).booking;

  return {
    family,
    referrer,
    voucher: redeemed.voucher,
    bookings: { party, cafe, upcoming },
  };
}
