import { z } from "zod";
import { staffEmail } from "./sign-in-forms";

/**
 * "Forgot password?" and the emailed link's form (ADR 022). The rules for a new password stay
 * the procedure's (auth.staff.resetPassword: its message comes back on the field); the two must
 * match.
 */
export const forgotPasswordForm = z.object({ email: staffEmail });

export const RESET_MISMATCH = "The two passwords do not match.";

export const resetPasswordForm = z
  .object({
    password: z.string().max(256, { message: "Use at most 256 characters." }).default(""),
    confirmPassword: z.string().max(256).default(""),
  })
  .refine((v) => v.password === v.confirmPassword, {
    message: RESET_MISMATCH,
    path: ["confirmPassword"],
  });

/**
 * A link that cannot be used (none in the cookie, or used, expired, superseded): core's
 * RESET_LINK_INVALID, on the `token` field as the procedure sends it. The page then says so.
 */
export const RESET_LINK_INVALID = "This link has expired or was already used.";
