import type { AppLoadContext } from "@remix-run/node";
import { describeActionError, handleTrpcRequest, serverCaller } from "@xplorium/api";

/** The tRPC router called in-process with this request's customer session. */
export function portalApi(request: Request, context: AppLoadContext) {
  return serverCaller({
    db: context.db,
    env: context.env,
    app: "portal",
    request,
    ip: context.ip,
    requestId: context.requestId,
  });
}

/** The shared router over HTTP (the /api/trpc resource route). */
export function handleTrpc(request: Request, context: AppLoadContext) {
  return handleTrpcRequest({
    db: context.db,
    env: context.env,
    app: "portal",
    request,
    ip: context.ip,
    requestId: context.requestId,
  });
}

export { describeActionError };
