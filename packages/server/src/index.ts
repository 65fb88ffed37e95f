export {
  ONE_CLICK_UNSUBSCRIBE,
  RESEND_WEBHOOK,
  SAME_ORIGIN_EXEMPTIONS,
  type SameOriginExemption,
} from "@xplorium/auth";
export {
  type AppEdgeOptions,
  type AppServerOptions,
  applyAppEdge,
  applyAppEndpoints,
  type CreateAppServerOptions,
  createAppServer,
  devViteServerOptions,
  startAppServer,
  type XpLoadContext,
} from "./app-server";
export {
  BODY_LIMIT_ALLOWANCES,
  type BodyLimitAllowance,
  bodyLimit,
  DEFAULT_MAX_REQUEST_BODY_BYTES,
} from "./body-limit";
export { healthRoutes, type Lifecycle } from "./health";
export { createRequestHandler, sendResponse } from "./remix-handler";
export { loggablePath, requestContext } from "./request-context";
export {
  RESEND_WEBHOOK_LIMITS,
  RESEND_WEBHOOK_MAX_BYTES,
  RESEND_WEBHOOK_PATH,
  type ResendWebhookOptions,
  resendWebhookRouter,
  resendWebhookStartupNotice,
} from "./resend-webhook";
export { type SameOriginGuardOptions, sameOriginGuard } from "./same-origin-guard";
export { contentSecurityPolicy, createNonce, securityHeaders } from "./security-headers";
export { type ServedApp, type ServeOptions, serveApp } from "./serve";
