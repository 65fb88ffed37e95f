import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { portalApi } from "~/lib/api.server";

export async function loader() {
  return redirect("/");
}

/** POST only (a link would let any page sign people out). `everywhere` ends every session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { api, headers, principal } = await portalApi(request, context);
  if (principal.type === "customer") {
    if (form.get("everywhere") === "1") await api.auth.signOutEverywhere();
    else await api.auth.signOut();
  }
  return redirect("/sign-in", { headers });
}
