import { invalidateSession } from "@xplorium/auth";
import { type Database, schema } from "@xplorium/db";
import { drizzle } from "drizzle-orm/postgres-js";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { contextInput, type RequestScope, serverCaller } from "../src";
import { customerCookie, insertCustomer, useTrpcServers } from "./support";

/**
 * A page's loaders run in parallel and each builds its own tRPC context from the same request:
 * on a GET the session is read once and shared by them (the Remix load context is the request's
 * key), never between requests, cookies, or on a request that may change the session.
 */

const { t, env } = useTrpcServers({ apps: [] });
let db: Database;
const statements: string[] = [];

beforeAll(async () => {
  db = drizzle(t.sql, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query) => statements.push(query) },
  }) as unknown as Database;
});
beforeEach(() => {
  statements.length = 0;
});

const scopeOf = (): RequestScope => ({ db, env, app: "portal", ip: null, requestId: "r" });
const request = (cookie: string, method = "GET") =>
  new Request(`${env.PORTAL_URL}/`, { method, headers: { cookie } });
const sessionReads = () => statements.filter((q) => /from "sessions"/.test(q)).length;

describe("the request's principal", () => {
  it("is read once for all the loaders of one GET", async () => {
    const c = await insertCustomer(t.db);
    const { cookie } = await customerCookie(t.db, c.id);
    const scope = scopeOf();
    const callers = await Promise.all(
      [1, 2, 3].map(() => serverCaller(contextInput(request(cookie), scope))),
    );
    expect(callers.map((x) => x.principal.type)).toEqual(["customer", "customer", "customer"]);
    expect(sessionReads()).toBe(1);
    // The next request (a new load context) reads it again.
    await serverCaller(contextInput(request(cookie), scopeOf()));
    expect(sessionReads()).toBe(2);
  });

  it("is never shared between different cookies", async () => {
    const a = await insertCustomer(t.db);
    const b = await insertCustomer(t.db);
    const scope = scopeOf();
    const asA = await serverCaller(
      contextInput(request((await customerCookie(t.db, a.id)).cookie), scope),
    );
    const asB = await serverCaller(
      contextInput(request((await customerCookie(t.db, b.id)).cookie), scope),
    );
    const anonymous = await serverCaller(contextInput(request(""), scope));
    expect(asA.principal.type === "customer" && asA.principal.customer.id).toBe(a.id);
    expect(asB.principal.type === "customer" && asB.principal.customer.id).toBe(b.id);
    expect(anonymous.principal.type).toBe("anonymous");
  });

  it("is validated afresh on a POST (an action may have ended the session)", async () => {
    const c = await insertCustomer(t.db);
    const { cookie, token } = await customerCookie(t.db, c.id);
    const scope = scopeOf();
    const first = await serverCaller(contextInput(request(cookie, "POST"), scope));
    expect(first.principal.type).toBe("customer");
    await invalidateSession(t.db, token.split(".")[0]!);
    const second = await serverCaller(contextInput(request(cookie, "POST"), scope));
    expect(second.principal.type).toBe("anonymous");
    expect(sessionReads()).toBe(2);
  });
});
