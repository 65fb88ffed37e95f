import { z } from "zod";

/**
 * "Your account"'s password form (ADR 022). The rules for a new password stay the procedure's
 * (auth.staff.changePassword: its message comes back on the field); the two new ones must match.
 */
export const MISMATCH = "The two new passwords do not match.";

export const changePasswordForm = z
  .object({
    intent: z.literal("password"),
    currentPassword: z.string().max(256).default(""),
    newPassword: z.string().max(256).default(""),
    confirmPassword: z.string().max(256).default(""),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    message: MISMATCH,
    path: ["confirmPassword"],
  });
