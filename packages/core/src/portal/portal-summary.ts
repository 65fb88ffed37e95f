import { type Database, schema } from "@xplorium/db";
import { and, eq, isNull } from "drizzle-orm";
import { notFound } from "../errors";
import { listRewards } from "../loyalty/rewards";
import { calculateTier, type EarnedTier, nextTier, TIER_THRESHOLDS } from "../loyalty/rules";
import { activeVoucherCount, portalBookings, portalPoints } from "./portal-history";
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
 */
export async function portalSummary(db: Database, customerId: string) {
  const [c] = await db
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
    })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)))
    .limit(1);
  if (!c) throw notFound("Customer");

  const [catalogue, vouchersReady, points, bookings] = await Promise.all([
    listRewards(db, { includeInactive: false }),
    activeVoucherCount(db, customerId),
    portalPoints(db, customerId, { limit: HOME.points }),
    portalBookings(db, customerId, { limit: HOME.bookings }),
  ]);
  const offered = catalogue
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
