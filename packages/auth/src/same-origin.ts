const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for every state-changing request (Lucia's guide): the browser must say the
 * request came from our own origin. Requests with neither header are allowed only when
 * `allowHeaderless`: the app server grants it to a well-formed API key alone, whose request no
 * cookie ever authenticates (same-origin-guard.ts, context.ts).
 */
export function isAllowedOrigin(
  method: string,
  headers: Headers,
  appOrigin: string,
  opts: { allowHeaderless?: boolean } = {},
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  const origin = headers.get("origin");
  if (origin !== null) return origin === appOrigin;
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin";
  return opts.allowHeaderless ?? false;
}
