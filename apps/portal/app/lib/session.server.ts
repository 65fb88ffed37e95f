import { type AppLoadContext, redirect } from "@remix-run/node";
import { portalApi } from "./api.server";

/**
 * The signed-in customer's API, or a redirect to sign-in that comes back here afterwards.
 * Every portal procedure acts for the session's customer only; ids in inputs never choose whom.
 */
export async function requireCustomer(request: Request, context: AppLoadContext) {
  const { api, headers, principal } = await portalApi(request, context);
  if (principal.type !== "customer") {
    const url = new URL(request.url);
    const next = url.pathname + url.search;
    throw redirect(next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`, {
      headers,
    });
  }
  return { api, headers, customer: principal.customer };
}
