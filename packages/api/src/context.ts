import {
  type ApiKeyPrincipal,
  type CustomerPrincipal,
  readCookie,
  type StaffPrincipal,
  serializeSessionCookie,
  sessionCookieName,
  validateApiKey,
  validateCustomerSession,
  validateStaffSession,
} from "@xplorium/auth";
import type { RequestMeta } from "@xplorium/core";
import type { Database } from "@xplorium/db";
import type { Env } from "@xplorium/db/env";
import type { Logger } from "@xplorium/db/logger";

/** Which app a request came through; each reads only its own kind of session. */
export type AppName = "admin" | "portal";

export type Principal =
  | StaffPrincipal
  | CustomerPrincipal
  | ApiKeyPrincipal
  | { type: "anonymous" };

export interface Context {
  db: Database;
  env: Env;
  app: AppName;
  principal: Principal;
  meta: RequestMeta;
  /** Headers the response must carry (Set-Cookie from sign-in, sign-out, session refresh). */
  resHeaders: Headers;
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
}

export function cookieSettings(env: Env) {
  return { secure: env.production };
}

async function resolvePrincipal(input: CreateContextInput): Promise<Principal> {
  const { db, env, app, request, resHeaders } = input;
  const auth = request.headers.get("authorization");
  if (app === "admin" && auth?.startsWith("Bearer ")) {
    return (await validateApiKey(db, auth.slice(7).trim())) ?? { type: "anonymous" };
  }
  const kind = app === "admin" ? "STAFF" : "CUSTOMER";
  const token = readCookie(
    request.headers.get("cookie"),
    sessionCookieName(kind, cookieSettings(env)),
  );
  if (!token) return { type: "anonymous" };
  const validated =
    kind === "STAFF"
      ? await validateStaffSession(db, token)
      : await validateCustomerSession(db, token);
  if (!validated) return { type: "anonymous" };
  if (validated.refreshed) {
    resHeaders.append("Set-Cookie", serializeSessionCookie(kind, token, cookieSettings(env)));
  }
  return validated.principal;
}

export async function createContext(input: CreateContextInput): Promise<Context> {
  return {
    db: input.db,
    env: input.env,
    app: input.app,
    principal: await resolvePrincipal(input),
    meta: {
      ip: input.ip ?? null,
      userAgent: input.request.headers.get("user-agent"),
      requestId: input.requestId ?? null,
    },
    resHeaders: input.resHeaders,
  };
}

/** What the app server puts in every Remix load context (see server/app-server.ts). */
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
  return { db, env, app, request, ip, requestId, ...(log ? { log } : {}) };
}
