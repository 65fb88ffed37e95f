export { startAppServer, type AppServerOptions, type XpLoadContext } from "./app-server";
export { createNonce, securityHeaders } from "./security-headers";
