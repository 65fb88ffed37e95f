import {
  confirmStaffPassword,
  confirmTwoFactorEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetStaffTwoFactor,
  startTwoFactorEnrolment,
  twoFactorStatus,
} from "@xplorium/core/auth";
import { z } from "zod";
import { passwordConfirmationStale, requireRecentPassword } from "../reauth";
import { createTRPCRouter, recentPasswordStaffProcedure, twoFactorSelfProcedure } from "../trpc";

/** A code from the authenticator app; "123 456" (as some apps show it) is accepted. */
const totpCode = z
  .string()
  .max(20, { message: "Enter the 6-digit code from your authenticator app." })
  .transform((code) => code.replace(/\s/g, ""))
  .pipe(
    z.string().regex(/^\d{6}$/, { message: "Enter the 6-digit code from your authenticator app." }),
  );

/**
 * A staff member's own two-factor sign-in (any role; also reachable while its setup is owed),
 * and the owner's reset of another member's. The member always comes from the session.
 */
export const twoFactorRouter = createTRPCRouter({
  /** On or off, why it is required, recovery codes left, and a setup in progress (its secret). */
  status: twoFactorSelfProcedure.query(({ ctx }) =>
    twoFactorStatus(ctx.deps, { staffId: ctx.principal.staff.id }),
  ),

  /**
   * A new secret to scan: returned for the QR code and for typing in by hand. Needs the password
   * entered in this session within STAFF_PASSWORD_CONFIRM_MINUTES, or given here (checked like
   * auth.staff.confirmPassword: limited, audited): a stolen session must not put the thief's
   * phone on the account. A member owing setup has just signed in, so theirs is fresh; past the
   * minutes they give it here too (confirmPassword itself is not open to them).
   */
  start: twoFactorSelfProcedure
    .input(z.object({ password: z.string().max(256).optional() }).nullish())
    .mutation(async ({ ctx, input }) => {
      if (passwordConfirmationStale(ctx.principal, ctx.env)) {
        if (!input?.password) requireRecentPassword(ctx.principal, ctx.env);
        else
          await confirmStaffPassword(ctx.deps, {
            principal: ctx.principal,
            password: input.password,
          });
      }
      return startTwoFactorEnrolment(ctx.deps);
    }),

  /** The first code from the app turns it on; the ten recovery codes are returned this once. */
  confirm: twoFactorSelfProcedure
    .input(z.object({ code: totpCode }))
    .mutation(({ ctx, input }) =>
      confirmTwoFactorEnrolment(ctx.deps, { ...input, sessionId: ctx.principal.sessionId }),
    ),

  regenerateRecoveryCodes: twoFactorSelfProcedure
    .input(z.object({ code: totpCode }))
    .mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx.deps, input)),

  /** With the password or a current code; refused while it is required of the member. */
  disable: twoFactorSelfProcedure
    .input(
      z
        .object({
          password: z.string().max(256).optional(),
          code: z.string().max(20).optional(),
        })
        .refine((v) => Boolean(v.password || v.code?.trim()), {
          message: "Enter your password or a current code to turn it off.",
          path: ["password"],
        }),
    )
    .mutation(({ ctx, input }) => disableTwoFactor(ctx.deps, input)),

  /**
   * An owner clears another member's two-factor sign-in (lost phone and recovery codes): an
   * owner-level action, so the password must have been entered recently (reauth.ts).
   */
  reset: recentPasswordStaffProcedure("manage:staff")
    .input(z.object({ staffId: z.uuid({ message: "Unknown staff member." }) }))
    .mutation(({ ctx, input }) => resetStaffTwoFactor(ctx.deps, input)),
});
