import {
  type CustomerPrincipal,
  invalidateAllSessions,
  invalidateSession,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  type StaffPrincipal,
  serializeBlankSessionCookie,
  serializeSessionCookie,
} from "@xplorium/auth";
import type { Actor } from "@xplorium/core/actor";
import { recordAudit } from "@xplorium/core/audit";
import {
  changeOwnPassword,
  checkStaffPasswordReset,
  completeStaffSignIn,
  openSignUpLink,
  requestCustomerCode,
  requestStaffPasswordReset,
  resetStaffPassword,
  signInStaff,
  signUpCustomer,
  signUpInput,
  verifyCustomerCodeOrSignUp,
  verifyCustomerLink,
} from "@xplorium/core/auth";
import { emailSchema } from "@xplorium/core/customers";
import { referralCodeSchema } from "@xplorium/core/loyalty";
import { z } from "zod";
import { cookieSettings } from "../context";
import {
  appProcedure,
  createTRPCRouter,
  publicProcedure,
  signedInProcedure,
  signedInStaffProcedure,
} from "../trpc";
import type { StaffTwoFactorSetupPrincipal } from "../two-factor-gate";
import { confirmPasswordProcedure } from "./password-confirm";

const staffSignInInput = z.object({
  email: emailSchema,
  password: z.string().min(1, { message: "Enter your password." }).max(256),
});

/** A new password: the policy (password.ts) is checked by the service, with its own messages. */
const newPassword = z.string().max(256, { message: "Use at most 256 characters." });
/** `id.secret` from an emailed reset link; anything else is just a dead link. */
const resetToken = z.string().max(200);

const codeInput = z.object({
  email: emailSchema,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: "The code is the 6 digits from the email." }),
});

type SignedIn = StaffPrincipal | StaffTwoFactorSetupPrincipal | CustomerPrincipal;

/** The signed-in person as the actor of their own sign-out, and as its audited entity. */
const selfActor = (p: SignedIn): Actor =>
  p.type === "customer"
    ? { type: "customer", id: p.customer.id }
    : { type: "staff", id: p.staff.id, role: p.staff.role };
const selfEntity = (p: SignedIn) =>
  p.type === "customer"
    ? { entityType: "customer", entityId: p.customer.id }
    : { entityType: "staff_user", entityId: p.staff.id };

