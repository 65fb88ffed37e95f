import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { adminApi } from "~/lib/api.server";

export async function loader() {
  return redirect("/");
}

/** POST only (a link would let any page sign staff out). `everywhere` ends every session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { api, headers, principal } = await adminApi(request, context);
  // A member who still owes two-factor setup is signed in too (a principal of its own): the
  // button must end that session as well, e.g. on the counter's shared computer.
  if (principal.type === "staff" && form.get("everywhere") === "1") {
    await api.auth.signOutEverywhere();
  } else if (principal.type === "staff" || principal.type === "staffTwoFactorSetup") {
    await api.auth.signOut();
  }
  return redirect("/sign-in", { headers });
}
