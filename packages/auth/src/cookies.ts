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

/**
 * The first cookie of that name in a `Cookie:` header, percent-decoded. A value that cannot be
 * decoded (`%E0%A4`, a lone `%`) is no cookie: whoever sent it is simply not signed in, never a
 * 500.
 */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** `id.secret` as createSession makes it (lower-case letters and digits); nothing else is read. */
const SESSION_TOKEN = /^[a-z0-9]{1,64}\.[a-z0-9]{1,64}$/;

/**
 * The session token in this app's session cookie, or null when there is none or it is not the
 * shape of one (undecodable, NUL bytes, stray characters): such a cookie is no cookie, never a
 * query and never a 500.
 */
export function readSessionCookie(
  header: string | null | undefined,
  kind: SessionKind,
  settings: CookieSettings,
): string | null {
  const token = readCookie(header, sessionCookieName(kind, settings));
  return token !== null && SESSION_TOKEN.test(token) ? token : null;
}
