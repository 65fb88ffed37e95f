import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { exportMarketingList } from "../lib/api.server";
import { confirmPasswordPath, isReauthRefusal } from "../lib/reauth.server";
import { signInRedirect } from "../lib/session.server";

/**
 * GET /marketing/segments/:id/export: the segment's marketing list (opted in, not erased, not
 * suppressed) as a CSV download streamed from the database. Needs `read:marketing` and
 * `export:customer` (403 otherwise); without a session, sign in and come back; with a password
 * not entered recently (a list of customers' addresses leaves the system), confirm it on
 * /confirm-password, which comes back here. A resource route outside the `_app` layout.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const response = await exportMarketingList(request, context, params.id ?? "");
  if (response.status === 401) throw signInRedirect(request);
  if (isReauthRefusal(response)) {
    const url = new URL(request.url);
    const segment = `/marketing/segments/${encodeURIComponent(params.id ?? "")}`;
    throw redirect(confirmPasswordPath(url.pathname + url.search, segment));
  }
  return response;
}
