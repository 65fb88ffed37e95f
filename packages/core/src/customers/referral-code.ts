import { randomInt } from "node:crypto";

// No 0/O/1/I/L: codes are read aloud at the counter and typed from paper.
export const UNAMBIGUOUS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function randomCode(length: number, random: (max: number) => number = randomInt): string {
  let out = "";
  for (let i = 0; i < length; i++) out += UNAMBIGUOUS_ALPHABET[random(UNAMBIGUOUS_ALPHABET.length)];
  return out;
}

export function generateReferralCode(random?: (max: number) => number): string {
  return `XP${randomCode(6, random)}`;
}
