import {
  type ApiKeyPrincipal,
  bearerCredentials,
  type CustomerPrincipal,
  readSessionCookie,
  type StaffPrincipal,
  serializeSessionCookie,
  validateApiKey,
  validateCustomerSession,
  validateStaffSession,
} from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import type { RequestMeta } from "@xplorium/core/actor";
import type { DepsWith } from "@xplorium/core/deps";
import type { Database } from "@xplorium/db";
import type { Logger } from "@xplorium/logger";
import { gateTwoFactor, type StaffTwoFactorSetupPrincipal } from "./two-factor-gate";

/** Which app a request came through; each reads only its own kind of session. */
export type AppName = "admin" | "portal";

export type Principal =
  | StaffPrincipal
  | StaffTwoFactorSetupPrincipal
  | CustomerPrincipal
  | ApiKeyPrincipal
  | { type: "anonymous" };

export interface Context {
  db: Database;
  env: Env;
  app: AppName;
  principal: Principal;
  meta: RequestMeta;
  /**
   * What services take first (`doThing(ctx.deps, input)`); the middleware that authenticates a
   * procedure adds the actor (trpc.ts), so an anonymous procedure's services cannot audit as one.
   */
  deps: DepsWith<"db" | "meta" | "config", Env>;
  /** Headers the response must carry (Set-Cookie from sign-in, sign-out, session refresh). */
  resHeaders: Headers;
  /** The request's logger (with its request id), when the request came through an app server. */
  log?: Logger;
}

export interface CreateContextInput {
  db: Database;
  env: Env;
  app: AppName;
  request: Request;
  resHeaders: Headers;
  ip?: string | null;
  requestId?: string | null;
  /** The request's logger (carries the request id). */
  log?: Logger;
  /**
   * One object per HTTP request (the Remix load context), set only for GET and HEAD: the
   * loaders of one page run in parallel and each builds a context, so the session is then
   * validated once per request and shared (see `resolvePrincipalOnce`).
   */
  requestKey?: object;
}

export function cookieSettings(env: Env) {
  return { secure: env.production };
}

interface Resolved {
  principal: Principal;
  /** The session cookie to send again (its expiry moved), if any. */
  setCookie: string | null;
}

async function resolvePrincipal(
  input: Omit<CreateContextInput, "resHeaders">,
  token: string | null,
): Promise<Resolved> {
  const { db, env, app, request } = input;
  // A request that presents bearer credentials is an API client's: its key alone decides, and a
  // session cookie that came along never authenticates it (an unknown or malformed key is just
  // anonymous). The portal takes no keys. Another scheme (a proxy's Basic login) is ignored.
  const bearer = bearerCredentials(request.headers.get("authorization"));
  if (bearer !== null) {
    const key = app === "admin" ? await validateApiKey(db, bearer) : null;
    return { principal: key ?? { type: "anonymous" }, setCookie: null };
  }
  if (!token) return { principal: { type: "anonymous" }, setCookie: null };
  const kind = app === "admin" ? "STAFF" : "CUSTOMER";
  const validated =
    kind === "STAFF"
      ? await validateStaffSession(db, token, new Date(), env.STAFF_SESSION_MAX_DAYS)
      : await validateCustomerSession(db, token, new Date(), env.CUSTOMER_SESSION_MAX_DAYS);
  if (!validated) return { principal: { type: "anonymous" }, setCookie: null };
  return {
    // Staff who owe two-factor setup become a principal of their own (two-factor-gate.ts).
    principal:
      validated.principal.type === "staff"
        ? gateTwoFactor(validated.principal)
        : validated.principal,
    setCookie: validated.refreshed
      ? serializeSessionCookie(kind, token, cookieSettings(env))
      : null,
  };
}

/** Resolutions in flight or done, per request object and credentials (see `requestKey`). */
const resolvedPerRequest = new WeakMap<object, Map<string, Promise<Resolved>>>();

/**
 * The request's principal, validated once per request: loaders of one GET page share it (the
 * session row is read once, not once per loader). Keyed by the exact credentials too, so nothing
 * is shared between different cookies or keys. Requests that may change the session (actions,
 * any non-GET) never share: they always validate afresh.
 */
function resolvePrincipalOnce(input: Omit<CreateContextInput, "resHeaders">): Promise<Resolved> {
  const kind = input.app === "admin" ? "STAFF" : "CUSTOMER";
  const token = readSessionCookie(
    input.request.headers.get("cookie"),
    kind,
    cookieSettings(input.env),
  );
  const method = input.request.method;
  if (!input.requestKey || (method !== "GET" && method !== "HEAD")) {
    return resolvePrincipal(input, token);
  }
  const credentials = `${input.app}\n${input.request.headers.get("authorization") ?? ""}\n${token ?? ""}`;
  let byCredentials = resolvedPerRequest.get(input.requestKey);
  if (!byCredentials) {
    byCredentials = new Map();
    resolvedPerRequest.set(input.requestKey, byCredentials);
  }
  let resolved = byCredentials.get(credentials);
  if (!resolved) {
    resolved = resolvePrincipal(input, token);
    byCredentials.set(credentials, resolved);
  }
  return resolved;
}

export async function createContext(input: CreateContextInput): Promise<Context> {
  const { principal, setCookie } = await resolvePrincipalOnce(input);
  if (setCookie) input.resHeaders.append("Set-Cookie", setCookie);
  const meta: RequestMeta = {
    ip: input.ip ?? null,
    userAgent: input.request.headers.get("user-agent"),
    requestId: input.requestId ?? null,
  };
  return {
    db: input.db,
    env: input.env,
    app: input.app,
    principal,
    meta,
    deps: { db: input.db, meta, config: input.env },
    resHeaders: input.resHeaders,
    ...(input.log ? { log: input.log } : {}),
  };
}

/** What the app server puts in every Remix load context (see packages/server/src/app-server.ts). */
export type RequestScope = Pick<CreateContextInput, "db" | "env" | "app"> & {
  ip: string | null;
  requestId: string;
  log?: Logger;
};

/** The context input for one request, from the Remix load context the app server built. */
export function contextInput(
  request: Request,
  scope: RequestScope,
): Omit<CreateContextInput, "resHeaders"> {
  const { db, env, app, ip, requestId, log } = scope;
  return { db, env, app, request, ip, requestId, ...(log ? { log } : {}), requestKey: scope };
}
