import { type AppLoadContext, data } from "@remix-run/node";
import {
  type CustomerFilterInput,
  contextInput,
  describeActionError,
  handleCustomerExport,
  handleMarketingListExport,
  handleTrpcRequest,
  serverCaller,
} from "@xplorium/api";
import { forwardDataHeaders } from "@xplorium/ui/remix";

/** The tRPC router called in-process with this request's staff session. */
export const adminApi = (request: Request, context: AppLoadContext) =>
  serverCaller(contextInput(request, context));

/** The shared router over HTTP (the /api/trpc resource route). */
export const handleTrpc = (request: Request, context: AppLoadContext) =>
  handleTrpcRequest(contextInput(request, context));

/** The filtered customer list as a streamed CSV download (authorised like a procedure). */
export const exportCustomers = (
  request: Request,
  context: AppLoadContext,
  filters: CustomerFilterInput,
) => handleCustomerExport(contextInput(request, context), filters);

/** A saved segment's marketing list as a streamed CSV download (authorised like a procedure). */
export const exportMarketingList = (request: Request, context: AppLoadContext, segmentId: string) =>
  handleMarketingListExport(contextInput(request, context), segmentId);

/** The customer list's sort keys, for validating `?sort=` in the URL. */
export { CONSENT_WORDING, CUSTOMER_SORTS } from "@xplorium/api";
export { describeActionError, forwardDataHeaders };

/** A form's submitted fields as strings, to refill the form after a refusal. */
export const formValues = (form: FormData): Record<string, string> =>
  Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));

/** A refused form submission: the message, per-field errors and what was typed. */
export function formFailure(error: unknown, values: Record<string, string>, headers: Headers) {
  const f = describeActionError(error);
  return data(
    { message: f.message, fieldErrors: f.fieldErrors as Record<string, string[]>, values },
    { status: f.status, headers },
  );
}
