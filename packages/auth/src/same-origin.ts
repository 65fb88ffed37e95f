const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for every state-changing request (Lucia's guide): the browser must say the
 * request came from our own origin. Requests with neither header (curl, server-to-server with
 * an API key) carry no ambient cookies to abuse; those are allowed only when `allowHeaderless`.
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
