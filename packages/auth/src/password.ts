import { type Algorithm, hash, verify } from "@node-rs/argon2";
import COMMON_PASSWORDS from "../data/common-passwords.json" with { type: "json" };

// Algorithm is an ambient const enum, unusable under verbatimModuleSyntax; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Passwords people actually use (data/README.md: 49k entries, zxcvbn's frequency list), plus
 * this product's own names. Loaded once, on first use.
 */
let common: Set<string> | undefined;
const OWN_WORDS = ["xplorium", "xploriumcrm", "xplorium crm", "playground", "changeme"];
function commonPasswords(): Set<string> {
  common ??= new Set([...(COMMON_PASSWORDS as string[]), ...OWN_WORDS]);
  return common;
}

const EDGES = /^[\d\W_]+|[\d\W_]+$/g;

/**
 * True for a password from the list, and for the usual ways of stretching one to the minimum
 * length: digits or symbols around it ("dragon12345678", "!!password2024"), or it repeated
 * ("qwertyqwerty"); also one character or a short run repeated ("aaaaaaaaaaaa", "abcabcabcabc").
 */
export function isCommonPassword(password: string): boolean {
  const words = commonPasswords();
  const lower = password.toLowerCase();
  if (words.has(lower)) return true;
  const core = lower.replace(EDGES, "");
  if (core.length === 0 || words.has(core)) return true;
  const repeated = /^(.+?)\1+$/.exec(lower)?.[1];
  if (repeated && (repeated.length <= 3 || words.has(repeated))) return true;
  const repeatedCore = /^(.+?)\1+$/.exec(core)?.[1];
  return repeatedCore !== undefined && (repeatedCore.length <= 3 || words.has(repeatedCore));
}

/** Returns a reason the password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (/^[\d\W_]+$/.test(password))
    return "Use some letters too: digits and symbols alone are quick to guess.";
  if (isCommonPassword(password))
    return "This password is too common (it is on lists attackers try first); choose another.";
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the email is unknown makes both paths cost the same.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password-just-timing");
  await verifyPassword(await dummyHash, password);
}
