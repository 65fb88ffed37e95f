import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { resetPageHeaders, resetTokenCookie } from "~/lib/password-reset.server";

/**
 * The emailed link, `/reset-password/<id>.<secret>`: its token goes into a short-lived cookie
 * and the browser moves on to `/reset-password`, which shows the form (or says the link is dead)
 * without the token in its address. Nothing is checked or used here: a mail scanner that opens
 * the link changes nothing. The access log records this path as `/reset-password/:token`.
 */
export function loader({ params, context }: LoaderFunctionArgs) {
  const headers = resetPageHeaders();
  headers.append("Set-Cookie", resetTokenCookie(params.token ?? "", context.env.production));
  throw redirect("/reset-password", { status: 303, headers });
}
