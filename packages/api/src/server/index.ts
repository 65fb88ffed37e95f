export {
  type AppServerOptions,
  applyAppEdge,
  startAppServer,
  type XpLoadContext,
} from "./app-server";
export { createRequestHandler, sendResponse } from "./remix-handler";
export {
  ONE_CLICK_UNSUBSCRIBE,
  SAME_ORIGIN_EXEMPTIONS,
  type SameOriginExemption,
  sameOriginGuard,
} from "./same-origin-guard";
export { createNonce, securityHeaders } from "./security-headers";
