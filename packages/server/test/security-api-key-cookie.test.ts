import { request as httpRequest } from "node:http";
import type { AppName } from "@xplorium/api";
import { createSession, generateApiKey, sessionCookieName } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff,
  type TestDatabase,
} from "@xplorium/db/testing";
import type { ServedApp } from "@xplorium/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerBuild } from "../../../tests/support/remix-route-server";
import { serveTestApp } from "./serve-test-app";

/**
 * Issue 14, finding 8, over real HTTP through the app server both apps run (production mode,
 * where tRPC is answered behind the same edge as the pages): only a well-formed API key
 * (`Authorization: Bearer xp_<prefix>_<secret>`) lifts the same-origin check, and a request that
 * presents a bearer credential is the API client's alone: a session cookie that came along never
 * authenticates it.
 */

const ORIGIN: Record<AppName, string> = {
  admin: "https://admin.xplorium.example",
  portal: "https://portal.xplorium.example",
};

let t: TestDatabase;
const served: ServedApp[] = [];
const url = {} as Record<AppName, URL>;
let customerCookie: string;
let validKey: string;

async function start(app: AppName, env: Env) {
  const { served: s, url: at } = await serveTestApp({
    app,
    env,
    db: t.db,
    appOrigin: ORIGIN[app],
    // tRPC is answered before Remix in production: no page is needed.
    build: testServerBuild({
      entry: { default: () => new Response("no pages here", { status: 404 }) },
      routes: [{ id: "root", path: "", module: { default: () => null } }],
    }) as never,
  });
  served.push(s);
  url[app] = at;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const env = loadEnv({
    NODE_ENV: "production",
    DATABASE_URL: t.url,
    SESSION_SECRET: "api-key-cookie-test-secret-0123456789abcdef",
    ADMIN_URL: ORIGIN.admin,
    PORTAL_URL: ORIGIN.portal,
    EMAIL_TRANSPORT: "outbox",
  });
  await start("admin", env);
  await start("portal", env);
  const customer = await insertCustomer(t.db);
  const c = await createSession(t.db, { kind: "CUSTOMER", customerId: customer.id });
  customerCookie = `${sessionCookieName("CUSTOMER", { secure: true })}=${c.token}`;
  const k = generateApiKey();
  await t.db.insert(schema.apiKeys).values({
    name: "Booking site",
    prefix: k.prefix,
    secretHash: k.secretHash,
    scopes: ["bookings:write"],
  });
  validKey = k.key;
});
afterAll(async () => {
  for (const s of served) await s.shutdown("test over");
  await t.drop();
});

interface Answer {
  status: number;
  body: string;
  json: unknown;
}

