export { type AppServerOptions, startAppServer, type XpLoadContext } from "./app-server";
export { createNonce, securityHeaders } from "./security-headers";
