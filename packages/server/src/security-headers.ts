import { randomBytes } from "node:crypto";

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * Content-Security-Policy with a per-request nonce (passed to <Scripts>, <ScrollRestoration>,
 * <RemixServer> and React's renderToPipeableStream), plus the usual hardening headers.
 *
 * Production: scripts run only with this response's nonce (and what they load: 'strict-dynamic';
 * 'self' for browsers without CSP 3). Development keeps every other directive but lets scripts
 * run as Vite's dev server needs (its client and HMR runtime are injected without a nonce, and
 * React Refresh uses eval), and allows Vite's HMR websocket.
 */
export function contentSecurityPolicy(nonce: string, opts: { production: boolean }): string {
  return [
    "default-src 'self'",
    opts.production
      ? `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`
      : "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    opts.production ? "connect-src 'self'" : "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(
  nonce: string,
  opts: { production: boolean },
): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, opts),
    // Only over HTTPS, i.e. production: HSTS on a development localhost would pin it to HTTPS.
    ...(opts.production
      ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" }
      : {}),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}
