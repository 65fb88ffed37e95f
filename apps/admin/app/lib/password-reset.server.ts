/**
 * The emailed reset link (`/reset-password/<id>.<secret>`) is opened once and its token moved at
 * once into this short-lived cookie, so the page with the form sits at `/reset-password`: the
 * token is not left in the address bar, the history, a bookmark, or a Referer. HttpOnly,
 * SameSite=Lax (the link is opened from a mail client: a top-level navigation from another site,
 * which Strict would not follow with the cookie), `__Host-` and Secure in production like the
 * session cookie. Path=/ because Remix fetches the page's data and posts its form to
 * `/reset-password.data`, which a cookie scoped to `/reset-password` would not reach.
 */
const NAME = "xp_password_reset";
/** As long as a link works (PASSWORD_RESET_TTL_SECONDS); the server checks the link anyway. */
const MAX_AGE_SECONDS = 60 * 60;

/** `id.secret` as the server makes it; anything else is not worth keeping. */
const TOKEN_SHAPE = /^[a-z0-9]{16,64}\.[a-z0-9]{16,64}$/;

const cookieName = (secure: boolean) => (secure ? `__Host-${NAME}` : NAME);

function cookie(secure: boolean, value: string, maxAge: number): string {
  return [
    `${cookieName(secure)}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAge}`,
    secure ? "Secure" : null,
  ]
    .filter(Boolean)
    .join("; ");
}

/** Set-Cookie carrying the link's token, or one that clears it when the token is malformed. */
export function resetTokenCookie(token: string, secure: boolean): string {
  return TOKEN_SHAPE.test(token)
    ? cookie(secure, token, MAX_AGE_SECONDS)
    : clearResetCookie(secure);
}

export const clearResetCookie = (secure: boolean) => cookie(secure, "", 0);

/** The token from the request's cookie, or null (none, or not the shape of one). */
export function readResetToken(request: Request, secure: boolean): string | null {
  const name = cookieName(secure);
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN_SHAPE.test(value) ? value : null;
  }
  return null;
}

/**
 * Headers for every response of the reset pages: nobody caches them, and no request they lead
 * to (a link, an image) carries their address as the Referer.
 */
export function resetPageHeaders(): Headers {
  return new Headers({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
}
