import { schema, type Tx } from "@xplorium/db";
import { and, eq, gte, sql } from "drizzle-orm";
import { postPoints } from "./ledger";
import { referralConflict } from "./referral-rules";
import { LOYALTY_LIMITS, LOYALTY_POINTS } from "./rules";

const { customers, bookings, loyaltyLedger } = schema;

export type ReferralOutcome =
  | "awarded"
  | "not-referred"
  | "not-first-booking"
  | "same-person"
  | "referrer-capped"
  | "referrer-gone";

/**
 * +50 to the new customer and +50 to their referrer when the new customer's first booking
 * completes (DESIGN.md "Earning rules"), exactly once, with the abuse rules: no reward when the
 * two look like one person (`referralConflict`: same phone, look-alike email), and at most
 * REFERRALS_PER_REFERRER_PER_MONTH rewards for a referrer per month (the new customer still gets
 * theirs). Call inside the completion transaction, the referee already locked.
 */
export async function awardReferral(
  tx: Tx,
  input: { refereeId: string; bookingId: string; now?: Date },
): Promise<ReferralOutcome> {
  const [referee] = await tx
    .select({
      id: customers.id,
      referredById: customers.referredById,
      email: customers.email,
      phone: customers.phone,
    })
    .from(customers)
    .where(eq(customers.id, input.refereeId));
  if (!referee?.referredById) return "not-referred";
  const [{ completed } = { completed: 0 }] = await tx
    .select({ completed: sql<number>`count(*)::int` })
    .from(bookings)
    .where(and(eq(bookings.customerId, input.refereeId), eq(bookings.status, "COMPLETED")));
  if (completed !== 1) return "not-first-booking";
  const [referrer] = await tx
    .select({
      id: customers.id,
      email: customers.email,
      phone: customers.phone,
      erasedAt: customers.erasedAt,
    })
    .from(customers)
    .where(eq(customers.id, referee.referredById));
  if (!referrer || referrer.erasedAt) return "referrer-gone";
  if (referralConflict(referee, referrer)) return "same-person";

  const common = { bookingId: input.bookingId, note: "Referral bonus" };
  await postPoints(tx, {
    ...common,
    customerId: input.refereeId,
    delta: LOYALTY_POINTS.REFERRAL,
    reason: "REFERRAL_REFEREE",
    idempotencyKey: `referral:${input.refereeId}:referee`,
  });
  const now = input.now ?? new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const [{ recent } = { recent: 0 }] = await tx
    .select({ recent: sql<number>`count(*)::int` })
    .from(loyaltyLedger)
    .where(
      and(
        eq(loyaltyLedger.customerId, referrer.id),
        eq(loyaltyLedger.reason, "REFERRAL_REFERRER"),
        gte(loyaltyLedger.createdAt, monthStart),
      ),
    );
  if (recent >= LOYALTY_LIMITS.REFERRALS_PER_REFERRER_PER_MONTH) return "referrer-capped";
  await postPoints(tx, {
    ...common,
    customerId: referrer.id,
    delta: LOYALTY_POINTS.REFERRAL,
    reason: "REFERRAL_REFERRER",
    idempotencyKey: `referral:${input.refereeId}:referrer`,
  });
  return "awarded";
}
