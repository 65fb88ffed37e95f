import { request as httpRequest } from "node:http";
import type { AppName } from "@xplorium/api";
import { createSession, type SessionKind, sessionCookieName } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff,
  type TestDatabase,
} from "@xplorium/db/testing";
import type { ServedApp } from "@xplorium/server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestRoute, testServerBuild } from "../../../tests/support/remix-route-server";
import { serveTestApp } from "./serve-test-app";

/**
 * Issue 14, finding 6: a Cookie header the app cannot read (`xp_staff_session=%E0%A4`, broken
 * percent-encoding, NUL bytes, odd separators, huge or repeated cookies) is no cookie: the
 * visitor is anonymous, and no page or tRPC call ever answers 5xx. Each app's test file passes
 * its real entry, root, sign-in, signed-in layout, home page and tRPC route; they are served by
 * the app server both apps run (createAppServer), in production and in development mode, over
 * real HTTP.
 *
 * The seed is fixed so CI is reproducible; FUZZ_SEED=<n> FUZZ_RUNS=<n> explore further.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261214);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

export interface CookieFuzzModules {
  entry: Record<string, unknown>;
  root: Record<string, unknown>;
  signIn: Record<string, unknown>;
  trpc: Record<string, unknown>;
  /** The signed-in layout (`_app` / `_account`) and its index page. */
  layout: { id: string; module: Record<string, unknown> };
  home: { id: string; module: Record<string, unknown> };
}

const ORIGIN: Record<AppName, string> = {
  admin: "https://admin.xplorium.example",
  portal: "https://portal.xplorium.example",
};

/** Values no cookie decoder should choke on. */
const HOSTILE_VALUES = [
  "%E0%A4",
  "%E0%A4%A",
  "%",
  "%%",
  "%zz",
  "%00",
  "%FF%FE",
  "%C0%AF",
  "%ED%A0%80",
  "abc.%E0%A4",
  "%00abc.def",
  "abc%00.def",
  '"quoted"',
  '"',
  "a=b=c",
  "",
  " ",
  "\t",
  ".",
  "..",
  "a.",
  ".b",
  "a.b.c",
  "x".repeat(65),
  `${"a".repeat(24)}.${"b".repeat(200)}`,
  "\u00ff\u00fe",
  "null",
  "undefined",
  "[object Object]",
  "__proto__",
  "$%7Bjndi:ldap://x}",
  "' or 1=1 --",
];

/** The bytes a client may put in a header value: TAB, printable ASCII and Latin-1. */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
  fc.constant("\t"),
);
const headerText = (maxLength: number) =>
  fc.array(headerChar, { maxLength }).map((chars) => chars.join(""));

/** A Cookie header made of hostile pairs, names that matter among them, in odd layouts. */
function cookieHeader(names: string[], validPair: string) {
  const name = fc.oneof(fc.constantFrom(...names), headerText(12));
  const value = fc.oneof(
    fc.constantFrom(...HOSTILE_VALUES),
    headerText(40),
    fc
      .array(fc.constantFrom("%E0", "%A4", "%", "%2", "%00", "%25", "%3B", ".", "a", "z9"), {
        maxLength: 8,
      })
      .map((parts) => parts.join("")),
  );
  const pair = fc.oneof(
    fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
    headerText(30),
    fc.constantFrom("=", ";", "==", "=;", ";;", validPair),
  );
  const separator = fc.constantFrom("; ", ";", " ; ", ",", "; ;", "");
  return fc
    .tuple(fc.array(pair, { minLength: 1, maxLength: 6 }), separator)
    .map(([pairs, sep]) => pairs.join(sep))
    .filter((header) => header.trim() !== "" && !/^[\t ]|[\t ]$/.test(header));
}

interface Answer {
  status: number;
  body: string;
}

