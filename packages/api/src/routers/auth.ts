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
import {
  type Actor,
  emailSchema,
  openSignUpLink,
  recordAudit,
  referralCodeSchema,
  requestCustomerCode,
  signInStaff,
  signUpCustomer,
  signUpInput,
  verifyCustomerCodeOrSignUp,
  verifyCustomerLink,
} from "@xplorium/core";
import { z } from "zod";
import { cookieSettings } from "../context";
import { appProcedure, createTRPCRouter, publicProcedure, signedInProcedure } from "../trpc";

const staffSignInInput = z.object({
  email: emailSchema,
  password: z.string().min(1, { message: "Enter your password." }).max(256),
});

const codeInput = z.object({
  email: emailSchema,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { message: "The code is the 6 digits from the email." }),
});

type SignedIn = StaffPrincipal | CustomerPrincipal;

/** The signed-in person as the actor of their own sign-out, and as its audited entity. */
const selfActor = (p: SignedIn): Actor =>
  p.type === "staff"
    ? { type: "staff", id: p.staff.id, role: p.staff.role }
    : { type: "customer", id: p.customer.id };
const selfEntity = (p: SignedIn) =>
  p.type === "staff"
    ? { entityType: "staff_user", entityId: p.staff.id }
    : { entityType: "customer", entityId: p.customer.id };

export const authRouter = createTRPCRouter({
  staff: createTRPCRouter({
    signIn: appProcedure("admin")
      .input(staffSignInInput)
      .mutation(async ({ ctx, input }) => {
        const { token, staff } = await signInStaff(ctx.db, input, ctx.meta);
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("STAFF", token, cookieSettings(ctx.env)),
        );
        return { staff };
      }),
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
      .mutation(({ ctx, input }) => requestCustomerCode(ctx.db, ctx.env, input, ctx.meta)),

    /**
     * A customer's code signs in (`customer`); the sign-up code of an address without an
     * account returns `signUp` (a ticket for the sign-up step) and no session.
     */
    verifyCode: appProcedure("portal")
      .input(codeInput)
      .mutation(async ({ ctx, input }) => {
        const result = await verifyCustomerCodeOrSignUp(ctx.db, ctx.env, input, ctx.meta);
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
      .query(({ ctx, input }) => openSignUpLink(ctx.db, ctx.env, input.token)),

    /** Creates the account of a proven address and signs it in. */
    signUp: appProcedure("portal")
      .input(signUpInput)
      .mutation(async ({ ctx, input }) => {
        const { token, customer } = await signUpCustomer(ctx.db, ctx.env, input, ctx.meta);
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("CUSTOMER", token, cookieSettings(ctx.env)),
        );
        return { customer };
      }),

    verifyLink: appProcedure("portal")
      .input(z.object({ token: z.string().min(10).max(200) }))
      .mutation(async ({ ctx, input }) => {
        const { token, customer } = await verifyCustomerLink(ctx.db, input, ctx.meta);
        ctx.resHeaders.append(
          "Set-Cookie",
          serializeSessionCookie("CUSTOMER", token, cookieSettings(ctx.env)),
        );
        return { customer: { id: customer.id, name: customer.name } };
      }),
  }),

  signOut: signedInProcedure.mutation(async ({ ctx }) => {
    const p = ctx.principal;
    const kind = p.type === "staff" ? "STAFF" : "CUSTOMER";
    await ctx.db.transaction(async (tx) => {
      await invalidateSession(tx, p.sessionId);
      await recordAudit(tx, selfActor(p), ctx.meta, { action: "auth.sign_out", ...selfEntity(p) });
    });
    ctx.resHeaders.append("Set-Cookie", serializeBlankSessionCookie(kind, cookieSettings(ctx.env)));
    return { signedOut: true as const };
  }),

  signOutEverywhere: signedInProcedure.mutation(async ({ ctx }) => {
    const p = ctx.principal;
    const kind = p.type === "staff" ? "STAFF" : "CUSTOMER";
    const ended = await ctx.db.transaction(async (tx) => {
      const count =
        p.type === "staff"
          ? await invalidateAllSessions(tx, { kind: "STAFF", staffUserId: p.staff.id })
          : await invalidateAllSessions(tx, { kind: "CUSTOMER", customerId: p.customer.id });
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
    if (p.type === "customer") return { type: "customer" as const, customer: p.customer };
    return { type: "anonymous" as const };
  }),
});
