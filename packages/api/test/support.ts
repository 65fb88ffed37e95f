import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AppName, createCaller, createContext, handleTrpcRequest } from "@xplorium/api";
import {
  CROSS_SITE_REFUSED,
  createSession,
  generateApiKey,
  hashPassword,
  SAME_ORIGIN_EXEMPTIONS,
  type StaffRole,
  sameOriginVerdict,
  sessionCookieName,
} from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { type Database, schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff as insertStaffRow,
  type TestDatabase,
  unique,
} from "@xplorium/db/testing";
import type { Logger } from "@xplorium/logger";
import express from "express";
import { afterAll, beforeAll } from "vitest";
import { appOrigin, trpcHttp } from "./trpc-http";

export { insertCustomer, unique };

export function testEnv(url: string, extra: Record<string, string> = {}): Env {
  return loadEnv({ NODE_ENV: "test", DATABASE_URL: url, ...extra });
}

/** A staff row with a real argon2 hash when a password is given (sign-in tests). */
export async function insertStaff(
  db: Database,
  opts: { role?: StaffRole; password?: string; email?: string; disabled?: boolean } = {},
) {
  const { password, ...rest } = opts;
  return insertStaffRow(db, {
    ...rest,
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
  });
}

/** `Cookie:` header value carrying a freshly created real session for the subject. */
export async function staffCookie(
  db: Database,
  staffUserId: string,
): Promise<{ token: string; cookie: string }> {
  const { token } = await createSession(db, { kind: "STAFF", staffUserId });
  return { token, cookie: `${sessionCookieName("STAFF", { secure: false })}=${token}` };
}

export async function customerCookie(
  db: Database,
  customerId: string,
): Promise<{ token: string; cookie: string }> {
  const { token } = await createSession(db, { kind: "CUSTOMER", customerId });
  return { token, cookie: `${sessionCookieName("CUSTOMER", { secure: false })}=${token}` };
}

/**
 * A real HTTP server in front of the tRPC fetch handler at /api/trpc, as the apps mount it;
 * with `edge`, behind the app server's same-origin check too (packages/server). The `x-test-ip` header picks the
 * client IP, so rate limits of one test do not touch another.
 */
export async function startTrpcServer(
  db: Database,
  env: Env,
  app: AppName,
  opts: { edge?: boolean; log?: Logger } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = express();
  server.use(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (Array.isArray(v)) for (const item of v) headers.append(k, item);
        else if (v !== undefined) headers.set(k, v);
      }
      const method = req.method;
      // With `edge`, the app server's same-origin check first (its guard's verdict and answer).
      const edgeOrigin = new URL(app === "admin" ? env.ADMIN_URL : env.PORTAL_URL).origin;
      if (
        opts.edge &&
        sameOriginVerdict(
          { method, path: req.path, headers },
          edgeOrigin,
          SAME_ORIGIN_EXEMPTIONS[app],
          {
            allowApiKey: app === "admin",
          },
        ) === "refused"
      ) {
        res.status(403).type("text/plain").send(CROSS_SITE_REFUSED);
        return;
      }
      const request = new Request(`http://${req.headers.host}${req.originalUrl}`, {
        method,
        headers,
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      const ip =
        (req.headers["x-test-ip"] as string | undefined) ?? req.socket.remoteAddress ?? null;
      const requestId = randomUUID();
      const response = await handleTrpcRequest({
        db,
        env,
        app,
        request,
        ip,
        requestId,
        ...(opts.log ? { log: opts.log.child({ requestId }) } : {}),
      });
      const out: Record<string, string | string[]> = { "x-request-id": requestId };
      response.headers.forEach((value, key) => {
        if (key !== "set-cookie") out[key] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out["set-cookie"] = cookies;
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (e) {
      res.writeHead(599).end(String(e));
    }
  });
  const listener = await new Promise<Server>((resolve) => {
    const l = server.listen(0, "127.0.0.1", () => resolve(l));
  });
  return {
    url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
  };
}

export type TrpcServer = Awaited<ReturnType<typeof startTrpcServer>>;

export interface TrpcServers {
  t: TestDatabase;
  env: Env;
  portal: TrpcServer;
  admin: TrpcServer;
}

/**
 * A fresh database and the apps' tRPC servers (both, behind the edge's same-origin check, unless
 * told otherwise; `env` adds to the test environment), started before the file's tests and
 * closed after them. The handles stay the same objects (filled in when they start), so a file
 * can take them apart at the top: `const { t, env, admin } = useTrpcServers()`.
 */
export function useTrpcServers(
  opts: { apps?: AppName[]; edge?: boolean; env?: Record<string, string> } = {},
): TrpcServers {
  const { apps = ["portal", "admin"], edge = true } = opts;
  const servers = { t: {}, env: {}, portal: {}, admin: {} } as TrpcServers;
  const started: TrpcServer[] = [];
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    Object.assign(servers.t, t);
    Object.assign(servers.env, testEnv(t.url, opts.env));
    for (const app of apps) {
      const server = await startTrpcServer(t.db, servers.env, app, edge ? { edge } : {});
      started.push(server);
      Object.assign(servers[app], server);
    }
  });
  afterAll(async () => {
    for (const server of started) await server.close();
    await t?.drop();
  });
  return servers;
}

/** A browser's tRPC call: on that app, with its cookie, the input and the method (POST if none). */
export type BrowserCallArgs = [
  app: "portal" | "admin",
  path: string,
  cookie: string,
  input: unknown,
  method?: "GET" | "POST",
];

/**
 * One tRPC call on useTrpcServers' servers as a browser on that app makes it: its cookie and its
 * Origin (and `headers`, e.g. a client address of its own).
 */
export const browserCall = (
  servers: TrpcServers,
  [app, path, cookie, input, method = "POST"]: BrowserCallArgs,
  headers: Record<string, string> = {},
) =>
  trpcHttp(servers[app].url, path, {
    method,
    input,
    headers: { cookie, origin: appOrigin(servers.env, app), ...headers },
  });

/** The booking site's API key (bookings:write), stored: the key as its caller sends it. */
export async function insertBookingSiteKey(db: Database): Promise<string> {
  const k = generateApiKey();
  await db.insert(schema.apiKeys).values({
    name: "Booking site",
    prefix: k.prefix,
    secretHash: k.secretHash,
    scopes: ["bookings:write"],
  });
  return k.key;
}

/**
 * The router called in-process the way a request to `app` reaches it: with these headers (a
 * session cookie, a user agent) from this client address. `resHeaders` holds what the response
 * would carry (Set-Cookie, Retry-After).
 */
export async function appCaller(
  db: Database,
  env: Env,
  app: AppName,
  opts: { headers?: HeadersInit; ip?: string; requestId?: string } = {},
) {
  const resHeaders = new Headers();
  const origin = app === "admin" ? env.ADMIN_URL : env.PORTAL_URL;
  const ctx = await createContext({
    db,
    env,
    app,
    request: new Request(new URL("/api/trpc", origin), { headers: opts.headers ?? {} }),
    resHeaders,
    ip: opts.ip ?? "127.0.0.1",
    requestId: opts.requestId ?? null,
  });
  return { api: createCaller(ctx), resHeaders };
}

/** The admin's router called as a fresh staff member of the role, through a real session cookie. */
export async function staffCaller(db: Database, env: Env, role: StaffRole, requestId: string) {
  const staff = await insertStaff(db, { role });
  const { cookie } = await staffCookie(db, staff.id);
  const { api } = await appCaller(db, env, "admin", { headers: { cookie }, requestId });
  return { api, staff };
}
