import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { personalDataResponse } from "@xplorium/api";
import { requireCustomer } from "~/lib/session.server";

/** Nothing to see here: the download is a POST from /privacy (a recorded request). */
export function loader() {
  return redirect("/privacy");
}

/**
 * POST /privacy/download: the signed-in customer's data as one zip (data.json, bookings.csv,
 * points.csv). `portal.exportData` records the request and gathers the data; the file is made
 * here because tRPC answers JSON. A resource route outside the account layout.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  return personalDataResponse(await api.portal.exportData(), headers);
}
