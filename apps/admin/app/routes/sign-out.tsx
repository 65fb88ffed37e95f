import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { adminApi } from "~/lib/api.server";

export async function loader() {
  return redirect("/");
}

/** POST only (a link would let any page sign staff out). `everywhere` ends every session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { api, headers, principal } = await adminApi(request, context);
  if (principal.type === "staff") {
    if (form.get("everywhere") === "1") await api.auth.signOutEverywhere();
    else await api.auth.signOut();
  }
  return redirect("/sign-in", { headers });
}
