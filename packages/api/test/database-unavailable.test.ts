import { createServer } from "node:net";
import { createSession, sessionCookieName } from "@xplorium/auth";
import { createDb, type DbHandle } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { memoryLogger } from "@xplorium/logger";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/database-unavailable";
import { insertCustomer, startTrpcServer, testEnv } from "./support";

/**
 * A database that cannot be reached (restarting, failing over) answers 503 with Retry-After,
 * not 500, both when the session check fails before the procedure and inside a procedure; a
 * connection PostgreSQL terminates counts as unavailable, a data error does not.
 */

let t: TestDatabase;
let away: DbHandle;
let server: { url: string; close: () => Promise<void> };
const logs = memoryLogger();

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  t = await createTestDatabase();
  away = createDb(`postgres://postgres:postgres@127.0.0.1:${await closedPort()}/gone`, {
    max: 1,
  });
  server = await startTrpcServer(away.db, testEnv(t.url), "portal", { log: logs.logger });
});
afterAll(async () => {
  await server?.close();
  await away?.close();
  await t?.drop();
});

async function call(
  path: string,
  init: { cookie?: string; input?: unknown; method?: "GET" | "POST" },
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.cookie) headers.cookie = init.cookie;
  const res =
    init.method === "GET"
      ? await fetch(`${server.url}/api/trpc/${path}`, { headers })
      : await fetch(`${server.url}/api/trpc/${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify({ json: init.input ?? null }),
        });
  return { res, text: await res.text() };
}

describe("database unavailable", () => {
  it("answers 503 with Retry-After when the session check cannot reach the database", async () => {
    // A well-formed session token (made on the real database), presented to the one that is away.
    const customer = await insertCustomer(t.db);
    const { token } = await createSession(t.db, { kind: "CUSTOMER", customerId: customer.id });
    const { res, text } = await call("portal.summary", {
      method: "GET",
      cookie: `${sessionCookieName("CUSTOMER", { secure: false })}=${token}`,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(JSON.parse(text).error.json.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(text).not.toMatch(/ECONNREFUSED|node_modules|"stack"/);
  });

  it("answers 503 with Retry-After when a procedure cannot reach it", async () => {
    const { res, text } = await call("auth.customer.requestCode", {
      input: { email: "someone@example.com" },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(JSON.parse(text).error.json.message).toMatch(/try again in a few seconds/);
    expect(logs.lines.some((l) => l.msg === "database unavailable (503)")).toBe(true);
  });

  it("recognises a connection PostgreSQL terminates, not a data error", async () => {
    const victim = postgres(t.url, { max: 1, onnotice: () => {} });
    const admin = postgres(t.url, { max: 1, onnotice: () => {} });
    try {
      const [{ pid }] = (await victim`select pg_backend_pid() as pid`) as unknown as [
        { pid: number },
      ];
      const sleeping = victim`select pg_sleep(10)`.then(
        () => null,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 200));
      await admin`select pg_terminate_backend(${pid})`;
      // postgres.js reports the dropped connection (PostgreSQL's 57P01 arrives as it closes).
      const error = (await sleeping) as { code?: string };
      expect(["57P01", "CONNECTION_CLOSED"]).toContain(error?.code);
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(isDatabaseUnavailable({ cause: error })).toBe(true);

      const dataError = await admin`select 1 / 0`.catch((e: unknown) => e);
      expect((dataError as { code?: string }).code).toBe("22012");
      expect(isDatabaseUnavailable(dataError)).toBe(false);
      expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    } finally {
      await victim.end({ timeout: 1 });
      await admin.end({ timeout: 1 });
    }
  });
});
