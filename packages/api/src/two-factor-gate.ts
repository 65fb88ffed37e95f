import type { StaffPrincipal } from "@xplorium/auth";

/**
 * A staff member past the password whose two-factor sign-in is required (the owner's rule for
 * all staff, or an owner once any owner has enrolled) but not set up yet. A principal of its
 * own type, not a flag on "staff", so every check written for staff (procedures, downloads, the
 * admin's pages) refuses it without knowing about two-factor at all: it reaches only the
 * two-factor setup procedures, `auth.me` and signing out (packages/api/src/trpc.ts).
 */
export interface StaffTwoFactorSetupPrincipal {
  type: "staffTwoFactorSetup";
  sessionId: string;
  staff: StaffPrincipal["staff"];
  twoFactor: StaffPrincipal["twoFactor"];
  /** Set by the sign-in: starting the setup needs it recent (routers/two-factor.ts). */
  passwordConfirmedAt: StaffPrincipal["passwordConfirmedAt"];
}

/** Where the admin sends such a member, and what every other procedure tells them. */
export const TWO_FACTOR_SETUP_PATH = "/account/two-factor";
export const TWO_FACTOR_SETUP_REQUIRED =
  "Set up two-factor sign-in first: it is required for your account (Account › Two-factor sign-in).";

/** The principal a validated staff session stands for, given the two-factor rules. */
export function gateTwoFactor(
  principal: StaffPrincipal,
): StaffPrincipal | StaffTwoFactorSetupPrincipal {
  if (!principal.twoFactor.required || principal.twoFactor.enabled) return principal;
  return {
    type: "staffTwoFactorSetup",
    sessionId: principal.sessionId,
    staff: principal.staff,
    twoFactor: principal.twoFactor,
    passwordConfirmedAt: principal.passwordConfirmedAt,
  };
}
