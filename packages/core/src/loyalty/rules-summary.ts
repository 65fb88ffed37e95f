import type { DepsWith } from "../deps";
import { lastLedgerCheck } from "./ledger-check";
import { type ExpirySettingsConfig, pointsExpirySettings } from "./points-expiry";
import { BIRTHDAY_LOCK_DAYS, LOYALTY_LIMITS, LOYALTY_POINTS } from "./rules";
import { tierScale } from "./tier-history";

/**
 * The admin's points-rules page: the earning rules and limits as configured in rules.ts, the
 * tier scale, the expiry setting and when it took effect, and the latest ledger check.
 */
export async function loyaltyRulesSummary(deps: DepsWith<"db" | "config", ExpirySettingsConfig>) {
  const { db } = deps;
  const [expiry, ledgerCheck] = await Promise.all([
    pointsExpirySettings(deps),
    lastLedgerCheck(db),
  ]);
  return {
    earning: {
      bookingCompleted: LOYALTY_POINTS.BOOKING_COMPLETED,
      partyBooking: LOYALTY_POINTS.PARTY_BOOKING,
      birthdayMultiplier: LOYALTY_POINTS.BIRTHDAY_BONUS_MULTIPLIER,
      birthdayLockDays: BIRTHDAY_LOCK_DAYS,
      referral: LOYALTY_POINTS.REFERRAL,
      referralsPerReferrerPerMonth: LOYALTY_LIMITS.REFERRALS_PER_REFERRER_PER_MONTH,
      reviewPosted: LOYALTY_POINTS.REVIEW_POSTED,
    },
    tiers: tierScale(),
    expiry,
    ledgerCheck,
  };
}
