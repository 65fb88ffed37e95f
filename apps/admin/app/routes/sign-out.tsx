import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { signOutForm } from "~/components/account/sign-in-forms";
import { adminApi } from "~/lib/api.server";
import { parseForm } from "~/lib/form.server";

export async function loader() {
  return redirect("/");
}

/** POST only (a link would let any page sign staff out). `everywhere` ends every session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), signOutForm);
  const { api, headers, principal } = await adminApi(request, context);
  // Anything but "1" signs out here only, as a plain sign-out.
  const everywhere = submission.status === "success" && submission.value.everywhere === "1";
  // A member who still owes two-factor setup is signed in too (a principal of its own): the
  // button must end that session as well, e.g. on the counter's shared computer.
  if (principal.type === "staff" && everywhere) {
    await api.auth.signOutEverywhere();
  } else if (principal.type === "staff" || principal.type === "staffTwoFactorSetup") {
    await api.auth.signOut();
  }
  return redirect("/sign-in", { headers });
}
