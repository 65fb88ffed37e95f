import { BIRTHDAY_LOCK_DAYS, LOYALTY_POINTS } from "../loyalty/rules";
import { tierScale } from "../loyalty/tier-history";

export interface WayToEarn {
  key: "visit" | "party" | "birthday" | "referral" | "review";
  title: string;
  /** "+100", "×2": what the customer gets, as shown. */
  points: string;
  description: string;
}

/**
 * The earning rules in a customer's words, read from the one rules module (rules.ts), so the
 * portal never shows numbers the ledger does not apply.
 */
export function waysToEarn(): WayToEarn[] {
  const p = LOYALTY_POINTS;
  return [
    {
      key: "visit",
      title: "Every visit",
      points: `+${p.BOOKING_COMPLETED}`,
      description: "Café, playground or event: points as soon as your visit is completed.",
    },
    {
      key: "party",
      title: "Party booking",
      points: `+${p.PARTY_BOOKING}`,
      description: "Celebrate with us and a completed party earns more than a visit.",
    },
    {
      key: "birthday",
      title: "Birthday month",
      points: `×${p.BIRTHDAY_BONUS_MULTIPLIER}`,
      description: `Visits in your birthday month earn double. Add your birthday in your profile at least ${BIRTHDAY_LOCK_DAYS} days before it.`,
    },
    {
      key: "referral",
      title: "Invite a friend",
      points: `+${p.REFERRAL}`,
      description: `You and your friend each get ${p.REFERRAL} points when their first visit is completed.`,
    },
    {
      key: "review",
      title: "Write a review",
      points: `+${p.REVIEW_POSTED}`,
      description: "Tell others about your visit and let us know at the desk.",
    },
  ];
}

/**
 * What the public pages (join, sign-in) may say about the programme: ways to earn, the tier
 * scale and the referral bonus. Nothing about any customer.
 */
export function loyaltyProgramme() {
  return {
    waysToEarn: waysToEarn(),
    tiers: tierScale(),
    referralPoints: LOYALTY_POINTS.REFERRAL,
  };
}