/** One tRPC call over node:http with exactly these headers (Host is the app's public name). */
function call(
  app: AppName,
  method: "GET" | "POST",
  procedure: string,
  headers: Record<string, string>,
  input: unknown = null,
): Promise<Answer> {
  const body = method === "POST" ? JSON.stringify({ json: input }) : "";
  const query =
    method === "GET" && input !== null
      ? `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`
      : "";
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url[app].hostname,
        port: url[app].port,
        method,
        path: `/api/trpc/${procedure}${query}`,
        agent: false,
        headers: {
          host: new URL(ORIGIN[app]).host,
          ...(body
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
        });
        res.on("end", () => {
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            // The edge answers its refusals in plain text.
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const data = (a: Answer) => (a.json as { result: { data: { json: unknown } } }).result.data.json;
const basic = `Basic ${Buffer.from("venue:staging-password").toString("base64")}`;

/** A new owner's session: each test signs in afresh, so none depends on another's sign-out. */
async function ownerCookie() {
  const owner = await insertStaff(t.db, { role: "OWNER" });
  const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: owner.id });
  return `${sessionCookieName("STAFF", { secure: true })}=${token}`;
}

async function stillSignedIn(staffCookie: string) {
  const me = await call("admin", "GET", "auth.me", { cookie: staffCookie });
  return (data(me) as { type: string }).type === "staff";
}

describe("the same-origin check and Authorization", () => {
  it("refuses a cookie-carrying write with no Origin when Authorization is not an API key", async () => {
    const unkeyed = [
      basic,
      "Basic",
      "Bearer",
      "Bearer nonsense",
      "Bearer xp_nope",
      `Bearer ${validKey}x`,
      `Bearer ${validKey} ${validKey}`,
      `Token ${validKey}`,
      validKey,
      `Digest username="venue"`,
    ];
    const staffCookie = await ownerCookie();
    for (const authorization of unkeyed) {
      const res = await call("admin", "POST", "auth.signOut", {
        cookie: staffCookie,
        authorization,
      });
      expect(res.status, authorization).toBe(403);
      expect(res.body).toBe("Cross-site request refused.");
    }
    // None of them reached the procedure: the session is still there.
    expect(await stillSignedIn(staffCookie)).toBe(true);
  });

  it("lets a well-formed API key through without an Origin; the procedure then decides", async () => {
    const unknownKey = generateApiKey().key;
    const res = await call("admin", "POST", "auth.signOut", {
      authorization: `Bearer ${unknownKey}`,
    });
    expect(res.status).toBe(401);
    const whoami = await call("admin", "GET", "apiKeys.whoami", {
      authorization: `bearer ${validKey}`,
    });
    expect(whoami.status).toBe(200);
    expect(data(whoami)).toMatchObject({ type: "apiKey", name: "Booking site" });
  });

  it("the portal takes no API key: a header-less write with one is refused", async () => {
    const res = await call("portal", "POST", "auth.signOut", {
      cookie: customerCookie,
      authorization: `Bearer ${validKey}`,
    });
    expect(res.status).toBe(403);
  });
});

describe("a request that presents a bearer credential is never authenticated by its cookie", () => {
  it("a valid key with an owner's cookie is the key only: staff procedures are refused", async () => {
    const staffCookie = await ownerCookie();
    const headers = { cookie: staffCookie, authorization: `Bearer ${validKey}` };
    const whoami = await call("admin", "GET", "apiKeys.whoami", headers);
    expect(data(whoami)).toMatchObject({ type: "apiKey" });
    for (const procedure of ["customers.list", "apiKeys.list", "staff.list"]) {
      const res = await call("admin", "GET", procedure, headers, {});
      expect(res.status, procedure).toBe(401);
    }
    const create = await call("admin", "POST", "apiKeys.create", headers, {
      name: "Made with a cookie",
      scopes: ["bookings:write"],
    });
    expect(create.status).toBe(401);
    const signOut = await call("admin", "POST", "auth.signOut", headers);
    expect(signOut.status).toBe(401);
    expect(await stillSignedIn(staffCookie)).toBe(true);
    const keys = await t.sql`select count(*)::int as n from api_keys`;
    expect(keys[0]!.n).toBe(1);
  });

  it("an unknown, malformed or empty bearer credential with a staff cookie is anonymous", async () => {
    const staffCookie = await ownerCookie();
    for (const authorization of [`Bearer ${generateApiKey().key}`, "Bearer xp_nope", "Bearer "]) {
      const me = await call("admin", "GET", "auth.me", {
        cookie: staffCookie,
        authorization,
        origin: ORIGIN.admin,
      });
      expect(data(me), authorization).toEqual({ type: "anonymous" });
      const list = await call(
        "admin",
        "GET",
        "customers.list",
        { cookie: staffCookie, authorization },
        {},
      );
      expect(list.status, authorization).toBe(401);
    }
  });

  it("on the portal, a bearer credential with a customer's cookie from the portal's own page is anonymous", async () => {
    const headers = {
      cookie: customerCookie,
      origin: ORIGIN.portal,
      authorization: `Bearer ${validKey}`,
    };
    const me = await call("portal", "GET", "portal.me", headers);
    expect(me.status).toBe(401);
    const without = await call("portal", "GET", "portal.me", { cookie: customerCookie });
    expect(without.status).toBe(200);
  });

  it("credentials of another scheme (a proxy's Basic login in front of the app) leave the session alone", async () => {
    // The same-origin check still applies to writes (above); a page's read with the browser's
    // Basic credentials of a password-protected staging host is the signed-in member's.
    const staffCookie = await ownerCookie();
    const me = await call("admin", "GET", "auth.me", { cookie: staffCookie, authorization: basic });
    expect(data(me)).toMatchObject({ type: "staff" });
  });
});
