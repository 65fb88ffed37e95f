import { bearerCredentials, isApiKeyFormat } from "./api-keys";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for every state-changing request (Lucia's guide): the browser must say the
 * request came from our own origin. Requests with neither header are allowed only when
 * `allowHeaderless`: the app server grants it to a well-formed API key alone, whose request no
 * cookie ever authenticates (`sameOriginVerdict`, packages/api/src/context.ts).
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

/** A request the same-origin check lets through: one method on paths of one exact shape. */
export interface SameOriginExemption {
  method: string;
  /** Tested against the raw path (no query), anchored at both ends. */
  path: RegExp;
}

/**
 * RFC 8058 one-click unsubscribe: a mailbox provider POSTs `List-Unsubscribe=One-Click` to the
 * link from its own servers (or the mail client), with no cookies and an Origin that is not ours
 * or none at all. That is safe to let through because the route's only authority is the signed
 * token in the path, never a session, so a cross-site POST can do nothing the token's holder
 * could not do anyway. Only POST to `/unsubscribe/<token>`: one segment of letters, digits,
 * `_`, `-` and single dots between them, so no `..` or encoded path can reach another route.
 */
export const ONE_CLICK_UNSUBSCRIBE: SameOriginExemption = {
  method: "POST",
  path: /^\/unsubscribe\/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/,
};

/**
 * Resend's webhook (packages/server/src/resend-webhook.ts): Resend's servers POST events with no
 * Origin and no cookies. Its authority is the Svix signature over the raw body, checked before
 * anything is recorded, never a session. Only POST to exactly `/api/webhooks/resend`.
 */
export const RESEND_WEBHOOK: SameOriginExemption = {
  method: "POST",
  path: /^\/api\/webhooks\/resend$/,
};

/** Each app's exemptions from the same-origin check; keep this list as short as possible. */
export const SAME_ORIGIN_EXEMPTIONS: Record<"admin" | "portal", readonly SameOriginExemption[]> = {
  admin: [RESEND_WEBHOOK],
  portal: [ONE_CLICK_UNSUBSCRIBE],
};

export interface SameOriginOptions {
  /**
   * Let a request with neither `Origin` nor `Sec-Fetch-Site` through when it carries a
   * well-formed API key (`Authorization: Bearer xp_<prefix>_<secret>`): an API client such as the
   * booking site (admin only). Such a request is never authenticated by a cookie (api context.ts),
   * so a cookie that came along has no authority to abuse. Any other Authorization header (Basic,
   * a malformed key) lifts nothing: a browser may attach Basic credentials to a cross-site form
   * post, and the session cookie would still act.
   */
  allowApiKey?: boolean;
  /**
   * Count the origin the request was addressed to (its Host) as the app's own too. Development
   * only: the app is reached on names other than its configured URL (127.0.0.1, a LAN address).
   * In production only the configured origin counts, so a DNS-rebinding page on another name
   * cannot pass as same-origin.
   */
  allowHostOrigin?: boolean;
}

/** What the edge answers a refused cross-site request with (403). */
export const CROSS_SITE_REFUSED = "Cross-site request refused.";

/**
 * CSRF: a browser always labels a state-changing request with where it came from, so a non-GET
 * request must come from the app's own origin (`Origin`, or without it `Sec-Fetch-Site:
 * same-origin`); everything else is refused before Remix or tRPC see it. `exemptions` name the
 * few requests that must work cross-site (SAME_ORIGIN_EXEMPTIONS). `hostOrigin` is the origin
 * the request was addressed to (`allowHostOrigin`).
 */
export function sameOriginVerdict(
  request: { method: string; path: string; headers: Headers; hostOrigin?: string },
  appOrigin: string,
  exemptions: readonly SameOriginExemption[] = [],
  opts: SameOriginOptions = {},
): "exempt" | "allowed" | "refused" {
  const { method, headers } = request;
  if (exemptions.some((e) => e.method === method && e.path.test(request.path))) return "exempt";
  const apiKey = bearerCredentials(headers.get("authorization"));
  const ok =
    isAllowedOrigin(method, headers, appOrigin, {
      allowHeaderless: (opts.allowApiKey ?? false) && apiKey !== null && isApiKeyFormat(apiKey),
    }) ||
    (opts.allowHostOrigin === true &&
      request.hostOrigin !== undefined &&
      isAllowedOrigin(method, headers, request.hostOrigin));
  return ok ? "allowed" : "refused";
}
