import { constantTimeEqual, hmacSha256 } from "@xplorium/auth";

/**
 * Confirmation links carry `<consent event id>.<HMAC-SHA256(SESSION_SECRET, purpose + id)>`,
 * base64url. Nothing extra is stored: the event id is not secret, the MAC makes the link
 * unforgeable, and expiry is the event's own `created_at` + CONSENT_CONFIRM_TTL_DAYS, read from
 * the database, so it cannot be stretched by editing the link. The purpose prefix keeps these
 * MACs apart from every other use of SESSION_SECRET. Rotating the secret voids open links.
 */
const PURPOSE = "xplorium:consent-confirm:v1:";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(secret: string, eventId: string): string {
  return Buffer.from(hmacSha256(secret, PURPOSE + eventId)).toString("base64url");
}

export function signConsentToken(secret: string, eventId: string): string {
  return `${eventId}.${mac(secret, eventId)}`;
}

/** The consent event id the token was signed for, or null for anything forged or mangled. */
export function readConsentToken(secret: string, token: string): string | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const eventId = token.slice(0, dot).toLowerCase();
  if (!UUID.test(eventId)) return null;
  // Compared as text, so a padded or re-encoded variant of the MAC is refused too.
  const given = new TextEncoder().encode(token.slice(dot + 1));
  const expected = new TextEncoder().encode(mac(secret, eventId));
  return constantTimeEqual(given, expected) ? eventId : null;
}
