import { TRPCError } from "@trpc/server";
import { confirmStaffPassword } from "@xplorium/core/auth";
import { z } from "zod";
import { appProcedure } from "../trpc";

/**
 * `auth.staff.confirmPassword`: the signed-in staff member (any role) enters their password
 * again, so the owner-level actions (reauth.ts) work for the next STAFF_PASSWORD_CONFIRM_MINUTES.
 * Limited per member (10 per 15 minutes, 30 a day) and per IP; a wrong password is audited and answered as the field's error (400,
 * `data.reason` REAUTH_REQUIRED). Staff sessions only: an API key is not a session.
 */
export const confirmPasswordProcedure = appProcedure("admin")
  // Who, before what: an unsigned request is refused before its input is looked at.
  .use(({ ctx, next }) => {
    const principal = ctx.principal;
    if (principal.type !== "staff") {
      throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in as staff to do this." });
    }
    return next({ ctx: { ...ctx, principal } });
  })
  .input(
    z.object({
      password: z
        .string()
        .min(1, { message: "Enter your password." })
        .max(256, { message: "That password is not right." }),
    }),
  )
  .mutation(async ({ ctx, input }) => {
    const principal = ctx.principal;
    const { confirmedAt } = await confirmStaffPassword(ctx.deps, { principal, ...input });
    // The rest of this request sees it too: a form's action confirms, then acts, with one
    // context (the principal read at the start of the request).
    principal.passwordConfirmedAt = confirmedAt;
    return { confirmedAt, validForMinutes: ctx.env.STAFF_PASSWORD_CONFIRM_MINUTES };
  });
