import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { signOutForm } from "~/components/auth/sign-in-forms";
import { portalApi } from "~/lib/api.server";
import { parseForm } from "~/lib/form.server";

export async function loader() {
  return redirect("/");
}

/** POST only (a link would let any page sign people out). `everywhere` ends every session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), signOutForm);
  const { api, headers, principal } = await portalApi(request, context);
  if (principal.type === "customer") {
    // Anything but "1" signs out here only, as a plain sign-out.
    if (submission.status === "success" && submission.value.everywhere === "1") {
      await api.auth.signOutEverywhere();
    } else await api.auth.signOut();
  }
  return redirect("/sign-in", { headers });
}
