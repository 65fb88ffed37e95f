import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { exportCustomers } from "../lib/api.server";
import { customerQueryFromUrl } from "../lib/customer-filters.server";
import { confirmPasswordPath, isReauthRefusal } from "../lib/reauth.server";
import { signInRedirect } from "../lib/session.server";

/**
 * GET /customers/export?<the /customers page's filters>: every customer of that list, in its
 * order, as a CSV download streamed from the database. Needs `export:customer` (403 otherwise);
 * without a session, sign in and come back; with a password not entered recently (an
 * owner-level action), confirm it on /confirm-password, which comes back here. A resource route
 * outside the `_app` layout.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { filters } = customerQueryFromUrl(new URL(request.url));
  const response = await exportCustomers(request, context, filters);
  if (response.status === 401) throw signInRedirect(request);
  if (isReauthRefusal(response)) {
    const url = new URL(request.url);
    throw redirect(confirmPasswordPath(url.pathname + url.search, `/customers${url.search}`));
  }
  return response;
}
