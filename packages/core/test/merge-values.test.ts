import { describe, expect, it } from "vitest";
import { mergeValuesFor } from "../src/marketing/merge-values";

describe("mergeValuesFor", () => {
  it.each([
    [
      { name: "Ana Petrović", loyaltyPoints: 1250, lifetimePoints: 2350, loyaltyTier: "SILVER" },
      { firstName: "Ana", points: "1,250", tier: "Silver", pointsToNextTier: "650" },
    ],
    [
      { name: null, loyaltyPoints: 0, lifetimePoints: 0, loyaltyTier: "BRONZE" },
      { firstName: "there", points: "0", tier: "Bronze", pointsToNextTier: "1,000" },
    ],
    [
      { name: "  ", loyaltyPoints: 10, lifetimePoints: 7000, loyaltyTier: "PLATINUM" },
      { firstName: "there", points: "10", tier: "Platinum", pointsToNextTier: "0" },
    ],
    [
      { name: "Jon", loyaltyPoints: 5, lifetimePoints: 200, loyaltyTier: "VIP" },
      { firstName: "Jon", points: "5", tier: "Vip", pointsToNextTier: "0" },
    ],
  ])("%o", (customer, expected) => {
    expect(mergeValuesFor(customer)).toEqual(expected);
  });
});
