import { initTRPC, TRPCError } from "@trpc/server";
import {
  type ApiKeyPrincipal,
  type ApiKeyScope,
  type Permission,
  ROLE_PERMISSIONS,
  type StaffPrincipal,
} from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import type { Actor } from "@xplorium/core/actor";
import type { Deps } from "@xplorium/core/deps";
import { AppError } from "@xplorium/core/errors";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { AppName, Context } from "./context";
import {
  causeChain,
  databaseUnavailableError,
  isDatabaseUnavailable,
} from "./database-unavailable";
import { requireRecentPassword } from "./reauth";
import { TWO_FACTOR_SETUP_REQUIRED } from "./two-factor-gate";

type KeyOrStaff = ApiKeyPrincipal | StaffPrincipal;

/** The context of an authenticated procedure: its actor, and the deps its services take. */
function actingAs<A extends Actor>(
  ctx: Context,
  actor: A,
): { actor: A; deps: Deps<Env> & { actor: A } } {
  return { actor, deps: { ...ctx.deps, actor } };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    let fieldErrors: Record<string, string[] | undefined> | null = null;
    if (cause instanceof ZodError) fieldErrors = z.flattenError(cause).fieldErrors;
    else if (cause instanceof AppError && cause.fieldErrors) fieldErrors = cause.fieldErrors;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Never show internals: the request id in the log finds the stack trace.
      message: internal
        ? "Something went wrong on our side. Please try again."
        : cause instanceof ZodError
          ? "Please check the highlighted fields."
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors,
        retryAfterSeconds: cause instanceof AppError ? (cause.retryAfterSeconds ?? null) : null,
        // Machine-readable, e.g. "REAUTH_REQUIRED" (confirm the password, then retry).
        reason: cause instanceof AppError ? (cause.reason ?? null) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The PostgreSQL error somewhere in a cause chain (drizzle wraps postgres.js's), if any. */
function postgresErrorIn(error: unknown): { code: string } | null {
  for (const candidate of causeChain(error, 5)) {
    if (candidate.name === "PostgresError" && typeof candidate.code === "string") {
      return { code: candidate.code };
    }
  }
  return null;
}

/**
 * Turns the domain's AppError into the matching tRPC error, keeping it as the cause. A rate limit
 * (TOO_MANY_REQUESTS) also puts `Retry-After` on the response headers, which reach the client both
 * over HTTP and through Remix actions that return the caller's `headers`. A value PostgreSQL
 * refuses as data (SQLSTATE class 22: out of range, overflowing dates, text it cannot store) is
 * the caller's bad input, not our failure: 400, not 500 (logged as a warning, in case it is our
 * bug after all). A database that cannot be reached (restarting, failing over) is a 503 with
 * `Retry-After`, not a 500.
 */
const appErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      if (cause.code === "TOO_MANY_REQUESTS" && cause.retryAfterSeconds !== undefined) {
        ctx.resHeaders.set("Retry-After", String(Math.max(1, Math.ceil(cause.retryAfterSeconds))));
      }
      throw new TRPCError({ code: cause.code, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(cause)) {
      throw databaseUnavailableError(cause, ctx.resHeaders);
    }
    const dataError = postgresErrorIn(cause);
    if (result.error.code === "INTERNAL_SERVER_ERROR" && dataError?.code.startsWith("22")) {
      ctx.log?.warn("database refused a value as data (400)", {
        sqlstate: dataError.code,
        err: cause,
      });
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: "Some of the values are out of range or cannot be stored. Please check them.",
        cause,
      });
    }
  }
  return result;
});

/** Whether a value holds text PostgreSQL cannot store: a NUL character or broken UTF-16. */
function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000") || !value.isWellFormed();
  if (depth > 20 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => hasUnstorableText(v, depth + 1));
  if (value instanceof Date) return false;
  return Object.entries(value).some(
    ([k, v]) => hasUnstorableText(k, depth + 1) || hasUnstorableText(v, depth + 1),
  );
}

/** Refuses text no column can hold before any procedure sees it, with a message that says why. */
const storableText = t.middleware(async ({ getRawInput, next }) => {
  if (hasUnstorableText(await getRawInput())) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "Some text contains characters that cannot be saved (a NUL or broken Unicode).",
    });
  }
  return next();
});

export const publicProcedure = t.procedure.use(appErrors).use(storableText);

/** Anonymous-friendly procedures that exist in only one app (sign-in forms). */
export const appProcedure = (app: AppName) =>
  publicProcedure.use(({ ctx, next }) => {
    if (ctx.app !== app)
      throw new TRPCError({ code: "NOT_FOUND", message: "No such procedure here." });
    return next();
  });

export const customerProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.app !== "portal" || ctx.principal.type !== "customer") {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: "Sign in to your Xplorium account first.",
    });
  }
  const principal = ctx.principal;
  // Typed as a customer, so services for the customer's own data (updateOwnProfile) take ctx.deps.
  const actor = { type: "customer", id: principal.customer.id } satisfies Actor;
  return next({ ctx: { ...ctx, principal, ...actingAs(ctx, actor) } });
});

/**
 * A member who owes two-factor setup is refused everything but the setup with one clear
 * message (two-factor-gate.ts), rather than being told to sign in again.
 */
function refuseUntilTwoFactorSetUp(ctx: Context) {
  if (ctx.app === "admin" && ctx.principal.type === "staffTwoFactorSetup") {
    throw new TRPCError({ code: "FORBIDDEN", message: TWO_FACTOR_SETUP_REQUIRED });
  }
}

