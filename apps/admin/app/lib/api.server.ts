import type { AppLoadContext } from "@remix-run/node";
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
