export { type AppServerOptions, startAppServer, type XpLoadContext } from "./app-server";
export { createRequestHandler, sendResponse } from "./remix-handler";
export { createNonce, securityHeaders } from "./security-headers";
