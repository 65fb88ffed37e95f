import type { MergeValues } from "@xplorium/email";
import { nextTier } from "../loyalty/rules";

export interface MergeSource {
  name: string | null;
  loyaltyPoints: number;
  lifetimePoints: number;
  loyaltyTier: string;
}

const tierLabel = (tier: string) => tier.charAt(0) + tier.slice(1).toLowerCase();

/**
 * A customer's merge-tag values for marketing email ({{firstName}}, {{points}}, {{tier}},
 * {{pointsToNextTier}}). A customer without a name is greeted as "there" ("Hi there"); at the
 * top tier, or as VIP, there is nothing left to reach: 0.
 */
export function mergeValuesFor(customer: MergeSource): MergeValues {
  const firstName = customer.name?.trim().split(/\s+/)[0] || "there";
  const next = customer.loyaltyTier === "VIP" ? null : nextTier(customer.lifetimePoints);
  return {
    firstName,
    points: customer.loyaltyPoints.toLocaleString("en"),
    tier: tierLabel(customer.loyaltyTier),
    pointsToNextTier: (next?.pointsNeeded ?? 0).toLocaleString("en"),
  };
}
