/**
 * The loyalty programme's numbers, in one place (seed "Configuration"; DESIGN.md "Earning rules",
 * "Tiers", "Rewards"). Pure: no database here.
 */
export const LOYALTY_POINTS = {
  BOOKING_COMPLETED: 100,
  PARTY_BOOKING: 200,
  REFERRAL: 50,
  BIRTHDAY_BONUS_MULTIPLIER: 2,
  REVIEW_POSTED: 25,
} as const;

export const LOYALTY_REWARDS = {
  500: { type: "FREE_BEVERAGE", name: "Free beverage", description: "Free beverage of choice" },
  1000: { type: "DISCOUNT_10", name: "10% discount", description: "10% off next booking" },
  2500: { type: "PARTY_ADDON", name: "Party add-on", description: "Free party add-on" },
  5000: { type: "PRIVATE_HOUR", name: "Private event hour", description: "1 hour private event" },
} as const;

export type EarnedTier = "BRONZE" | "SILVER" | "GOLD" | "PLATINUM";
export type LoyaltyTier = EarnedTier | "VIP";

/** Lower bounds of each earned tier, by lifetime earned points. */
export const TIER_THRESHOLDS: readonly { tier: EarnedTier; min: number }[] = [
  { tier: "PLATINUM", min: 6000 },
  { tier: "GOLD", min: 3000 },
  { tier: "SILVER", min: 1000 },
  { tier: "BRONZE", min: 0 },
];

/**
 * The tier for a number of *lifetime* earned points (not the spendable balance: redeeming a
 * reward must never demote anyone).
 */
export function calculateTier(lifetimePoints: number): EarnedTier {
  for (const { tier, min } of TIER_THRESHOLDS) if (lifetimePoints >= min) return tier;
  return "BRONZE";
}

/** The next earned tier and how many lifetime points it still needs; null at the top. */
export function nextTier(
  lifetimePoints: number,
): { tier: EarnedTier; pointsNeeded: number } | null {
  const ascending = [...TIER_THRESHOLDS].reverse();
  const next = ascending.find((t) => t.min > lifetimePoints);
  return next ? { tier: next.tier, pointsNeeded: next.min - lifetimePoints } : null;
}
