import { INACTIVITY_TIMEOUT_SECONDS, type SessionKind } from "./sessions";

export interface CookieSettings {
  /** Secure and `__Host-` prefixed (production over HTTPS). */
  secure: boolean;
}

/**
 * Staff and customer sessions use different cookies, so neither app even sees the other's.
 * (On localhost both apps share one host: cookies ignore ports.)
 */
export function sessionCookieName(kind: SessionKind, { secure }: CookieSettings): string {
  const base = kind === "STAFF" ? "xp_staff_session" : "xp_customer_session";
  return secure ? `__Host-${base}` : base;
}

function attributes(secure: boolean, maxAge: number): string {
  return [`Path=/`, `HttpOnly`, `SameSite=Lax`, `Max-Age=${maxAge}`, secure ? "Secure" : null]
    .filter(Boolean)
    .join("; ");
}

export function serializeSessionCookie(
  kind: SessionKind,
  token: string,
  settings: CookieSettings,
): string {
  return `${sessionCookieName(kind, settings)}=${token}; ${attributes(
    settings.secure,
    INACTIVITY_TIMEOUT_SECONDS[kind],
  )}`;
}

export function serializeBlankSessionCookie(kind: SessionKind, settings: CookieSettings): string {
  return `${sessionCookieName(kind, settings)}=; ${attributes(settings.secure, 0)}`;
}

export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
