import { emailLookalikeKey } from "./rules";

/** The two sides of a referral, as far as the abuse rules care. */
export interface ReferralParty {
  id: string;
  email: string | null;
  phone: string | null;
}

/** Why a referral between two accounts does not count: they look like one person. */
export type ReferralConflict = "self" | "same-phone" | "lookalike-email";

/**
 * The abuse rules loyalty providers ship (DESIGN.md "Earning rules"): no referring yourself,
 * directly or through a second account with the same phone or a look-alike email (same inbox
 * modulo dots and "+tags"). The one check behind linking a referral (booking form, portal,
 * staff) and awarding it. Pure; phones are compared normalised (E.164) as stored.
 */
export function referralConflict(
  referee: ReferralParty,
  referrer: ReferralParty,
): ReferralConflict | null {
  if (referee.id === referrer.id) return "self";
  if (referee.phone && referee.phone === referrer.phone) return "same-phone";
  if (
    referee.email &&
    referrer.email &&
    emailLookalikeKey(referee.email) === emailLookalikeKey(referrer.email)
  ) {
    return "lookalike-email";
  }
  return null;
}