/** node:http, so the Cookie header goes out exactly as written. */
function send(
  url: URL,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: false,
        headers: {
          ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString("utf8");
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export function cookieFuzzSuite(app: AppName, modules: CookieFuzzModules) {
  const kind: SessionKind = app === "admin" ? "STAFF" : "CUSTOMER";
  let t: TestDatabase;
  const served: ServedApp[] = [];
  let validPair = "";

  const routes: TestRoute[] = [
    { id: "root", path: "", module: modules.root },
    { id: "routes/sign-in", parentId: "root", path: "sign-in", module: modules.signIn },
    { id: "routes/api.trpc.$", parentId: "root", path: "api/trpc/*", module: modules.trpc },
    { id: modules.layout.id, parentId: "root", module: modules.layout.module },
    { id: modules.home.id, parentId: modules.layout.id, index: true, module: modules.home.module },
  ];

  async function start(mode: "production" | "development"): Promise<URL> {
    const env: Env = loadEnv({
      NODE_ENV: mode,
      DATABASE_URL: t.url,
      SESSION_SECRET: "cookie-fuzz-test-secret-0123456789abcdefghij",
      ADMIN_URL: ORIGIN.admin,
      PORTAL_URL: ORIGIN.portal,
      EMAIL_TRANSPORT: "outbox",
    });
    const { served: s, url } = await serveTestApp({
      app,
      env,
      db: t.db,
      appOrigin: ORIGIN[app],
      build: testServerBuild({ entry: modules.entry, routes }) as never,
    });
    served.push(s);
    return url;
  }

  /** Every kind of request that reads the session: pages, their data, and tRPC both ways. */
  async function requestsWith(url: URL, cookie: string): Promise<[string, Answer][]> {
    const host = new URL(ORIGIN[app]).host;
    const write = { cookie, host, origin: ORIGIN[app], "content-type": "application/json" };
    return [
      ["GET /sign-in", await send(url, "GET", "/sign-in", { cookie, host })],
      ["GET /", await send(url, "GET", "/", { cookie, host })],
      ["GET /_root.data", await send(url, "GET", "/_root.data", { cookie, host })],
      ["GET auth.me", await send(url, "GET", "/api/trpc/auth.me", { cookie, host })],
      ["POST auth.signOut", await send(url, "POST", "/api/trpc/auth.signOut", write, "{}")],
    ];
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    const subject =
      kind === "STAFF"
        ? { kind, staffUserId: (await insertStaff(t.db, { role: "OWNER" })).id }
        : { kind, customerId: (await insertCustomer(t.db)).id };
    // A real session among the junk: it must still count (signed in), or be ignored, never 5xx.
    const { token } = await createSession(t.db, subject as never);
    validPair = `${sessionCookieName(kind, { secure: true })}=${token}`;
  });
  afterAll(async () => {
    for (const s of served) await s.shutdown("test over");
    await t.drop();
  });

  const names = () => [
    "xp_staff_session",
    "__Host-xp_staff_session",
    "xp_customer_session",
    "__Host-xp_customer_session",
  ];

  describe.each(["production", "development"] as const)(`${app} in %s`, (mode) => {
    let url: URL;
    beforeAll(async () => {
      url = await start(mode);
    });

    it("treats an unreadable session cookie as no cookie", async () => {
      for (const cookie of [
        `${sessionCookieName(kind, { secure: true })}=%E0%A4`,
        `${sessionCookieName(kind, { secure: false })}=%E0%A4`,
        `xp_staff_session=%E0%A4; xp_customer_session=%E0%A4; __Host-xp_staff_session=%E0%A4; __Host-xp_customer_session=%E0%A4`,
        `${sessionCookieName(kind, { secure: true })}=abc.%00def`,
        `${sessionCookieName(kind, { secure: true })}=%00abc.def`,
      ]) {
        const answers = await requestsWith(url, cookie);
        for (const [what, res] of answers) {
          expect(res.status, `${what} with ${cookie}`).toBeLessThan(500);
        }
        const [, signInPage] = answers[0]!;
        expect(signInPage.status).toBe(200);
        expect(signInPage.body).not.toMatch(/URIError|\bat .+:\d+:\d+/);
        const [, home] = answers[1]!;
        expect(home.status, "the signed-in page sends an anonymous visitor to sign in").toBe(302);
        const [, me] = answers[3]!;
        expect(JSON.parse(me.body).result.data.json).toEqual({ type: "anonymous" });
      }
    });

    it("never answers 5xx to a fuzzed Cookie header", async () => {
      await fc.assert(
        fc.asyncProperty(cookieHeader(names(), validPair), async (cookie) => {
          for (const [what, res] of await requestsWith(url, cookie)) {
            if (res.status >= 500) {
              throw new Error(
                `${what} answered ${res.status} to Cookie: ${JSON.stringify(cookie)}`,
              );
            }
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    }, 120_000);
  });
}
