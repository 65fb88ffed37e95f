import { randomUUID } from "node:crypto";
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createSession, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { listCustomers } from "@xplorium/core/customers";
import { seedDemoData } from "@xplorium/core/seed";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff,
  type TestDatabase,
} from "@xplorium/db/testing";
import { silentLogger } from "@xplorium/logger";
import { sendResponse, type XpLoadContext } from "@xplorium/server";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader } from "../app/routes/customers.export";

let t: TestDatabase;
let env: Env;
let server: Server;
let base: string;
/** The server side of the latest export response (the back-pressure test looks at it). */
let lastResponse: express.Response | undefined;

/**
 * The export route behind a real HTTP server: the request reaches the loader as Remix would
 * hand it over, and the response goes out through the app server's own `sendResponse`.
 */
async function start() {
  const app = express();
  app.get("/customers/export", async (req, res, next) => {
    lastResponse = res;
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const request = new Request(`${base}${req.originalUrl}`, {
      headers: new Headers(req.headers as Record<string, string>),
      signal: controller.signal,
    });
    const context: XpLoadContext = {
      db: t.db,
      env,
      app: "admin",
      nonce: "test",
      requestId: randomUUID(),
      ip: "127.0.0.1",
      log: silentLogger,
    };
    let response: Response;
    try {
      response = await loader({ request, context, params: {} } as LoaderFunctionArgs);
    } catch (thrown) {
      if (!(thrown instanceof Response)) return next(thrown);
      response = thrown;
    }
    await sendResponse(res, response).catch(next);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const cookieName = sessionCookieName("STAFF", { secure: false });
async function cookieFor(role: StaffRole) {
  const staff = await insertStaff(t.db, { role });
  const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: staff.id });
  return { staff, cookie: `${cookieName}=${token}` };
}

const get = (path: string, cookie?: string, signal?: AbortSignal) =>
  fetch(`${base}${path}`, {
    redirect: "manual",
    ...(cookie ? { headers: { cookie } } : {}),
    ...(signal ? { signal } : {}),
  });

beforeAll(async () => {
  t = await createTestDatabase();
  env = loadEnv({ NODE_ENV: "test", DATABASE_URL: t.url });
  await seedDemoData(t.db, { currency: "EUR", today: new Date("2026-11-24T12:00:00Z") });
  await start();
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.drop();
});

describe("GET /customers/export", () => {
  it("sends someone without a staff session to sign in, and back afterwards", async () => {
    const res = await get("/customers/export?tier=GOLD");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `/sign-in?next=${encodeURIComponent("/customers/export?tier=GOLD")}`,
    );
    // A customer's session is not a staff session.
    const customer = await insertCustomer(t.db);
    const { token } = await createSession(t.db, { kind: "CUSTOMER", customerId: customer.id });
    for (const cookie of [
      `${sessionCookieName("CUSTOMER", { secure: false })}=${token}`,
      `${cookieName}=${token}`,
    ]) {
      expect((await get("/customers/export", cookie)).status).toBe(302);
    }
  });

  it("refuses front-desk staff with 403 and exports nothing", async () => {
    const { cookie, staff } = await cookieFor("FRONT_DESK");
    const res = await get("/customers/export", cookie);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(/does not allow this \(export:customer\)/);
    const audit = await t.sql`select 1 from audit_log where actor_id = ${staff.id}
      and action = 'customer.exported'`;
    expect(audit).toHaveLength(0);
  });

  it.each<StaffRole>(["MARKETING", "MANAGER", "OWNER"])(
    "lets %s download the filtered list as CSV, every row of it",
    async (role) => {
      const { cookie, staff } = await cookieFor(role);
      const qs = "?tier=SILVER&email=yes&sort=name&dir=asc&cursor=ignored";
      const res = await get(`/customers/export${qs}`, cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(res.headers.get("content-disposition")).toMatch(
        /^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = Buffer.from(await res.arrayBuffer());
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      // Demo data has no line breaks inside fields: one line per customer after the header.
      const lines = body.toString("utf8").split("\n");
      expect(lines.pop()).toBe("");
      expect(lines[0]).toMatch(/^\uFEFFEmail,Name,Phone,Tier,/);

      const list = await listCustomers(
        { db: t.db },
        {
          tiers: ["SILVER"],
          emailOptIn: true,
          sort: "name",
          dir: "asc",
        },
      );
      expect(list.total).toBeGreaterThan(0);
      expect(lines.length - 1).toBe(list.total);
      expect(lines[1]?.split(",")[0]).toBe(list.items[0]?.email);

      const [audit] = await t.sql`select details, request_id from audit_log
        where actor_id = ${staff.id} and action = 'customer.exported'`;
      expect(audit?.details).toMatchObject({
        rowCount: list.total,
        filters: { tiers: ["SILVER"], emailOptIn: true, sort: "name", dir: "asc" },
      });
      expect(audit?.request_id).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it("exports the whole list when there are no filters", async () => {
    const { cookie } = await cookieFor("MARKETING");
    const text = await (await get("/customers/export", cookie)).text();
    const { total } = await listCustomers({ db: t.db }, {});
    expect(text.split("\n").length - 2).toBe(total);
  });

  it("stops the database query when the client goes away mid-download", async () => {
    await t.sql`insert into customers (email, name, referral_code)
      select 'abort-' || g || '@example.com', repeat('x', 500), 'ABORT' || g
      from generate_series(1, 30000) g`;
    const { cookie } = await cookieFor("OWNER");
    const controller = new AbortController();
    const res = await get("/customers/export?sort=email", cookie, controller.signal);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect
      .poll(
        async () =>
          (
            await t.sql`select 1 from pg_stat_activity
              where datname = current_database() and query like 'copy (%' and state <> 'idle'`
          ).length,
        { timeout: 5_000 },
      )
      .toBe(0);
    // The pool is whole again: a normal query still runs.
    expect((await listCustomers({ db: t.db }, { limit: 1 })).total).toBeGreaterThan(30_000);
  });

  it("holds back when the client stops reading: the server buffers next to nothing", async () => {
    // ≈ 60 MB of CSV, far more than the kernel's socket buffers on both ends can take in.
    await t.sql`insert into customers (email, name, referral_code)
      select 'slow-' || g || '@example.com', repeat('y', 1000), 'SLOW' || g
      from generate_series(1, 60000) g`;
    const { cookie } = await cookieFor("OWNER");
    const url = new URL("/customers/export?sort=email", base);
    const client = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(url, { headers: { cookie } }, resolve).on("error", reject),
    );
    try {
      expect(client.statusCode).toBe(200);
      // Read one chunk, then stop reading and let everything in between fill up.
      await new Promise((r) => client.once("data", r));
      client.pause();
      await new Promise((r) => setTimeout(r, 1500));
      const res = lastResponse!;
      expect(res.writableFinished).toBe(false);
      expect(res.socket?.bytesWritten ?? 0).toBeLessThan(40e6);
      // What Node holds for the socket beyond what the kernel took: one chunk or so.
      expect(res.writableLength).toBeLessThan(1e6);
      // The COPY waits in PostgreSQL rather than in this process.
      const copying = await t.sql`select 1 from pg_stat_activity
        where datname = current_database() and query like 'copy (%' and state <> 'idle'
          and backend_type = 'client backend'`;
      expect(copying.length).toBe(1);
    } finally {
      client.destroy();
    }
    await expect
      .poll(
        async () =>
          (
            await t.sql`select 1 from pg_stat_activity
              where datname = current_database() and query like 'copy (%' and state <> 'idle'`
          ).length,
        { timeout: 5_000 },
      )
      .toBe(0);
  }, 30_000);
});
