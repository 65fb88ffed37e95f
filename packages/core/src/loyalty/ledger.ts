import { type Database, schema, type Tx } from "@xplorium/db";
import type { Tier } from "@xplorium/domain";
import { and, eq, isNull, sql } from "drizzle-orm";
import { AppError, notFound } from "../errors";
import { calculateTier } from "./rules";

const { customers, loyaltyLedger, tierChanges } = schema;

export type LedgerReason = (typeof schema.ledgerReason.enumValues)[number];

/**
 * Which reasons move lifetime (qualifying) points, the basis of tiers (DESIGN.md "Tiers"):
 * earning does, and so do manual corrections and reversals; spending, refunds of spending and
 * expiry do not, so redeeming a reward never demotes anyone.
 */
export const COUNTS_TOWARD_LIFETIME: Record<LedgerReason, boolean> = {
  BOOKING_COMPLETED: true,
  BOOKING_REVERSED: true,
  REFERRAL_REFERRER: true,
  REFERRAL_REFEREE: true,
  REVIEW_POSTED: true,
  MANUAL_ADJUSTMENT: true,
  REDEMPTION: false,
  VOUCHER_REFUND: false,
  POINTS_EXPIRED: false,
  MERGE: false,
};

export interface LedgerPosting {
  customerId: string;
  delta: number;
  reason: LedgerReason;
  /** Unique per event: posting the same key twice changes nothing the second time. */
  idempotencyKey: string;
  note?: string | null;
  bookingId?: string | null;
  voucherId?: string | null;
  staffUserId?: string | null;
  /** Refuse (CONFLICT) instead of letting the balance go below zero. */
  requireNonNegative?: boolean;
}

export interface TierChange {
  from: Tier;
  to: Tier;
}

export type PostingResult =
  | {
      posted: true;
      entryId: string;
      balance: number;
      lifetime: number;
      tier: Tier;
      tierChange: TierChange | null;
    }
  | { posted: false; entryId: string };

/** The customer row, locked for the rest of the transaction: all point changes serialise here. */
export async function lockCustomerForPoints(tx: Tx, customerId: string) {
  const [row] = await tx
    .select({
      id: customers.id,
      balance: customers.loyaltyPoints,
      lifetime: customers.lifetimePoints,
      tier: customers.loyaltyTier,
      birthDate: customers.birthDate,
      birthDateSetAt: customers.birthDateSetAt,
      referredById: customers.referredById,
    })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)))
    .for("update");
  if (!row) throw notFound("Customer");
  return row;
}

/**
 * The only way points change (DESIGN.md "Points ledger"). In the caller's transaction: locks the
 * customer, appends one ledger row, moves balance and lifetime points, recomputes the tier (VIP
 * sticks) and records a tier change when it moves. A repeated idempotency key is a no-op.
 * The database refuses to commit if balance and ledger sum ever disagree (migration 0001).
 */
export async function postPoints(tx: Tx, posting: LedgerPosting): Promise<PostingResult> {
  if (!Number.isInteger(posting.delta) || posting.delta === 0) {
    throw new AppError("BAD_REQUEST", "A points change must be a whole number other than zero.");
  }
  const current = await lockCustomerForPoints(tx, posting.customerId);
  const [existing] = await tx
    .select({ id: loyaltyLedger.id })
    .from(loyaltyLedger)
    .where(eq(loyaltyLedger.idempotencyKey, posting.idempotencyKey))
    .limit(1);
  if (existing) return { posted: false, entryId: existing.id };

  const balance = current.balance + posting.delta;
  if (posting.requireNonNegative && balance < 0) {
    throw new AppError(
      "CONFLICT",
      `Not enough points: the balance is ${current.balance.toLocaleString("en")}.`,
    );
  }
  const counts = COUNTS_TOWARD_LIFETIME[posting.reason];
  const lifetime = counts ? Math.max(0, current.lifetime + posting.delta) : current.lifetime;
  const tier: Tier = current.tier === "VIP" ? "VIP" : calculateTier(lifetime);

  const [entry] = await tx
    .insert(loyaltyLedger)
    .values({
      customerId: posting.customerId,
      delta: posting.delta,
      reason: posting.reason,
      note: posting.note ?? null,
      balanceAfter: balance,
      countsTowardLifetime: counts,
      lifetimeAfter: lifetime,
      bookingId: posting.bookingId ?? null,
      voucherId: posting.voucherId ?? null,
      staffUserId: posting.staffUserId ?? null,
      idempotencyKey: posting.idempotencyKey,
    })
    .returning({ id: loyaltyLedger.id });
  await tx
    .update(customers)
    .set({ loyaltyPoints: balance, lifetimePoints: lifetime, loyaltyTier: tier })
    .where(eq(customers.id, posting.customerId));

  let tierChange: TierChange | null = null;
  if (tier !== current.tier) {
    tierChange = { from: current.tier, to: tier };
    await tx.insert(tierChanges).values({
      customerId: posting.customerId,
      fromTier: current.tier,
      toTier: tier,
      reason: `points: ${posting.reason}`,
      staffUserId: posting.staffUserId ?? null,
    });
  }
  return { posted: true, entryId: entry!.id, balance, lifetime, tier, tierChange };
}

/**
 * Sets or clears VIP by hand. Clearing returns the customer to the tier their lifetime points
 * earn. Returns the change, or null when there was nothing to do.
 */
export async function setTierVip(
  tx: Tx,
  input: { customerId: string; vip: boolean; reason: string; staffUserId: string | null },
): Promise<TierChange | null> {
  const current = await lockCustomerForPoints(tx, input.customerId);
  const to: Tier = input.vip ? "VIP" : calculateTier(current.lifetime);
  if (to === current.tier) return null;
  await tx.update(customers).set({ loyaltyTier: to }).where(eq(customers.id, input.customerId));
  await tx.insert(tierChanges).values({
    customerId: input.customerId,
    fromTier: current.tier,
    toTier: to,
    reason: input.reason,
    staffUserId: input.staffUserId,
  });
  return { from: current.tier, to };
}

/**
 * Customers whose balance differs from their ledger sum, in one set-based query. The commit-time
 * trigger makes this empty; the worker runs it daily as a second line of defence and logs any
 * drift.
 */
export async function ledgerDrift(db: Database, limit = 100) {
  return db.execute<{ customer_id: string; balance: number; ledger_sum: number }>(sql`
    select c.id as customer_id, c.loyalty_points as balance, coalesce(l.total, 0)::int as ledger_sum
    from customers c
    left join (
      select customer_id, sum(delta) as total from loyalty_ledger group by customer_id
    ) l on l.customer_id = c.id
    where c.loyalty_points <> coalesce(l.total, 0)
    limit ${limit}`);
}
