import { EventEmitter } from "node:events";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AppName } from "@xplorium/api";
import { generateApiKey, hashPassword } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { createDb, ensureDatabaseExists } from "@xplorium/db";
import {
  createTestDatabase,
  insertStaff,
  type TestDatabase,
  testClusterUrl,
} from "@xplorium/db/testing";
import { memoryLogger } from "@xplorium/logger";
import { createAppServer, type ServedApp, serveApp } from "@xplorium/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestRoute, testServerBuild } from "../../../tests/support/remix-route-server";

/** The app modules the suite serves: each app's test file passes its own. */
export interface AppModules {
  entry: Record<string, unknown>;
  root: Record<string, unknown>;
  signIn: Record<string, unknown>;
  trpc: Record<string, unknown>;
}

/**
 * The app server both apps run (createAppServer + serveApp, as startAppServer wires them), over
 * real HTTP with the real root, entry and a few real routes of each app, in production and in
 * development mode: security headers and the CSP nonce on every inline script, the same-origin
 * check, request ids in headers and logs, errors without internals, rate limits as 429 with
 * Retry-After on the forms, /healthz and /readyz, and graceful shutdown.
 */

const ORIGIN: Record<AppName, string> = {
  admin: "https://admin.xplorium.example",
  portal: "https://portal.xplorium.example",
};

let gateOpen: () => void = () => {};
let slowStarted: () => void = () => {};
const testRoutes = {
  boom: {
    loader: () => {
      throw new Error("password=hunter2 leaked from /srv/app/secret.ts:12:3");
    },
    default: () => null,
  },
  slow: {
    loader: async () => {
      slowStarted();
      await new Promise<void>((resolve) => {
        gateOpen = resolve;
      });
      return { done: true };
    },
    default: () => null,
  },
};

function routesOf(m: AppModules): TestRoute[] {
  return [
    { id: "root", path: "", module: m.root },
    { id: "routes/sign-in", parentId: "root", path: "sign-in", module: m.signIn },
    { id: "routes/api.trpc.$", parentId: "root", path: "api/trpc/*", module: m.trpc },
    { id: "routes/boom", parentId: "root", path: "boom", module: testRoutes.boom },
    { id: "routes/slow", parentId: "root", path: "slow", module: testRoutes.slow },
  ];
}

interface Running {
  url: URL;
  env: Env;
  served: ServedApp;
  logs: ReturnType<typeof memoryLogger>;
  signals: EventEmitter;
  exits: number[];
  closed: string[];
  lifecycle: { draining: boolean };
}

let t: TestDatabase;
const running: Running[] = [];

let modules: AppModules;

async function start(
  app: AppName,
  mode: "production" | "development",
  opts: { databaseUrl?: string; drainTimeoutMs?: number } = {},
): Promise<Running> {
  const env = loadEnv({
    NODE_ENV: mode,
    // Production refuses to start without RESEND_API_KEY unless the outbox is chosen.
    EMAIL_TRANSPORT: "outbox",
    DATABASE_URL: opts.databaseUrl ?? t.url,
    SESSION_SECRET: "app-server-test-secret-0123456789abcdefghij",
    ADMIN_URL: ORIGIN.admin,
    PORTAL_URL: ORIGIN.portal,
  });
  const handle = opts.databaseUrl ? createDb(opts.databaseUrl, { max: 2 }) : t;
  const logs = memoryLogger();
  const log = logs.logger.child({ app });
  const { server, lifecycle } = createAppServer({
    app,
    env,
    db: handle.db,
    log,
    appOrigin: ORIGIN[app],
    build: testServerBuild({ entry: modules.entry, routes: routesOf(modules) }) as never,
  });
  const signals = new EventEmitter();
  const exits: number[] = [];
  const closed: string[] = [];
  const served = await serveApp(server, {
    port: 0,
    host: "127.0.0.1",
    log,
    lifecycle,
    signals,
    exit: (code) => exits.push(code),
    drainTimeoutMs: opts.drainTimeoutMs ?? 5_000,
    closers: [
      async () => {
        closed.push("database");
        if (opts.databaseUrl) await handle.close();
      },
    ],
  });
  const r = {
    url: new URL(`http://127.0.0.1:${served.port}`),
    env,
    served,
    logs,
    signals,
    exits,
    closed,
    lifecycle,
  };
  running.push(r);
  return r;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** node:http, so Host can be the app's public name (Remix checks an action's Origin against it). */
