import { randomUUID } from "node:crypto";
import type { Logger } from "@xplorium/logger";
import type { RequestHandler } from "express";
import { createNonce } from "./security-headers";

/**
 * Paths whose last segment is a secret (a signed link token): logged as the route's shape, so
 * access logs never hold a working unsubscribe or confirmation link.
 */
const SECRET_SEGMENTS: [RegExp, string][] = [
  [/^\/unsubscribe\/[^/]+/, "/unsubscribe/:token"],
  [/^\/consent\/confirm\/[^/]+/, "/consent/confirm/:token"],
  // A staff password reset link (admin): whoever reads it could set the password.
  [/^\/reset-password\/[^/]+/i, "/reset-password/:token"],
];

/** The path as logged: no query string (magic-link tokens ride there) and no secret segments. */
export function loggablePath(path: string): string {
  for (const [pattern, shape] of SECRET_SEGMENTS) {
    if (pattern.test(path)) return path.replace(pattern, shape);
  }
  return path.length > 300 ? `${path.slice(0, 300)}…` : path;
}

// Health probes and asset fetches would drown the requests people make.
const QUIET =
  /^\/(?:healthz|readyz|assets\/|favicon|@|node_modules\/|app\/|__manifest)|\.(?:js|mjs|css|map|svg|png|jpe?g|ico|woff2?)$/;

/**
 * Gives every request an id (sent back as X-Request-Id, shown on error pages, and on every log
 * line about the request), a CSP nonce, a logger carrying the id, and one JSON log line when the
 * response ends.
 */
export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    const requestLog = log.child({ requestId });
    res.locals.requestId = requestId;
    res.locals.nonce = createNonce();
    res.locals.log = requestLog;
    res.setHeader("X-Request-Id", requestId);
    res.on("close", () => {
      const fields = {
        method: req.method,
        path: loggablePath(req.path),
        status: res.statusCode,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (QUIET.test(req.path) && res.statusCode < 500) requestLog.debug("request", fields);
      else requestLog.info("request", fields);
    });
    next();
  };
}