/** The staff principal and actor of a request, or the tRPC error that refuses it. */
function requireStaffPermission(ctx: Context, permission: Permission, unauthorized: string) {
  refuseUntilTwoFactorSetUp(ctx);
  if (ctx.app !== "admin" || ctx.principal.type !== "staff") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: unauthorized });
  }
  const principal = ctx.principal;
  if (!ROLE_PERMISSIONS[principal.staff.role].has(permission)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Your role (${principal.staff.role}) does not allow this (${permission}).`,
    });
  }
  const actor: Actor = { type: "staff", id: principal.staff.id, role: principal.staff.role };
  return { principal, actor };
}

/** Staff with the given permission (OWNER has all). API keys are not staff. */
export const staffProcedure = (permission: Permission) =>
  publicProcedure.use(({ ctx, next }) => {
    const { principal, actor } = requireStaffPermission(
      ctx,
      permission,
      "Sign in as staff to do this.",
    );
    return next({ ctx: { ...ctx, principal, ...actingAs(ctx, actor) } });
  });

/**
 * An owner-level action: staff with `permission` who entered their password in this session
 * within STAFF_PASSWORD_CONFIRM_MINUTES (sign-in, or auth.staff.confirmPassword); otherwise
 * FORBIDDEN with `data.reason` "REAUTH_REQUIRED" (reauth.ts). API keys never get this far.
 */
export const recentPasswordStaffProcedure = (permission: Permission) =>
  staffProcedure(permission).use(({ ctx, next }) => {
    requireRecentPassword(ctx.principal, ctx.env);
    return next();
  });

/**
 * The booking site's way in: an API key (`Authorization: Bearer xp_…` on the admin) holding
 * `scope`, or staff with `permission`. The only builder that lets API keys through; `ctx.actor`
 * is `{ type: "apiKey", id }` or the staff member.
 */
export const apiKeyOrStaffProcedure = (permission: Permission, scope: ApiKeyScope) =>
  publicProcedure.use(({ ctx, next }) => {
    if (ctx.app === "admin" && ctx.principal.type === "apiKey") {
      const principal = ctx.principal;
      if (!principal.apiKey.scopes.includes(scope)) {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: `This API key does not have the ${scope} scope.`,
        });
      }
      const actor: Actor = { type: "apiKey", id: principal.apiKey.id };
      return next({ ctx: { ...ctx, principal: principal as KeyOrStaff, ...actingAs(ctx, actor) } });
    }
    const { principal, actor } = requireStaffPermission(
      ctx,
      permission,
      "Send a valid API key (Authorization: Bearer …) or sign in as staff.",
    );
    return next({ ctx: { ...ctx, principal: principal as KeyOrStaff, ...actingAs(ctx, actor) } });
  });

/** Any signed-in principal of this app (sign-out), a member owing two-factor setup included. */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (
    ctx.principal.type !== "staff" &&
    ctx.principal.type !== "staffTwoFactorSetup" &&
    ctx.principal.type !== "customer"
  ) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "You are not signed in." });
  }
  const principal = ctx.principal;
  return next({ ctx: { ...ctx, principal } });
});

/**
 * Any signed-in staff member on the admin, whatever their role, acting on their own account
 * (their password, their two-factor sign-in). Nothing here reaches another member's account:
 * procedures take the member from `ctx.principal`, never from the input.
 */
export const signedInStaffProcedure = publicProcedure.use(({ ctx, next }) => {
  refuseUntilTwoFactorSetUp(ctx);
  if (ctx.app !== "admin" || ctx.principal.type !== "staff") {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in as staff to do this." });
  }
  const principal = ctx.principal;
  const actor: Actor = { type: "staff", id: principal.staff.id, role: principal.staff.role };
  return next({ ctx: { ...ctx, principal, ...actingAs(ctx, actor) } });
});

/**
 * A staff member's own two-factor sign-in: any signed-in member, whatever their role, and also
 * one who owes its setup (the only procedures, besides `auth.me` and signing out, such a member
 * reaches). `ctx.principal` is the member; the input never names another.
 */
export const twoFactorSelfProcedure = publicProcedure.use(({ ctx, next }) => {
  const p = ctx.principal;
  if (ctx.app !== "admin" || (p.type !== "staff" && p.type !== "staffTwoFactorSetup")) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in as staff to do this." });
  }
  const actor = { type: "staff" as const, id: p.staff.id, role: p.staff.role };
  return next({ ctx: { ...ctx, principal: p, ...actingAs(ctx, actor) } });
});

/**
 * A signed-in customer on the portal, acting for themselves, or staff on the admin with
 * `permission`, acting on behalf of a customer. `ctx.self` is the customer's own id (taken from
 * the session, never from the input) or null for staff; procedures use it in place of any
 * customer id in the input.
 */
export const customerOrStaffProcedure = (permission: Permission) =>
  publicProcedure.use(({ ctx, next }) => {
    if (ctx.app === "portal" && ctx.principal.type === "customer") {
      const self = ctx.principal.customer.id;
      const actor: Actor = { type: "customer", id: self };
      return next({ ctx: { ...ctx, ...actingAs(ctx, actor), self: self as string | null } });
    }
    const { actor } = requireStaffPermission(ctx, permission, "Sign in first.");
    return next({ ctx: { ...ctx, ...actingAs(ctx, actor), self: null as string | null } });
  });