function send(
  r: Running,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; host?: string } = {},
): Promise<RawResponse> {
  const body = opts.body ?? "";
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: r.url.hostname,
        port: r.url.port,
        method,
        path,
        agent: false,
        headers: {
          host: opts.host ?? r.url.host,
          ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString("utf8");
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A form post from the app's own page, as a browser sends it. */
function postForm(
  r: Running,
  app: AppName,
  path: string,
  form: Record<string, string>,
  ip: string,
) {
  return send(r, "POST", path, {
    host: new URL(ORIGIN[app]).host,
    body: new URLSearchParams(form).toString(),
    headers: {
      origin: ORIGIN[app],
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-for": ip,
    },
  });
}

/**
 * Defines the suite for one app; its test file passes the app's real entry, root, sign-in and
 * tRPC route modules.
 */
export function appServerSuite(app: AppName, appModules: AppModules) {
  modules = appModules;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const r of running) await r.served.shutdown("test over");
    await t.drop();
  });

  describe(`${app} in production`, () => {
    let r: Running;
    beforeAll(async () => {
      r = await start(app, "production");
    });

    it("sends a CSP whose fresh per-request nonce is on every script, and the hardening headers", async () => {
      const res = await send(r, "GET", "/sign-in");
      expect(res.status).toBe(200);
      const csp = String(res.headers["content-security-policy"]);
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
      for (const directive of [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
      expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
      expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(res.headers["x-powered-by"]).toBeUndefined();
      expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

      // Remix's context and route-module scripts and its single-fetch stream all carry it.
      const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThanOrEqual(2);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

      const again = await send(r, "GET", "/sign-in");
      expect(again.headers["content-security-policy"]).not.toBe(csp);
      expect(again.headers["x-request-id"]).not.toBe(res.headers["x-request-id"]);
    });

    it("shows no stack or message of an unexpected error, and logs it with the request id", async () => {
      for (const path of ["/boom", "/boom.data"]) {
        const res = await send(r, "GET", path);
        expect(res.status, path).toBe(500);
        expect(res.body).not.toMatch(/hunter2|secret\.ts|\bat .+:\d+:\d+/);
        const requestId = res.headers["x-request-id"];
        const line = r.logs.lines.find((l) => l.requestId === requestId && l.level === "error");
        expect(line, path).toMatchObject({
          app,
          msg: "request error",
          err: { type: "Error", message: expect.stringContaining("hunter2") },
        });
        expect((line?.err as { stack?: string } | undefined)?.stack).toMatch(
          /app-server-suite\.ts:\d+/,
        );
      }
      const page = await send(r, "GET", "/boom");
      expect(page.body).toContain("Sorry, that did not work.");
    });

    it("logs one JSON line per request, without query strings or link tokens, and no error for a 404", async () => {
      const res = await send(r, "GET", "/no-such-page?token=topsecret");
      expect(res.status).toBe(404);
      const lines = r.logs.lines.filter((l) => l.requestId === res.headers["x-request-id"]);
      expect(lines).toEqual([
        expect.objectContaining({
          level: "info",
          msg: "request",
          app,
          method: "GET",
          path: "/no-such-page",
          status: 404,
          durationMs: expect.any(Number),
        }),
      ]);
      expect(JSON.stringify(r.logs.lines)).not.toContain("topsecret");
    });

    it("refuses cross-site and unlabelled writes on pages and on /api/trpc", async () => {
      const form = "email=someone%40example.com&password=whatever-it-is";
      const attempts: [string, Record<string, string>][] = [
        ["/sign-in", { origin: "https://evil.example" }],
        ["/sign-in", { "sec-fetch-site": "cross-site" }],
        ["/sign-in", { "sec-fetch-site": "same-site" }],
        ["/sign-in", {}],
        ["/api/trpc/auth.signOut", { origin: "https://evil.example" }],
        ["/api/trpc/auth.signOut", {}],
        // The name it was reached by does not count in production (DNS rebinding).
        ["/sign-in", { origin: r.url.origin }],
      ];
      for (const [path, headers] of attempts) {
        const res = await send(r, "POST", path, {
          body: form,
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.headers["set-cookie"]).toBeUndefined();
      }
      // An API client's header-less request: only the admin takes API keys, and only a
      // well-formed one lifts the check (the procedure then finds this one unknown).
      const keyed = await send(r, "POST", "/api/trpc/auth.signOut", {
        body: "{}",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${generateApiKey().key}`,
        },
      });
      expect(keyed.status).toBe(app === "admin" ? 401 : 403);
      const malformed = await send(r, "POST", "/api/trpc/auth.signOut", {
        body: "{}",
        headers: { "content-type": "application/json", authorization: "Bearer xp_nope" },
      });
      expect(malformed.status).toBe(403);
      // The app's own origin passes (and reaches the procedure).
      const own = await send(r, "POST", "/api/trpc/auth.signOut", {
        host: new URL(ORIGIN[app]).host,
        body: "{}",
        headers: { "content-type": "application/json", origin: ORIGIN[app] },
      });
      expect(own.status).toBe(401);
      const fetchSite = await send(r, "POST", "/api/trpc/auth.signOut", {
        host: new URL(ORIGIN[app]).host,
        body: "{}",
        headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      });
      expect(fetchSite.status).toBe(401);
    });

    it.runIf(app === "admin")(
      "signs in with a __Host-, Secure, HttpOnly, SameSite=Lax cookie in production",
      async () => {
        const email = `cookie-${Date.now()}@example.com`;
        await insertStaff(t.db, {
          email,
          passwordHash: await hashPassword("cookie-test-passphrase"),
        });
        const res = await postForm(
          r,
          app,
          "/sign-in",
          { email, password: "cookie-test-passphrase" },
          "10.45.0.1",
        );
        expect(res.status).toBe(302);
        const [cookie] = res.headers["set-cookie"] ?? [];
        expect(cookie).toMatch(
          /^__Host-xp_staff_session=[a-z2-9]{24}\.[a-z2-9]{24}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/,
        );
      },
    );

    it("answers /healthz and /readyz", async () => {
      const health = await send(r, "GET", "/healthz");
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: "ok" });
      expect(health.headers["cache-control"]).toBe("no-store");
      const ready = await send(r, "GET", "/readyz");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({
        status: "ready",
        checks: { database: "ok", migrations: "ok" },
      });
    });
  });

  describe("the rate-limited sign-in form answers 429 with Retry-After", () => {
    it(
      app === "admin"
        ? "admin sign-in: a try too soon after five wrong passwords for one email"
        : "portal code request: the 6th request for one email",
      async () => {
        const r = await start(app, "production");
        const email = `limited-${Date.now()}@example.com`;
        const form = (i: number): Record<string, string> =>
          app === "admin"
            ? { email, password: `wrong-${i}-attempt` }
            : { intent: "request", email };
        const limit = 5;
        for (let i = 0; i < limit; i++) {
          const res = await postForm(r, app, "/sign-in", form(i), "10.44.0.1");
          expect(res.status).toBe(app === "admin" ? 401 : 200);
        }
        let res = await postForm(r, app, "/sign-in", form(limit), "10.44.0.1");
        // Admin: five wrong passwords are free, then each try waits 1 s after the last, then
        // 2, 4… (STAFF_SIGN_IN_DELAY). A slow machine may take that first second to answer the
        // fifth; by the 4 s wait, a try straight after the last one is refused.
        for (let i = limit + 1; app === "admin" && res.status === 401 && i < limit + 3; i++) {
          res = await postForm(r, app, "/sign-in", form(i), "10.44.0.1");
        }
        expect(res.status).toBe(429);
        const retryAfter = Number(res.headers["retry-after"]);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(res.body).toMatch(/Too many attempts/);
      },
    );
  });

  describe(`${app} in development`, () => {
    it("relaxes only script-src for Vite (no nonce, no HSTS), keeps the rest, and accepts its own host", async () => {
      const r = await start(app, "development");
      const res = await send(r, "GET", "/sign-in");
      expect(res.status).toBe(200);
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self' 'unsafe-inline' 'unsafe-eval'");
      expect(csp).toContain("connect-src 'self' ws: wss:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("nonce-");
      expect(res.headers["strict-transport-security"]).toBeUndefined();
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      // Reached as 127.0.0.1 while configured as another name: the host's origin counts here.
      const own = await send(r, "POST", "/api/trpc/auth.signOut", {
        body: "{}",
        headers: { "content-type": "application/json", origin: r.url.origin },
      });
      expect(own.status).toBe(401);
    });
  });

  describe.each(["production", "development"] as const)(
    `${app} in %s: a path whose percent-encoding does not decode`,
    (mode) => {
      // Express cannot decode these paths (URIError): a plain 400, never the 500 of an error.
      const paths = [
        "/unsubscribe/%E0%A4",
        "/consent/confirm/%E0%A4",
        "/reset-password/%E0%A4",
        "/customers/%E0%A4",
        "/x%ZZ",
        "/%",
        "/%E0%A4",
        "/sign-in/%C0%AF",
        "/sign-in%ED%A0%80",
        "/boom/%FF",
        "/_root.data%E0",
        "/sign-in.data/%E0%A4",
        "/api/trpc/auth.me%E0%A4",
        "/api/trpc/%ZZ",
        "/healthz/%E0",
        "/assets/%E0%A4.js",
        "/%25%E0%A4?next=%E0%A4",
      ];
      let r: Running;
      beforeAll(async () => {
        r = await start(app, mode);
      });

      it("answers 400 with a plain message, for GET and POST alike", async () => {
        for (const path of paths) {
          for (const method of ["GET", "POST"]) {
            const res = await send(r, method, path, {
              host: new URL(ORIGIN[app]).host,
              headers: { origin: ORIGIN[app], "content-type": "application/json" },
              body: method === "POST" ? "{}" : "",
            });
            expect(res.status, `${method} ${path}`).toBe(400);
            expect(res.body, `${method} ${path}`).toBe(
              "Bad request: the address is not valid (broken percent-encoding).",
            );
            expect(res.headers["content-type"]).toMatch(/^text\/plain/);
          }
        }
        expect(r.logs.lines.filter((l) => l.level === "error")).toEqual([]);
      });

      it("never answers 5xx to a fuzzed path", async () => {
        const piece = fc.oneof(
          fc.constantFrom(
            "%E0",
            "%A4",
            "%",
            "%2",
            "%ZZ",
            "%00",
            "%25",
            "%C0%AF",
            "%FF",
            "%ED%A0%80",
          ),
          fc.constantFrom(
            "a",
            "/",
            ".",
            "..",
            "customers",
            "sign-in",
            "api",
            "trpc",
            ".data",
            "?x=",
          ),
        );
        await fc.assert(
          fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), async (parts) => {
            const path = `/${parts.join("")}`;
            const res = await send(r, "GET", path, { host: new URL(ORIGIN[app]).host });
            if (res.status >= 500) throw new Error(`GET ${path} answered ${res.status}`);
          }),
          { seed: 20261215, numRuns: 60 },
        );
      }, 120_000);
    },
  );

  describe("readiness", () => {
    it("is 503 on a database without the migrations, and on one that does not answer; /healthz stays 200", async () => {
      const name = `unmigrated_${Date.now()}`;
      await ensureDatabaseExists(testClusterUrl(), name);
      const bare = new URL(testClusterUrl());
      bare.pathname = `/${name}`;
      const unmigrated = await start(app, "production", { databaseUrl: bare.toString() });
      const a = await send(unmigrated, "GET", "/readyz");
      expect(a.status).toBe(503);
      expect(JSON.parse(a.body)).toEqual({
        status: "not ready",
        checks: { database: "ok", migrations: "pending" },
      });
      expect((await send(unmigrated, "GET", "/healthz")).status).toBe(200);

      const nowhere = await start(app, "production", {
        databaseUrl: "postgres://postgres:postgres@127.0.0.1:1/nothing",
      });
      const b = await send(nowhere, "GET", "/readyz");
      expect(b.status).toBe(503);
      expect(JSON.parse(b.body)).toEqual({
        status: "not ready",
        checks: { database: "unreachable", migrations: "unknown" },
      });
      expect(b.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      expect(nowhere.logs.lines.some((l) => l.msg === "readiness check failed")).toBe(true);
      expect((await send(nowhere, "GET", "/healthz")).status).toBe(200);
    });
  });

  describe("graceful shutdown", () => {
    it("on SIGTERM: not ready, no new connections, the in-flight request finishes, then the pool closes and it exits 0", async () => {
      const r = await start(app, "production");
      const started = new Promise<void>((resolve) => {
        slowStarted = resolve;
      });
      const slow = send(r, "GET", "/slow.data");
      await started;

      r.signals.emit("SIGTERM");
      expect(r.lifecycle.draining).toBe(true);
      // The listener is closed: a new connection is refused.
      await expect(send(r, "GET", "/healthz")).rejects.toThrow(/ECONNREFUSED/);
      expect(r.exits).toEqual([]);
      expect(r.closed).toEqual([]);

      gateOpen();
      const res = await slow;
      expect(res.status).toBe(200);
      expect(res.body).toContain("done");
      await r.served.shutdown();
      expect(r.closed).toEqual(["database"]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(r.exits).toEqual([0]);
      const msgs = r.logs.lines.map((l) => l.msg);
      expect(msgs).toContain("shutting down: draining in-flight requests");
      expect(msgs.indexOf("stopped")).toBeGreaterThan(
        msgs.indexOf("shutting down: draining in-flight requests"),
      );
    });

    it("cuts requests still running after the drain timeout, and still closes and exits", async () => {
      const r = await start(app, "production", { drainTimeoutMs: 300 });
      const started = new Promise<void>((resolve) => {
        slowStarted = resolve;
      });
      const slow = send(r, "GET", "/slow.data").catch((e: Error) => e);
      await started;
      r.signals.emit("SIGTERM");
      const cut = await slow;
      expect(cut).toBeInstanceOf(Error);
      await r.served.shutdown();
      expect(r.closed).toEqual(["database"]);
      expect(
        r.logs.lines.some((l) => l.msg === "drain timed out: closing the remaining connections"),
      ).toBe(true);
      gateOpen();
    });
  });
}
