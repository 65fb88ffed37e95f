import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { describeActionError } from "~/lib/api.server";
import { confirmPasswordFromForm } from "~/lib/reauth.server";
import { requireStaff } from "~/lib/session.server";

/** What the privacy card's erase form gets back when the erasure is refused. */
export interface EraseFailure {
  ok: false;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
  /** "REAUTH_REQUIRED": the card asks for the password (packages/api/src/reauth.ts). */
  reason?: string;
}

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
  const refuse = (f: EraseFailure & { status: number }) => {
    const body: EraseFailure = {
      ok: false,
      message: f.message,
      fieldErrors: f.fieldErrors,
      ...(f.reason ? { reason: f.reason } : {}),
    };
    // A Response rather than data(): a resource route keeps data()'s status only for the
    // fetcher's single-fetch request, and a plain form post should get the 400/403 too.
    headers.set("Content-Type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(body), { status: f.status, headers });
  };
  // Owner-level: the password again (typed into the card) when it was not entered recently.
  const reauth = await confirmPasswordFromForm(api, form);
  if (reauth) return refuse(reauth);
  try {
    await api.customers.erase({
      customerId: params.id ?? "",
      confirmation: String(form.get("confirmation") ?? ""),
    });
    return redirect("/customers?erased=1", { headers });
  } catch (error) {
    return refuse(describeActionError(error));
  }
}
