import { type AppLoadContext, redirect } from "@remix-run/node";
import { safeNext as safeNextOn } from "@xplorium/api";
import type { Permission } from "@xplorium/auth/permissions";
import { ROLE_PERMISSIONS } from "@xplorium/auth/permissions";
import { adminApi } from "./api.server";

/** The signed-in staff member, or a redirect to sign-in that comes back here afterwards. */
export async function requireStaff(
  request: Request,
  context: AppLoadContext,
  permission?: Permission,
) {
  const { api, headers, principal } = await adminApi(request, context);
  if (principal.type !== "staff") throw signInRedirect(request, headers);
  if (permission && !ROLE_PERMISSIONS[principal.staff.role].has(permission)) {
    throw new Response("Your role does not allow this page.", { status: 403 });
  }
  return { api, headers, staff: principal.staff };
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
