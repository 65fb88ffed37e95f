import { type AppLoadContext, redirect } from "@remix-run/node";
import { safeNext as safeNextOn, TWO_FACTOR_SETUP_PATH } from "@xplorium/api";
import type { Permission } from "@xplorium/auth/permissions";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import { adminApi } from "./api.server";

/**
 * The signed-in staff member, or a redirect to sign-in that comes back here afterwards. A
 * member who owes two-factor setup is sent to set it up first (every page but that one).
 */
export async function requireStaff(
  request: Request,
  context: AppLoadContext,
  permission?: Permission,
) {
  const { api, headers, principal } = await adminApi(request, context);
  if (principal.type === "staffTwoFactorSetup") throw twoFactorSetupRedirect(request, headers);
  if (principal.type !== "staff") throw signInRedirect(request, headers);
  if (permission && !ROLE_PERMISSIONS[principal.staff.role].has(permission)) {
    throw new Response("Your role does not allow this page.", { status: 403 });
  }
  // When this session last had the password entered: owner-level forms ask again once it is
  // old (reauth.server.ts).
  return {
    api,
    headers,
    staff: principal.staff,
    passwordConfirmedAt: principal.passwordConfirmedAt,
  };
}

/**
 * Any signed-in member, one who still owes two-factor setup included: for the signed-in layout
 * and the two-factor page only (the API refuses such a member everything else anyway).
 */
export async function requireSignedInStaff(request: Request, context: AppLoadContext) {
  const { api, headers, principal } = await adminApi(request, context);
  if (principal.type !== "staff" && principal.type !== "staffTwoFactorSetup") {
    throw signInRedirect(request, headers);
  }
  return {
    api,
    headers,
    staff: principal.staff,
    mustSetUpTwoFactor: principal.type === "staffTwoFactorSetup",
    passwordConfirmedAt: principal.passwordConfirmedAt,
  };
}

/** To the two-factor setup, coming back to this URL afterwards. */
export function twoFactorSetupRedirect(request: Request, headers?: Headers) {
  const url = new URL(request.url);
  const next = url.pathname + url.search;
  return redirect(
    `${TWO_FACTOR_SETUP_PATH}${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`,
    { ...(headers ? { headers } : {}) },
  );
}

/** To sign-in, coming back to this URL afterwards. */
export function signInRedirect(request: Request, headers?: Headers) {
  const url = new URL(request.url);
  const next = url.pathname + url.search;
  return redirect(`/sign-in${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`, {
    ...(headers ? { headers } : {}),
  });
}

/**
 * Where `?next=` may send a staff member after signing in: a path on the admin (ADMIN_URL's
 * origin), else `fallback`. The shared check (packages/api safe-next.ts) is the portal's too.
 */
export function safeNext(value: unknown, context: AppLoadContext, fallback = "/"): string {
  return safeNextOn(value, context.env.ADMIN_URL) ?? fallback;
}
