export { type AppServerOptions, startAppServer, type XpLoadContext } from "./app-server";
export { createRequestHandler, sendResponse } from "./remix-handler";
export { sameOriginGuard } from "./same-origin-guard";
export { createNonce, securityHeaders } from "./security-headers";
