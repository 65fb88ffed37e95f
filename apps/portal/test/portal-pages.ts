import { randomUUID } from "node:crypto";
import { createSession, sessionCookieName } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import type { Database } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll } from "vitest";
import {
  type RouteServer,
  startRouteServer,
  type TestRoute,
} from "../../../tests/support/remix-route-server";
import * as entry from "../app/entry.server";
import * as root from "../app/root";
import * as accountLayout from "../app/routes/_account";

/**
 * Some of the portal's pages over real HTTP (Remix + tRPC in-process + a fresh PostgreSQL): the
 * root and the signed-in layout, plus the routes a test file asks for, with a signed-in cookie
 * per customer and form posts the way a browser without JavaScript sends them. PORTAL_URL is
 * the test server's own address, so the links the portal makes (share links, emails) open it.
 */
export interface PortalPages {
  t: TestDatabase;
  env: Env;
  server: RouteServer;
  /** The server's address (PORTAL_URL). */
  url: string;
  /** A session for the customer: the `Cookie:` value. */
  cookieFor: (customerId: string) => Promise<string>;
  get: (path: string, cookie?: string) => Promise<Response>;
  post: (path: string, fields: Record<string, string>, cookie?: string) => Promise<Response>;
  close: () => Promise<void>;
}

/** A route inside the signed-in layout (`_account`), by its file name without `routes/`. */
export function accountPage(
  file: string,
  path: string | null,
  module: TestRoute["module"],
): TestRoute {
  return {
    id: `routes/${file}`,
    parentId: "routes/_account",
    module,
    // The home page is the layout's index route.
    ...(path === null ? { index: true } : { path }),
  };
}

/** A route outside the signed-in layout (sign-in, links from emails, resource routes). */
export function rootPage(file: string, path: string, module: TestRoute["module"]): TestRoute {
  return { id: `routes/${file}`, parentId: "root", path, module };
}

/**
 * startPortalPages for a whole test file: started before its tests, closed after them. `t`,
 * `env`, `server` and `url` are set once it has started (in the tests and in any later
 * beforeAll); `cookieFor`, `get` and `post` can be taken off it at the top of the file.
 */
export function usePortalPages(opts: Parameters<typeof startPortalPages>[0]): PortalPages {
  let started: PortalPages | undefined;
  const pages = {
    cookieFor: (customerId) => started!.cookieFor(customerId),
    get: (path, cookie) => started!.get(path, cookie),
    post: (path, fields, cookie) => started!.post(path, fields, cookie),
    close: async () => {
      await started?.close();
    },
  } as PortalPages;
  beforeAll(async () => {
    started = await startPortalPages(opts);
    const { t, env, server, url } = started;
    Object.assign(pages, { t, env, server, url });
  });
  afterAll(() => pages.close());
  return pages;
}

export async function startPortalPages(opts: {
  routes: TestRoute[];
  /** The connection the app uses, when a test watches it (default: the test database's). */
  db?: (t: TestDatabase) => Database;
  /** The client address of each request (default: the socket's), e.g. a new one per request. */
  clientIp?: () => string;
  /** Serve through the portal's real edge (same-origin check, trust proxy) with this origin. */
  edgeOrigin?: string;
}): Promise<PortalPages> {
  const t = await createTestDatabase();
  const db = opts.db?.(t) ?? t.db;
  let env: Env | undefined;
  const server = await startRouteServer({
    appPackageJson: new URL("../package.json", import.meta.url),
    entry,
    routes: [
      { id: "root", path: "", module: root },
      { id: "routes/_account", parentId: "root", module: accountLayout },
      ...opts.routes,
    ],
    loadContext: (ip) => ({
      db,
      env,
      app: "portal",
      nonce: "",
      requestId: randomUUID(),
      ip: opts.clientIp?.() ?? ip,
    }),
    ...(opts.edgeOrigin ? { edge: { app: "portal" as const, appOrigin: opts.edgeOrigin } } : {}),
  });
  env = loadEnv({ NODE_ENV: "test", DATABASE_URL: t.url, PORTAL_URL: server.url });
  const url = server.url;
  return {
    t,
    env,
    server,
    url,
    async cookieFor(customerId) {
      const { token } = await createSession(t.db, { kind: "CUSTOMER", customerId });
      return `${sessionCookieName("CUSTOMER", { secure: false })}=${token}`;
    },
    get: (path, cookie) =>
      fetch(`${url}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" }),
    post: (path, fields, cookie) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(cookie ? { cookie } : {}),
        },
        body: new URLSearchParams(fields).toString(),
        redirect: "manual",
      }),
    async close() {
      await server.close();
      await t.drop();
    },
  };
}

/** The value of a form field in server-rendered HTML. */
export function fieldValue(html: string, name: string): string | null {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return input ? (/value="([^"]*)"/.exec(input)?.[1] ?? null) : null;
}
