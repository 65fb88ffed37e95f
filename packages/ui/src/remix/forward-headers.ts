import type { HeadersFunction } from "@remix-run/node";

/**
 * A route's `headers` export that passes its loader's and action's headers on to the document
 * response (Remix passes only Set-Cookie without one): `Retry-After` on a rate-limited form
 * (429), and Set-Cookie from signing in.
 */
export const forwardDataHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const out = new Headers();
  for (const h of [loaderHeaders, actionHeaders]) {
    for (const [key, value] of h) if (key !== "set-cookie") out.set(key, value);
    for (const cookie of h.getSetCookie()) out.append("Set-Cookie", cookie);
  }
  return out;
};
