import { isAllowedOrigin } from "@xplorium/auth";
import type { RequestHandler } from "express";

/**
 * CSRF: a browser always labels a state-changing request with where it came from, so a non-GET
 * request must come from the app's own origin (or the host it was addressed to). A request with
 * neither `Origin` nor `Sec-Fetch-Site` passes only with an `Authorization` header: an API client
 * such as the booking site, which carries no ambient cookies to abuse.
 */
export function sameOriginGuard(appOrigin: string): RequestHandler {
  return (req, res, next) => {
    const headers = new Headers();
    for (const name of ["origin", "sec-fetch-site", "authorization"]) {
      const value = req.get(name);
      if (value) headers.set(name, value);
    }
    const hostOrigin = `${req.protocol}://${req.get("host")}`;
    const ok =
      isAllowedOrigin(req.method, headers, appOrigin, {
        allowHeaderless: headers.has("authorization"),
      }) || isAllowedOrigin(req.method, headers, hostOrigin);
    if (ok) return next();
    res.status(403).type("text/plain").send("Cross-site request refused.");
  };
}
