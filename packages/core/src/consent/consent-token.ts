import { constantTimeEqual, hmacSha256 } from "@xplorium/auth";

/**
 * Signed links (consent confirmation, unsubscribe) carry `HMAC-SHA256(SESSION_SECRET, purpose +
 * message)`, base64url. The purpose prefix keeps each kind of link's MACs apart from one another
 * and from every other use of SESSION_SECRET; rotating the secret voids every open link.
 */
export function purposeMac(secret: string, purpose: string, message: string): string {
  return Buffer.from(hmacSha256(secret, purpose + message)).toString("base64url");
}

/**
 * Whether `given` is the MAC of the message, compared in constant time. Compared as text, so a
 * padded or re-encoded variant of the MAC is refused too.
 */
export function purposeMacMatches(
  secret: string,
  purpose: string,
  message: string,
  given: string,
): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(purposeMac(secret, purpose, message));
  return constantTimeEqual(a, b);
}

/**
 * Confirmation links carry `<consent event id>.<MAC of the id>`. Nothing extra is stored: the
 * event id is not secret, the MAC makes the link unforgeable, and expiry is the event's own
 * `created_at` + CONSENT_CONFIRM_TTL_DAYS, read from the database, so it cannot be stretched by
 * editing the link.
 */
const PURPOSE = "xplorium:consent-confirm:v1:";
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function signConsentToken(secret: string, eventId: string): string {
  return `${eventId}.${purposeMac(secret, PURPOSE, eventId)}`;
}

/** The consent event id the token was signed for, or null for anything forged or mangled. */
export function readConsentToken(secret: string, token: string): string | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const eventId = token.slice(0, dot).toLowerCase();
  if (!UUID_PATTERN.test(eventId)) return null;
  return purposeMacMatches(secret, PURPOSE, eventId, token.slice(dot + 1)) ? eventId : null;
}
