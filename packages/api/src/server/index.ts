export {
  type AppServerOptions,
  applyAppEdge,
  applyAppEndpoints,
  startAppServer,
  type XpLoadContext,
} from "./app-server";
export { createRequestHandler, sendResponse } from "./remix-handler";
export {
  RESEND_WEBHOOK_LIMITS,
  RESEND_WEBHOOK_PATH,
  type ResendWebhookOptions,
  resendWebhookRouter,
  resendWebhookStartupNotice,
} from "./resend-webhook";
export {
  ONE_CLICK_UNSUBSCRIBE,
  RESEND_WEBHOOK,
  SAME_ORIGIN_EXEMPTIONS,
  type SameOriginExemption,
  sameOriginGuard,
} from "./same-origin-guard";
export { createNonce, securityHeaders } from "./security-headers";
