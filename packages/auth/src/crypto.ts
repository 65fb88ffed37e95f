import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Lucia's alphabet: lower-case letters and digits without look-alikes (0/o, 1/l).
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** 24 characters × 5 bits = 120 bits of entropy (lucia-auth.com sessions guide). */
export function generateSecureRandomString(length = 24): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += ALPHABET[b >> 3];
  return out;
}

export function sha256(input: string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(input).digest());
}

/** HMAC-SHA256, used where the input has little entropy (6-digit codes, email hashes). */
export function hmacSha256(key: string, input: string): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(input).digest());
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return timingSafeEqual(a, b);
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function generateNumericCode(digits = 6): string {
  const max = 10 ** digits;
  // Rejection sampling keeps every code equally likely.
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  for (;;) {
    const n = randomBytes(4).readUInt32BE(0);
    if (n < limit) return String(n % max).padStart(digits, "0");
  }
}
