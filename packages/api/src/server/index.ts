export {
  type AppEdgeOptions,
  type AppServerOptions,
  applyAppEdge,
  type CreateAppServerOptions,
  createAppServer,
  startAppServer,
  type XpLoadContext,
} from "./app-server";
export { healthRoutes, type Lifecycle } from "./health";
export { createRequestHandler, sendResponse } from "./remix-handler";
export { loggablePath, requestContext } from "./request-context";
export {
  ONE_CLICK_UNSUBSCRIBE,
  SAME_ORIGIN_EXEMPTIONS,
  type SameOriginExemption,
  type SameOriginGuardOptions,
  sameOriginGuard,
} from "./same-origin-guard";
export { contentSecurityPolicy, createNonce, securityHeaders } from "./security-headers";
export { type ServedApp, type ServeOptions, serveApp } from "./serve";
