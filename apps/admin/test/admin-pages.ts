import { randomUUID } from "node:crypto";
import { createSession, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { createTestDatabase, insertStaff, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll } from "vitest";
import {
  type RouteServer,
  startRouteServer,
  type TestRoute,
} from "../../../tests/support/remix-route-server";
import * as entry from "../app/entry.server";
import * as root from "../app/root";
import * as appLayout from "../app/routes/_app";

/**
 * Some of the admin's pages over real HTTP (Remix + tRPC in-process + a fresh PostgreSQL): the
 * root and the signed-in layout, plus the routes a test file asks for (`page(...)`), with a
 * signed-in cookie per role and form posts the way a browser sends them.
 */
export interface AdminPages {
  t: TestDatabase;
  env: Env;
  server: RouteServer;
  /** A new staff member of the role (and name, when given), signed in: the `Cookie:` value. */
  cookieFor: (role: StaffRole, opts?: { name?: string }) => Promise<string>;
  get: (path: string, cookie: string) => Promise<Response>;
  post: (path: string, cookie: string, fields: Record<string, string>) => Promise<Response>;
  close: () => Promise<void>;
}

/** A route inside the signed-in layout (`_app`), by its file name without `routes/`. */
export function page(
  file: string,
  path: string,
  module: TestRoute["module"],
  opts: { index?: boolean } = {},
): TestRoute {
  return {
    id: `routes/${file}`,
    parentId: "routes/_app",
    path,
    module,
    ...(opts.index ? { index: true } : {}),
  };
}

/** A route outside the signed-in layout (sign-in, resource routes), by its file name. */
export function rootPage(file: string, path: string, module: TestRoute["module"]): TestRoute {
  return { id: `routes/${file}`, parentId: "root", path, module };
}

/**
 * startAdminPages for a whole test file: started before its tests, closed after them. `t`, `env`
 * and `server` are set once it has started (in the tests and in any later beforeAll);
 * `cookieFor`, `get` and `post` can be taken off it at the top of the file.
 */
export function useAdminPages(opts: Parameters<typeof startAdminPages>[0]): AdminPages {
  let started: AdminPages | undefined;
  const pages = {
    cookieFor: (role, more) => started!.cookieFor(role, more),
    get: (path, cookie) => started!.get(path, cookie),
    post: (path, cookie, fields) => started!.post(path, cookie, fields),
    close: async () => {
      await started?.close();
    },
  } as AdminPages;
  beforeAll(async () => {
    started = await startAdminPages(opts);
    Object.assign(pages, { t: started.t, env: started.env, server: started.server });
  });
  afterAll(() => pages.close());
  return pages;
}

export async function startAdminPages(opts: {
  routes: TestRoute[];
  env?: Record<string, string>;
  /** The client address of each request (default: the socket's), e.g. a new one per request. */
  clientIp?: () => string;
}): Promise<AdminPages> {
  const t = await createTestDatabase();
  const env = loadEnv({ NODE_ENV: "test", DATABASE_URL: t.url, ...opts.env });
  const server = await startRouteServer({
    appPackageJson: new URL("../package.json", import.meta.url),
    entry,
    routes: [
      { id: "root", path: "", module: root },
      { id: "routes/_app", parentId: "root", module: appLayout },
      ...opts.routes,
    ],
    loadContext: (ip) => ({
      db: t.db,
      env,
      app: "admin",
      nonce: "",
      requestId: randomUUID(),
      ip: opts.clientIp?.() ?? ip,
    }),
  });
  return {
    t,
    env,
    server,
    async cookieFor(role, { name } = {}) {
      const staff = await insertStaff(t.db, { role, ...(name ? { name } : {}) });
      const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: staff.id });
      return `${sessionCookieName("STAFF", { secure: false })}=${token}`;
    },
    get: (path, cookie) =>
      fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" }),
    post: (path, cookie, fields) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
        redirect: "manual",
      }),
    async close() {
      await server.close();
      await t.drop();
    },
  };
}
