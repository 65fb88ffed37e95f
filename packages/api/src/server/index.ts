export { type AppServerOptions, startAppServer, type XpLoadContext } from "./app-server";
export { sameOriginGuard } from "./same-origin-guard";
export { createNonce, securityHeaders } from "./security-headers";
