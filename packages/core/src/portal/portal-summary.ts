import { schema } from "@xplorium/db";
import type { EarnedTier } from "@xplorium/domain";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";
import { activeRewardCatalogue } from "../loyalty/rewards";
import { calculateTier, nextTier, TIER_THRESHOLDS } from "../loyalty/rules";
import { portalBookings, portalPoints } from "./portal-history";
import { waysToEarn } from "./ways-to-earn";

const { customers } = schema;

/** How many rewards, ledger rows and bookings the home page shows. */
const HOME = { rewards: 3, points: 5, bookings: 3 } as const;

/**
 * Where a customer stands on the tier scale (TIER_THRESHOLDS, by lifetime points): the floor of
 * the tier their points have earned and the next one. VIP is set by hand and has no next tier.
 */
export function tierProgress(tier: string, lifetimePoints: number) {
  const earned: EarnedTier = calculateTier(lifetimePoints);
  const floor = TIER_THRESHOLDS.find((t) => t.tier === earned)?.min ?? 0;
  const next = tier === "VIP" ? null : nextTier(lifetimePoints);
  return {
    /** Lifetime points at which the current earned tier starts. */
    floor,
    next: next
      ? {
          tier: next.tier,
          min: lifetimePoints + next.pointsNeeded,
          pointsNeeded: next.pointsNeeded,
        }
      : null,
    /** Points gained since the floor, and the size of the step to the next tier. */
    value: lifetimePoints - floor,
    max: next ? next.pointsNeeded + lifetimePoints - floor : 0,
  };
}

/**
 * Everything the portal's home page shows, in one call, so it renders on the server without a
 * client waterfall: tier, balance, lifetime points and progress to the next tier, ways to earn,
 * the rewards the customer can afford now (and the next one to aim for), how many vouchers are
 * ready to use, and the latest points and bookings. `customerId` is the session's customer.
 *
 * Three statements, in parallel: the customer with their ready-voucher count (activeVoucherCount's
 * condition, as a subquery), their latest points, their latest bookings.
 * The rewards catalogue is shared by every customer and comes from the process's short-lived
 * copy (activeRewardCatalogue, REWARD_CATALOGUE_CACHE_MS).
 */
export async function portalSummary(deps: DepsWith<"db">, { customerId }: { customerId: string }) {
  const { db } = deps;
  // All three at once: the points and bookings are read by the session's customer id, so they
  // need nothing from the customer's row (an unknown or erased customer still gets NOT_FOUND).
  const [[row], rewardList, points, bookings] = await Promise.all([
    db
      .select({
        id: customers.id,
        name: customers.name,
        email: customers.email,
        tier: customers.loyaltyTier,
        balance: customers.loyaltyPoints,
        lifetimePoints: customers.lifetimePoints,
        totalBookings: customers.totalBookings,
        referralCode: customers.referralCode,
        memberSince: customers.createdAt,
        // Spelled out with its own alias: drizzle leaves columns of a one-table select
        // unqualified, so `customers.id` would name the subquery's own vouchers.id here.
        vouchersReady: sql<number>`(select count(*)::int from vouchers v
          where v.customer_id = ${customerId} and v.status = 'ISSUED' and v.expires_at > now())`,
      })
      .from(customers)
      .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)))
      .limit(1),
    activeRewardCatalogue(db),
    portalPoints(deps, { customerId, limit: HOME.points }),
    portalBookings(deps, { customerId, limit: HOME.bookings }),
  ]);
  if (!row) throw notFound("Customer");
  const { vouchersReady, ...c } = row;
  const offered = rewardList
    .filter((r) => r.inStock)
    .map((r) => ({ id: r.id, name: r.name, description: r.description, pointsCost: r.pointsCost }));
  const affordable = offered.filter((r) => r.pointsCost <= c.balance);
  const nextReward = offered.find((r) => r.pointsCost > c.balance) ?? null;

  return {
    customer: c,
    progress: tierProgress(c.tier, c.lifetimePoints),
    waysToEarn: waysToEarn(),
    rewards: {
      affordableCount: affordable.length,
      affordable: affordable.slice(0, HOME.rewards),
      next: nextReward ? { ...nextReward, pointsShort: nextReward.pointsCost - c.balance } : null,
    },
    vouchersReady,
    recentPoints: points.items,
    recentBookings: bookings.items,
  };
}
