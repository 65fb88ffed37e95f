import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { schema } from "@xplorium/db";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { generateSecureRandomString, sha256 } from "./crypto";

/**
 * Staff two-factor sign-in with an authenticator app: TOTP as RFC 6238 defines it and every
 * authenticator app expects it (HMAC-SHA1, 6 digits, 30-second steps). A code of the step
 * before or after the server's clock is accepted too (clock drift and typing time, RFC 6238
 * §5.2 recommends at most one step); which step matched is returned so the caller can refuse
 * a code that was already used (replay).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW_STEPS = 1;
/** 160 bits, the HMAC-SHA1 key length RFC 4226 recommends. */
const TOTP_SECRET_BYTES = 20;
/** What an authenticator app shows above the code. */
export const TOTP_ISSUER = "Xplorium CRM";

/** A new random TOTP secret, in the Base32 form authenticator apps take. */
export function generateTotpSecret(): string {
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

function totp(secretBase32: string, account = ""): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: account,
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The `otpauth://totp/…` URI an authenticator app reads from the enrolment QR code. */
export function totpUri(secretBase32: string, account: string): string {
  return totp(secretBase32, account).toString();
}

/** The Base32 secret in groups of four, easier to type into an app by hand. */
export function groupTotpSecret(secretBase32: string): string {
  return secretBase32.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The 30-second step a moment falls in (the RFC's T). */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The step whose code `code` is, within ±TOTP_WINDOW_STEPS of `now`, or null. otpauth compares
 * in constant time. Anything but exactly six digits is simply not a match.
 */
export function matchTotp(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({
    token: code,
    timestamp: now.getTime(),
    window: TOTP_WINDOW_STEPS,
  });
  return delta === null ? null : totpStep(now) + delta;
}

// --- Secrets at rest -----------------------------------------------------------------------

const SEALED_VERSION = "v1";

/**
 * A 256-bit key for one purpose, derived from the app's SESSION_SECRET with HKDF-SHA256, so
 * the database alone (a dump, a backup) does not give away what is sealed with it.
 */
function derivedKey(rootSecret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", rootSecret, "xplorium-crm", `xplorium:${purpose}`, 32));
}

/**
 * Encrypts a small secret for a database column: AES-256-GCM, a random 96-bit IV per value,
 * and `binding` (e.g. the row's id) as additional authenticated data, so a sealed value copied
 * into another row does not open there. Output: `v1.<iv>.<ciphertext>.<tag>` (base64url).
 */
export function sealSecret(
  plaintext: string,
  opts: { rootSecret: string; purpose: string; binding: string },
): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(opts.rootSecret, opts.purpose), iv);
  cipher.setAAD(Buffer.from(opts.binding, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [SEALED_VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/**
 * The plaintext of a value `sealSecret` made with the same root secret, purpose and binding;
 * null when it does not open (another key, another row, tampered, or not a sealed value).
 */
export function openSecret(
  sealed: string,
  opts: { rootSecret: string; purpose: string; binding: string },
): string | null {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== SEALED_VERSION) return null;
  const [iv, ciphertext, tag] = parts.slice(1).map((p) => Buffer.from(p, "base64url")) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  if (iv.length !== 12 || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", derivedKey(opts.rootSecret, opts.purpose), iv);
    decipher.setAAD(Buffer.from(opts.binding, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

// --- Recovery codes --------------------------------------------------------------------------

export const RECOVERY_CODE_COUNT = 10;

/**
 * A one-time recovery code: 10 characters of the look-alike-free alphabet (50 bits), shown as
 * two groups of five (`k7m2p-x9q4r`). 50 bits with the per-account attempt limit is far beyond
 * guessing, and lets the code be stored as a plain SHA-256 like session secrets.
 */
export function generateRecoveryCode(): string {
  const raw = generateSecureRandomString(10);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

/** A recovery code as typed (any case, spaces or dashes) in its canonical form, or null. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, "");
  return /^[a-z2-9]{10}$/.test(compact) ? compact : null;
}

export function recoveryCodeHash(code: string): Uint8Array {
  return sha256(normalizeRecoveryCode(code) ?? code);
}

// --- Policy ----------------------------------------------------------------------------------

/**
 * Whether two-factor sign-in is required of the staff member whose role is `role`, as one SQL
 * expression (part of the session check's single statement): when the owner requires it for
 * all staff (security_settings), and always for owners once any active owner has enrolled.
 */
export function twoFactorRequiredSql(role: AnyColumn | SQL): SQL<boolean> {
  const { securitySettings } = schema;
  return sql<boolean>`coalesce(
    (select ${securitySettings.requireStaffTwoFactor} from ${securitySettings} where ${securitySettings.id} = 1)
    or (${role} = 'OWNER' and exists (
      select 1 from staff_users enrolled_owner
      where enrolled_owner.role = 'OWNER'
        and enrolled_owner.totp_enabled_at is not null
        and enrolled_owner.disabled_at is null
    )),
    false)`;
}
