import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { eraseForm } from "~/components/customer/customer-forms";
import { type FormResult, formResult, parseForm } from "~/lib/form.server";
import { confirmPasswordFromForm } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

/** What the privacy card's erase form gets back when the erasure is refused. */
export type EraseFailure = FormResult;

export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/customers/${params.id ?? ""}`);
}

/**
 * POST /customers/:id/erase, from the privacy card (a fetcher): `customers.erase`
 * (erase:customer) with the typed confirmation. On success the customer no longer exists to
 * show, so it goes back to the list; a refusal comes back to the card as its inline error.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context);
  const form = await request.formData();
  const submission = parseForm(form, eraseForm);
  // A Response rather than data(): a resource route keeps data()'s status only for the
  // fetcher's single-fetch request, and a plain form post should get the 400/403 too.
  const refused = (result: ReturnType<typeof formResult>) => {
    const init = new Headers(result.init?.headers);
    init.set("Content-Type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(result.data), {
      status: result.init?.status,
      headers: init,
    });
  };
  if (submission.status !== "success") return refused(formResult(submission, { headers }));
  // Owner-level: the password again (typed into the card) when it was not entered recently.
  const reauth = await confirmPasswordFromForm(api, form);
  if (reauth) return refused(formResult(submission, { headers, refuse: reauth }));
  try {
    await api.customers.erase({
      customerId: params.id ?? "",
      confirmation: submission.value.confirmation,
    });
    return redirect("/customers?erased=1", { headers });
  } catch (error) {
    return refused(formResult(submission, { headers, error }));
  }
}
