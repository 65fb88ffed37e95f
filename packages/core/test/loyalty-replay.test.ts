import {
  bookingCreateInput,
  createBooking,
  recordReview,
  setBookingStatus,
} from "@xplorium/core/bookings";
import { seedDemoData } from "@xplorium/core/seed";
import {
  createTestDatabase,
  insertCustomer,
  insertStaffActor,
  type TestDatabase,
  testMeta,
} from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../src/loyalty/ledger";
import { awardReferral } from "../src/loyalty/referral-awards";
import { bookingAward, LOYALTY_LIMITS } from "../src/loyalty/rules";

let t: TestDatabase;
let actor: Awaited<ReturnType<typeof insertStaffActor>>;
const meta = testMeta;
const TZ = "Europe/Belgrade";

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.db, { currency: "EUR", today: new Date("2026-11-24T12:00:00Z") });
  actor = await insertStaffActor(t.db);
});
afterAll(async () => {
  await t.drop();
});

const ledgerState = async () =>
  (
    await t.sql`select count(*)::int as rows, coalesce(sum(delta), 0)::int as total,
      (select coalesce(sum(loyalty_points), 0)::int from customers) as balances from loyalty_ledger`
  )[0];

describe("replaying every booking's events", () => {
  it("changes nothing, and every balance equals its ledger sum", async () => {
    expect(await ledgerDrift(t.db)).toEqual([]);
    const before = await ledgerState();
    const completed = await t.sql<
      { id: string; customer_id: string; type: "CAFE"; scheduled_at: Date }[]
    >`
      select id, customer_id, type, scheduled_at from bookings where status = 'COMPLETED'`;
    expect(completed.length).toBeGreaterThan(500);
    for (let round = 0; round < 2; round++) {
      // The award under its idempotency key, the status change and the referral check, again.
      await Promise.all(
        completed.map((b) =>
          t.db.transaction(async (tx) => {
            await postPoints(tx, {
              customerId: b.customer_id,
              delta: bookingAward(
                { type: b.type, scheduledAt: b.scheduled_at },
                { birthDate: null, birthDateSetAt: null },
                TZ,
              ).points,
              reason: "BOOKING_COMPLETED",
              bookingId: b.id,
              idempotencyKey: `booking:${b.id}:award`,
            });
            await awardReferral(tx, { refereeId: b.customer_id, bookingId: b.id });
          }),
        ),
      );
      for (const b of completed.slice(0, 50)) {
        await setBookingStatus(
          { db: t.db, actor, meta, config: { TIME_ZONE: TZ } },
          { bookingId: b.id, status: "COMPLETED" },
        );
      }
    }
    // Referral bonuses may be paid now for seeded referrals that never got theirs; nothing else.
    const after = await ledgerState();
    const referral = await t.sql`select count(*)::int as n from loyalty_ledger
      where reason in ('REFERRAL_REFEREE', 'REFERRAL_REFERRER') and created_at > now() - interval '1 hour'`;
    expect(after!.rows - before!.rows).toBe(referral[0]!.n);
    expect(await ledgerDrift(t.db)).toEqual([]);
    expect(after!.total).toBe(after!.balances);
  });
});

describe("referral abuse limits", () => {
  it("pays a referrer at most the monthly cap, while each new customer still gets theirs", async () => {
    const referrer = await insertCustomer(t.db, { email: "busy.referrer@example.com" });
    const cap = LOYALTY_LIMITS.REFERRALS_PER_REFERRER_PER_MONTH;
    const outcomes: string[] = [];
    for (let i = 0; i < cap + 2; i++) {
      const { booking } = await createBooking(
        {
          db: t.db,
          actor,
          meta,
          config: {
            CURRENCY: "EUR",
            DEFAULT_PHONE_REGION: "RS",
            SESSION_SECRET: "x".repeat(32),
            EMAIL_FROM: "a <a@b.c>",
            PORTAL_URL: "http://p",
            RESEND_API_KEY: undefined,
          },
        },
        {
          ...bookingCreateInput.parse({
            email: `friend${i}.of.busy@example.net`,
            type: "CAFE",
            scheduledAt: "2026-11-20T10:00:00Z",
            guests: 1,
            amount: 100,
            referralCode: referrer.referralCode,
          }),
          source: "ADMIN",
        },
      );
      await setBookingStatus(
        { db: t.db, actor, meta, config: { TIME_ZONE: TZ } },
        { bookingId: booking.id, status: "COMPLETED" },
      );
      const [row] =
        await t.sql`select loyalty_points from customers where id = ${booking.customerId}`;
      outcomes.push(String(row!.loyalty_points));
    }
    expect(outcomes).toEqual(Array(cap + 2).fill("150"));
    const [r] = await t.sql`select loyalty_points from customers where id = ${referrer.id}`;
    expect(r!.loyalty_points).toBe(cap * 50);
    expect(await ledgerDrift(t.db)).toEqual([]);
  });

  it("reviews post once however often they are replayed", async () => {
    const [b] = await t.sql<{ id: string }[]>`select id from bookings where status = 'COMPLETED'
      and review_posted_at is null limit 1`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        recordReview({ db: t.db, actor, meta }, { bookingId: b!.id }),
      ),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
  });
});
