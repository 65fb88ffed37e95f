/**
 * The loyalty programme's numbers, in one place (seed "Configuration"; DESIGN.md "Earning rules",
 * "Tiers", "Rewards"). Pure: no database here.
 */
import type { BookingType, EarnedTier } from "@xplorium/domain";

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

const DAY_MS = 86_400_000;
/** A birthday entered or changed this close to it earns no bonus that year (abuse rule). */
export const BIRTHDAY_LOCK_DAYS = 30;

/** Year and month (1–12) of an instant in the venue's time zone. */
export function monthInZone(at: Date, timeZone: string): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric" })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
  return { year: Number(parts.year), month: Number(parts.month) };
}

/**
 * Whether a booking at `at` earns the birthday bonus: it falls in the customer's birth month (in
 * the venue's time zone), and the birth date was not entered or changed within
 * BIRTHDAY_LOCK_DAYS of that year's birthday.
 */
export function isBirthdayBonus(
  at: Date,
  birth: { birthDate: string | null; birthDateSetAt: Date | null },
  timeZone: string,
): boolean {
  if (!birth.birthDate) return false;
  const [, bm, bd] = birth.birthDate.split("-").map(Number) as [number, number, number];
  const { year, month } = monthInZone(at, timeZone);
  if (month !== bm) return false;
  if (birth.birthDateSetAt) {
    // 29 February in a common year is celebrated on 28 February.
    const day = Math.min(bd, new Date(Date.UTC(year, bm, 0)).getUTCDate());
    const birthday = Date.UTC(year, bm - 1, day);
    if (Math.abs(birth.birthDateSetAt.getTime() - birthday) <= BIRTHDAY_LOCK_DAYS * DAY_MS) {
      return false;
    }
  }
  return true;
}

/** Points for completing a booking (DESIGN.md "Earning rules"): 100, PARTY 200, ×2 in the birth month. */
export function bookingAward(
  booking: { type: BookingType; scheduledAt: Date },
  customer: { birthDate: string | null; birthDateSetAt: Date | null },
  timeZone: string,
): { points: number; birthdayBonus: boolean } {
  const base =
    booking.type === "PARTY" ? LOYALTY_POINTS.PARTY_BOOKING : LOYALTY_POINTS.BOOKING_COMPLETED;
  const birthdayBonus = isBirthdayBonus(booking.scheduledAt, customer, timeZone);
  return {
    points: birthdayBonus ? base * LOYALTY_POINTS.BIRTHDAY_BONUS_MULTIPLIER : base,
    birthdayBonus,
  };
}

/** Abuse limits (DESIGN.md "Earning rules"). */
export const LOYALTY_LIMITS = {
  /** Referral rewards a referrer can earn per calendar month. */
  REFERRALS_PER_REFERRER_PER_MONTH: 5,
} as const;

/**
 * An email with the tricks that make one inbox look like many removed: dots and "+tag" in the
 * local part ("a.n.a+kids@x.com" and "ana@x.com" are the same person).
 */
export function emailLookalikeKey(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 0) return email.toLowerCase();
  const local = email.slice(0, at).toLowerCase().split("+")[0]!.replaceAll(".", "");
  return `${local}@${email.slice(at + 1).toLowerCase()}`;
}
