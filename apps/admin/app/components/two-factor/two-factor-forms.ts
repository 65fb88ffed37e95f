import { z } from "zod";
import { yourPasswordField } from "~/components/confirm-password-field";

/**
 * The two-factor page's forms and the union on `intent` its action parses (ADR 022). Codes are
 * checked by the procedures (their messages come back on the field); "Your password" for
 * starting the setup is checked by twoFactor.start itself.
 */
const code = z.string().max(64).default("");

export const startForm = z.object({ intent: z.literal("start"), ...yourPasswordField });
export const confirmForm = z.object({ intent: z.literal("confirm"), code });
export const regenerateForm = z.object({ intent: z.literal("regenerate"), code });
export const disableForm = z.object({
  intent: z.literal("disable"),
  password: z.string().optional(),
  code: z.string().optional(),
});

export const twoFactorForms = z.discriminatedUnion("intent", [
  startForm,
  confirmForm,
  regenerateForm,
  disableForm,
]);
