import {
  CROSS_SITE_REFUSED,
  type SameOriginExemption,
  type SameOriginOptions,
  sameOriginVerdict,
} from "@xplorium/auth";
import type { RequestHandler } from "express";

export type SameOriginGuardOptions = SameOriginOptions;

/**
 * CSRF at the edge of both apps: `sameOriginVerdict` (packages/auth) on every request, a 403
 * before Remix or tRPC see a refused one. `exemptions` name the few requests that must work
 * cross-site (SAME_ORIGIN_EXEMPTIONS).
 */
export function sameOriginGuard(
  appOrigin: string,
  exemptions: readonly SameOriginExemption[] = [],
  opts: SameOriginGuardOptions = {},
): RequestHandler {
  return (req, res, next) => {
    const headers = new Headers();
    for (const name of ["origin", "sec-fetch-site", "authorization"]) {
      const value = req.get(name);
      if (value) headers.set(name, value);
    }
    const verdict = sameOriginVerdict(
      {
        method: req.method,
        path: req.path,
        headers,
        hostOrigin: `${req.protocol}://${req.get("host")}`,
      },
      appOrigin,
      exemptions,
      opts,
    );
    if (verdict === "exempt") {
      // Remix refuses (with a 500) any action whose Origin is not its Host, its own CSRF check;
      // for an exempted request that check is moot, so the header goes: a webmail page's POST
      // from its own origin (or "null") then works like a provider's header-less one.
      delete req.headers.origin;
      return next();
    }
    if (verdict === "allowed") return next();
    res.status(403).type("text/plain").send(CROSS_SITE_REFUSED);
  };
}
