import type { StaffPrincipal } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { AppError } from "@xplorium/core/errors";

/**
 * Owner-level actions (creating API keys, adding staff or changing a role, switching an account
 * off or on, setting another member's password, erasing or merging customers, exporting the
 * customer list) need the password entered in this session within the last
 * STAFF_PASSWORD_CONFIRM_MINUTES (10 by default): a session left open on a desk, or a stolen
 * cookie, cannot do them. Sign-in counts as entering it; `auth.staff.confirmPassword` enters it
 * again. Otherwise: FORBIDDEN with `data.reason` "REAUTH_REQUIRED" (tRPC), or 403 with
 * `X-Reason: REAUTH_REQUIRED` (the CSV downloads).
 */
export const REAUTH_REQUIRED = "REAUTH_REQUIRED";
export const REAUTH_MESSAGE = "Confirm your password to continue.";
/** The header that carries the reason on the plain-text refusals of the download endpoints. */
export const REASON_HEADER = "X-Reason";

/** Whether the password was entered longer ago than the configured minutes (or never). */
export function passwordConfirmationStale(
  principal: Pick<StaffPrincipal, "passwordConfirmedAt">,
  env: Pick<Env, "STAFF_PASSWORD_CONFIRM_MINUTES">,
  now = new Date(),
): boolean {
  const at = principal.passwordConfirmedAt;
  return !at || now.getTime() - at.getTime() > env.STAFF_PASSWORD_CONFIRM_MINUTES * 60_000;
}

/** Throws the REAUTH_REQUIRED refusal unless the password was entered recently. */
export function requireRecentPassword(
  principal: Pick<StaffPrincipal, "passwordConfirmedAt">,
  env: Pick<Env, "STAFF_PASSWORD_CONFIRM_MINUTES">,
): void {
  if (passwordConfirmationStale(principal, env)) {
    throw new AppError("FORBIDDEN", REAUTH_MESSAGE, { reason: REAUTH_REQUIRED });
  }
}

/** The download endpoints' form of the refusal: plain text, 403, the reason in a header. */
export function reauthRequiredResponse(headers: Headers): Response {
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  headers.set(REASON_HEADER, REAUTH_REQUIRED);
  return new Response(REAUTH_MESSAGE, { status: 403, headers });
}
