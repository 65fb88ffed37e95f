import { z } from "zod";
import { yourPasswordField } from "~/components/confirm-password-field";

/** The security page's one form: require two-factor sign-in for all staff, or stop (ADR 022). */
export const requireTwoFactorForm = z.object({
  /** "on" when the button turns the rule on; absent when it stops requiring it. */
  requireTwoFactor: z.boolean().default(false),
  ...yourPasswordField,
});
