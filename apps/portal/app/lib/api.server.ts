import type { AppLoadContext } from "@remix-run/node";
import {
  CONSENT_WORDING,
  contextInput,
  describeActionError,
  handleTrpcRequest,
  LINK_FAILED,
  serverCaller,
} from "@xplorium/api";
import { forwardDataHeaders } from "@xplorium/ui/remix";

/** The tRPC router called in-process with this request's customer session. */
export const portalApi = (request: Request, context: AppLoadContext) =>
  serverCaller(contextInput(request, context));

/** The shared router over HTTP (the /api/trpc resource route). */
export const handleTrpc = (request: Request, context: AppLoadContext) =>
  handleTrpcRequest(contextInput(request, context));

export { CONSENT_WORDING, describeActionError, forwardDataHeaders, LINK_FAILED };
