import type { AppLoadContext } from "@remix-run/node";
import { describeActionError, handleTrpcRequest, serverCaller } from "@xplorium/api";

/** The tRPC router called in-process with this request's staff session. */
export function adminApi(request: Request, context: AppLoadContext) {
  return serverCaller({
    db: context.db,
    env: context.env,
    app: "admin",
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
    app: "admin",
    request,
    ip: context.ip,
    requestId: context.requestId,
  });
}

export { describeActionError };
