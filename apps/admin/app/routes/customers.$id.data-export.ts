import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { personalDataResponse } from "@xplorium/api";
import { describeActionError } from "~/lib/api.server";
import { requireStaff } from "~/lib/session.server";

/** Nothing to see here: the export is a POST from the customer page (a recorded request). */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/customers/${params.id ?? ""}`);
}

/**
 * POST /customers/:id/data-export: everything held about the customer as one zip (GDPR right
 * of access, run by staff on the customer's request). `customers.exportData`
 * (export:personal-data) records and audits it; the file is made here.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { api, headers } = await requireStaff(request, context);
  try {
    const data = await api.customers.exportData({ customerId: params.id ?? "" });
    return personalDataResponse(data, headers);
  } catch (error) {
    const f = describeActionError(error);
    const message = f.status === 400 ? "No customer with that id." : f.message;
    throw new Response(message, { status: f.status === 400 ? 404 : f.status, headers });
  }
}
