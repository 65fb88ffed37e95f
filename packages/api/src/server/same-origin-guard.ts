import { bearerCredentials, isAllowedOrigin, isApiKeyFormat } from "@xplorium/auth";
import type { RequestHandler } from "express";
import type { AppName } from "../context";

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
 * Resend's webhook (`resend-webhook.ts`): Resend's servers POST events with no Origin and no
 * cookies. Its authority is the Svix signature over the raw body, checked before anything is
 * recorded, never a session. Only POST to exactly `/api/webhooks/resend`.
 */
export const RESEND_WEBHOOK: SameOriginExemption = {
  method: "POST",
  path: /^\/api\/webhooks\/resend$/,
};

/** Each app's exemptions from the same-origin check; keep this list as short as possible. */
export const SAME_ORIGIN_EXEMPTIONS: Record<AppName, readonly SameOriginExemption[]> = {
  admin: [RESEND_WEBHOOK],
  portal: [ONE_CLICK_UNSUBSCRIBE],
};

export interface SameOriginGuardOptions {
  /**
   * Let a request with neither `Origin` nor `Sec-Fetch-Site` through when it carries a
   * well-formed API key (`Authorization: Bearer xp_<prefix>_<secret>`): an API client such as the
   * booking site (admin only). Such a request is never authenticated by a cookie (context.ts),
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

/**
 * CSRF: a browser always labels a state-changing request with where it came from, so a non-GET
 * request must come from the app's own origin (`Origin`, or without it `Sec-Fetch-Site:
 * same-origin`); everything else gets 403 before Remix or tRPC see it. `exemptions` name the few
 * requests that must work cross-site (SAME_ORIGIN_EXEMPTIONS).
 */
export function sameOriginGuard(
  appOrigin: string,
  exemptions: readonly SameOriginExemption[] = [],
  opts: SameOriginGuardOptions = {},
): RequestHandler {
  return (req, res, next) => {
    if (exemptions.some((e) => e.method === req.method && e.path.test(req.path))) {
      // Remix refuses (with a 500) any action whose Origin is not its Host, its own CSRF check;
      // for an exempted request that check is moot, so the header goes: a webmail page's POST
      // from its own origin (or "null") then works like a provider's header-less one.
      delete req.headers.origin;
      return next();
    }
    const headers = new Headers();
    for (const name of ["origin", "sec-fetch-site"]) {
      const value = req.get(name);
      if (value) headers.set(name, value);
    }
    const apiKey = bearerCredentials(req.get("authorization"));
    const ok =
      isAllowedOrigin(req.method, headers, appOrigin, {
        allowHeaderless: (opts.allowApiKey ?? false) && apiKey !== null && isApiKeyFormat(apiKey),
      }) ||
      (opts.allowHostOrigin === true &&
        isAllowedOrigin(req.method, headers, `${req.protocol}://${req.get("host")}`));
    if (ok) return next();
    res.status(403).type("text/plain").send("Cross-site request refused.");
  };
}