export const authRouter = createTRPCRouter({
  staff: createTRPCRouter({
    signIn: appProcedure("admin")
      .input(staffSignInInput)
      .mutation(async ({ ctx, input }) => {
        const result = await signInStaff(ctx.deps, input);
        // Two-factor sign-in: no session yet, only the challenge that verifyTwoFactor completes.
        if (result.twoFactor) return { staff: null, twoFactor: result.twoFactor };
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("STAFF", result.token, cookieSettings(ctx.env)),
        );
        return { staff: result.staff, twoFactor: null };
      }),

    /**
     * The second step of a two-factor sign-in: the challenge from `signIn` and the current code
     * of the member's authenticator app, or one of their recovery codes (single use).
     */
    verifyTwoFactor: appProcedure("admin")
      .input(
        z.object({
          challenge: z.string().max(200),
          code: z
            .string()
            .trim()
            .min(1, { message: "Enter the code from your authenticator app." })
            .max(40, { message: "That code is not right." })
            // "123 456" as some apps show it; recovery codes keep their dash.
            .transform((code) => (/^[\d\s]+$/.test(code) ? code.replace(/\s/g, "") : code)),
        }),
      )
      .mutation(async ({ ctx, input }) => {
        const result = await completeStaffSignIn(ctx.deps, input);
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("STAFF", result.token, cookieSettings(ctx.env)),
        );
        const { staff, usedRecoveryCode, recoveryCodesLeft } = result;
        return { staff, usedRecoveryCode, recoveryCodesLeft };
      }),

    /**
     * A signed-in member (any role) changes their own password: the current one is required;
     * their other sessions end, this one stays.
     */
    changePassword: signedInStaffProcedure
      .input(
        z.object({
          currentPassword: z
            .string()
            .min(1, { message: "Enter your current password." })
            .max(256, { message: "That is not your current password." }),
          newPassword,
        }),
      )
      .mutation(({ ctx, input }) =>
        changeOwnPassword(ctx.deps, { principal: ctx.principal, ...input }),
      ),

    /** "Forgot password?": the same answer for every address; a link only to active staff. */
    requestPasswordReset: appProcedure("admin")
      .input(z.object({ email: emailSchema }))
      .mutation(({ ctx, input }) => requestStaffPasswordReset(ctx.deps, input)),

    /**
     * Whether a reset link still works (the page shows the form or says it has expired). A
     * mutation, so the token travels in a POST body, never in a URL that something might log.
     */
    checkPasswordReset: appProcedure("admin")
      .input(z.object({ token: resetToken }))
      .mutation(({ ctx, input }) => checkStaffPasswordReset(ctx.deps, input)),

    /** Sets a new password with a reset link and ends every session of that member. */
    resetPassword: appProcedure("admin")
      .input(z.object({ token: resetToken, password: newPassword }))
      .mutation(async ({ ctx, input }) => {
        const { email } = await resetStaffPassword(ctx.deps, input);
        return { email };
      }),
    /** The password again, before an owner-level action (reauth.ts). */
    confirmPassword: confirmPasswordProcedure,
  }),

  customer: createTRPCRouter({
    /** Answers the same for every address: a sign-in code, a sign-up code, or (suppressed) nothing. */
    requestCode: appProcedure("portal")
      .input(
        z.object({
          email: emailSchema,
          // A friend's code from a `?ref=` link, carried into the sign-up link; never refused here.
          referralCode: referralCodeSchema.optional().catch(undefined),
        }),
      )
      .mutation(({ ctx, input }) => requestCustomerCode(ctx.deps, input)),

    /**
     * A customer's code signs in (`customer`); the sign-up code of an address without an
     * account returns `signUp` (a ticket for the sign-up step) and no session.
     */
    verifyCode: appProcedure("portal")
      .input(codeInput)
      .mutation(async ({ ctx, input }) => {
        const result = await verifyCustomerCodeOrSignUp(ctx.deps, input);
        if (result.status === "sign-up") {
          const { email, ticket, expiresAt } = result;
          return { customer: null, signUp: { email, ticket, expiresAt } };
        }
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("CUSTOMER", result.token, cookieSettings(ctx.env)),
        );
        return { customer: result.customer };
      }),

    /** The emailed sign-up link, opened (GET): a form ticket, or why it cannot be used. */
    signUpLink: appProcedure("portal")
      .input(z.object({ token: z.string().min(10).max(1000) }))
      .query(({ ctx, input }) => openSignUpLink(ctx.deps, input)),

    /** Creates the account of a proven address and signs it in. */
    signUp: appProcedure("portal")
      .input(signUpInput)
      .mutation(async ({ ctx, input }) => {
        const { token, customer } = await signUpCustomer(ctx.deps, input);
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("CUSTOMER", token, cookieSettings(ctx.env)),
        );
        return { customer };
      }),

    verifyLink: appProcedure("portal")
      .input(z.object({ token: z.string().min(10).max(200) }))
      .mutation(async ({ ctx, input }) => {
        const { token, customer } = await verifyCustomerLink(ctx.deps, input);
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("CUSTOMER", token, cookieSettings(ctx.env)),
        );
        return { customer: { id: customer.id, name: customer.name } };
      }),
  }),

  signOut: signedInProcedure.mutation(async ({ ctx }) => {
    const p = ctx.principal;
    const kind = p.type === "customer" ? "CUSTOMER" : "STAFF";
    await ctx.db.transaction(async (tx) => {
      await invalidateSession(tx, p.sessionId);
      await recordAudit(tx, selfActor(p), ctx.meta, { action: "auth.sign_out", ...selfEntity(p) });
    });
    ctx.resHeaders.append("Set-Cookie", serializeBlankSessionCookie(kind, cookieSettings(ctx.env)));
    return { signedOut: true as const };
  }),

  signOutEverywhere: signedInProcedure.mutation(async ({ ctx }) => {
    const p = ctx.principal;
    const kind = p.type === "customer" ? "CUSTOMER" : "STAFF";
    const ended = await ctx.db.transaction(async (tx) => {
      const count =
        p.type === "customer"
          ? await invalidateAllSessions(tx, { kind: "CUSTOMER", customerId: p.customer.id })
          : await invalidateAllSessions(tx, { kind: "STAFF", staffUserId: p.staff.id });
      await recordAudit(tx, selfActor(p), ctx.meta, {
        action: "auth.sign_out_everywhere",
        ...selfEntity(p),
        details: { sessionsEnded: count },
      });
      return count;
    });
    ctx.resHeaders.append("Set-Cookie", serializeBlankSessionCookie(kind, cookieSettings(ctx.env)));
    return { sessionsEnded: ended };
  }),

  /** Who is signed in to this app, with the permissions the UI should reflect. */
  me: publicProcedure.query(({ ctx }) => {
    const p = ctx.principal;
    if (p.type === "staff") {
      return {
        type: "staff" as const,
        staff: p.staff,
        permissions: PERMISSIONS.filter((perm) => ROLE_PERMISSIONS[p.staff.role].has(perm)),
      };
    }
    // Signed in, but nothing is allowed until two-factor sign-in is set up.
    if (p.type === "staffTwoFactorSetup") {
      return { type: "staffTwoFactorSetup" as const, staff: p.staff, permissions: [] };
    }
    if (p.type === "customer") return { type: "customer" as const, customer: p.customer };
    return { type: "anonymous" as const };
  }),
});
