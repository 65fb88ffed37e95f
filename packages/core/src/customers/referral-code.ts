import { randomInt } from "node:crypto";

// No 0/O/1/I/L: codes are read aloud at the counter and typed from paper.
export const UNAMBIGUOUS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function randomCode(length: number, random: (max: number) => number = randomInt): string {
  let out = "";
  for (let i = 0; i < length; i++) out += UNAMBIGUOUS_ALPHABET[random(UNAMBIGUOUS_ALPHABET.length)];
  return out;
}

/** Referral codes are this prefix and 6 characters of the alphabet (8 in all). */
export const REFERRAL_CODE_PREFIX = "XP";

export function generateReferralCode(random?: (max: number) => number): string {
  return `${REFERRAL_CODE_PREFIX}${randomCode(6, random)}`;
}
