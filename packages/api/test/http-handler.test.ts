import { createSession, sessionCookieName } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { memoryLogger } from "@xplorium/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customerCookie,
  insertCustomer,
  insertStaff,
  startTrpcServer,
  testEnv,
  unique,
} from "./support";
import { trpcHttp } from "./trpc-http";

let t: TestDatabase;
let env: Env;
const servers: { close: () => Promise<void> }[] = [];
let adminUrl: string;
let portalUrl: string;

const OWNER_PASSWORD = "owner-http-test-password";
const logs = memoryLogger();
let owner: { id: string; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  env = testEnv(t.url);
  const o = await insertStaff(t.db, { role: "OWNER", password: OWNER_PASSWORD });
  owner = { id: o.id, email: o.email };
  // A real HTTP server in front of the tRPC fetch handler, as the apps mount it.
  const started = await Promise.all([
    startTrpcServer(t.db, env, "admin", { log: logs.logger }),
    startTrpcServer(t.db, env, "portal"),
  ]);
  servers.push(...started);
  [adminUrl, portalUrl] = started.map((s) => s.url) as [string, string];
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await t.drop();
});

interface TrpcErrorBody {
  error: {
    json: {
      message: string;
      code: number;
      data: {
        code: string;
        httpStatus: number;
        path: string;
        fieldErrors: Record<string, string[]> | null;
        retryAfterSeconds: number | null;
      };
    };
  };
}

async function call(
  base: string,
  path: string,
  opts: { input?: unknown; method?: "GET" | "POST"; cookie?: string; ip?: string } = {},
) {
  const method = opts.method ?? "POST";
  const headers: Record<string, string> = {
    "x-test-ip":
      opts.ip ?? `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  };
  if (opts.cookie) headers.cookie = opts.cookie;
  const input = method === "GET" ? opts.input : (opts.input ?? null);
  const { res, text, json } = await trpcHttp(base, path, { method, input, headers });
  expect(json, `${path} answers JSON: ${text}`).not.toBeNull();
  return { res, text, json };
}

/** No stack traces, file paths or driver internals in what the client sees. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(/"stack"/);
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toMatch(/node_modules|packages\/|\.ts\b/);
}

const staffCookieName = sessionCookieName("STAFF", { secure: false });

function cookieFrom(setCookie: string[]): string {
  const staff = setCookie.find((c) => c.startsWith(`${staffCookieName}=`));
  expect(staff).toBeDefined();
  return staff!.split(";")[0]!;
}

describe("tRPC over HTTP", () => {
  it("signs staff in with an HttpOnly, SameSite=Lax session cookie that then works", async () => {
    const { res, json } = await call(adminUrl, "auth.staff.signIn", {
      input: { email: `  ${owner.email.toUpperCase()} `, password: OWNER_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(json).toMatchObject({
      result: { data: { json: { staff: { id: owner.id, role: "OWNER" } } } },
    });
    const setCookie = res.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    const attrs = setCookie[0]!.split("; ");
    expect(attrs[0]).toMatch(new RegExp(`^${staffCookieName}=[a-z2-9]{24}\\.[a-z2-9]{24}$`));
    expect(attrs).toEqual(
      expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"]),
    );

    const cookie = cookieFrom(setCookie);
    const list = await call(adminUrl, "staff.list", { method: "GET", cookie });
    expect(list.res.status).toBe(200);
    const staff = (list.json as { result: { data: { json: { email: string }[] } } }).result.data
      .json;
    expect(staff.map((s) => s.email)).toContain(owner.email);
    // The list never carries password hashes.
    expect(list.text).not.toMatch(/password|argon2/i);

    const me = await call(adminUrl, "auth.me", { method: "GET", cookie });
    expect(me.json).toMatchObject({
      result: { data: { json: { type: "staff", staff: { id: owner.id } } } },
    });
  });

  it("answers a wrong password with 401, a clear message and no stack", async () => {
    const { res, json, text } = await call(adminUrl, "auth.staff.signIn", {
      input: { email: owner.email, password: "definitely-not-it" },
    });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    const err = (json as TrpcErrorBody).error.json;
    expect(err.message).toBe("Email or password is incorrect.");
    expect(err.data).toMatchObject({
      code: "UNAUTHORIZED",
      httpStatus: 401,
      path: "auth.staff.signIn",
    });
    expectNoInternals(text);
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const unknown = await call(adminUrl, "auth.staff.signIn", {
      input: { email: `nobody-${unique()}@example.com`, password: "definitely-not-it" },
    });
    const wrong = await call(adminUrl, "auth.staff.signIn", {
      input: { email: owner.email, password: "definitely-not-it" },
    });
    expect(unknown.res.status).toBe(401);
    expect((unknown.json as TrpcErrorBody).error.json.message).toBe(
      (wrong.json as TrpcErrorBody).error.json.message,
    );
  });

  it("answers a malformed email with 400 and a field error", async () => {
    const { res, json, text } = await call(adminUrl, "auth.staff.signIn", {
      input: { email: "not-an-email", password: "x" },
    });
    expect(res.status).toBe(400);
    const err = (json as TrpcErrorBody).error.json;
    expect(err.data.code).toBe("BAD_REQUEST");
    expect(err.data.fieldErrors?.email?.[0]).toMatch(/valid email/);
    expect(err.data.fieldErrors?.password).toBeUndefined();
    expect(err.message).toBe("Please check the highlighted fields.");
    expectNoInternals(text);
  });

  it("does not accept a customer session cookie on the admin", async () => {
    const c = await insertCustomer(t.db);
    const { token } = await customerCookie(t.db, c.id);
    for (const cookie of [
      `${sessionCookieName("CUSTOMER", { secure: false })}=${token}`,
      `${staffCookieName}=${token}`,
    ]) {
      const { res, json } = await call(adminUrl, "staff.list", { method: "GET", cookie });
      expect(res.status).toBe(401);
      expect((json as TrpcErrorBody).error.json.data.code).toBe("UNAUTHORIZED");
    }
  });

  it("does not serve admin sign-in on the portal", async () => {
    const { res } = await call(portalUrl, "auth.staff.signIn", {
      input: { email: owner.email, password: OWNER_PASSWORD },
    });
    expect(res.status).toBe(404);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("rejects a weak password on staff.create with 400 and fieldErrors.password; a duplicate with 409", async () => {
    const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: owner.id });
    const cookie = `${staffCookieName}=${token}`;
    const email = `new-${unique()}@example.com`;
    const weak = await call(adminUrl, "staff.create", {
      cookie,
      input: { email, name: "New Person", role: "FRONT_DESK", password: "short" },
    });
    expect(weak.res.status).toBe(400);
    const err = (weak.json as TrpcErrorBody).error.json;
    expect(err.data.fieldErrors?.password?.[0]).toMatch(/at least 12 characters/);
    expect(err.message).toMatch(/at least 12 characters/);

    const common = await call(adminUrl, "staff.create", {
      cookie,
      input: { email, name: "New Person", role: "FRONT_DESK", password: "Password1234" },
    });
    expect((common.json as TrpcErrorBody).error.json.data.fieldErrors?.password?.[0]).toMatch(
      /too common/,
    );

    const good = await call(adminUrl, "staff.create", {
      cookie,
      input: {
        email,
        name: "New Person",
        role: "FRONT_DESK",
        password: "a-long-and-unusual-passphrase",
      },
    });
    expect(good.res.status).toBe(200);
    expect(good.text).not.toMatch(/argon2/);

    const dup = await call(adminUrl, "staff.create", {
      cookie,
      input: {
        email,
        name: "Again",
        role: "FRONT_DESK",
        password: "a-long-and-unusual-passphrase",
      },
    });
    expect(dup.res.status).toBe(409);
    expect((dup.json as TrpcErrorBody).error.json.data.fieldErrors?.email).toHaveLength(1);
  });

  it("an owner changing their own password stays signed in here and is signed out everywhere else", async () => {
    const password = "owner-two-original-password";
    const o2 = await insertStaff(t.db, { role: "OWNER", password });
    const here = await createSession(t.db, { kind: "STAFF", staffUserId: o2.id });
    const elsewhere = await createSession(t.db, { kind: "STAFF", staffUserId: o2.id });
    const cookie = (token: string) => `${staffCookieName}=${token}`;
    const changed = await call(adminUrl, "staff.update", {
      cookie: cookie(here.token),
      input: { id: o2.id, password: "owner-two-fresh-passphrase" },
    });
    expect(changed.res.status).toBe(200);
    const me = (token: string) =>
      call(adminUrl, "auth.me", { method: "GET", cookie: cookie(token) }).then(
        (r) => (r.json as { result: { data: { json: { type: string } } } }).result.data.json.type,
      );
    expect(await me(here.token)).toBe("staff");
    expect(await me(elsewhere.token)).toBe("anonymous");
  });

  it("slows sign-ins down after five wrong passwords from one IP: 429 and Retry-After, even for the right password, which works once waited for", async () => {
    const password = "rate-limited-member-password";
    const member = await insertStaff(t.db, { role: "MANAGER", password });
    // All from one IP: the delay belongs to the account and the IP the tries come from.
    const ip = "10.2.0.1";
    const wrong = (i: number) =>
      call(adminUrl, "auth.staff.signIn", {
        input: { email: member.email, password: `wrong-${i}` },
        ip,
      });
    for (let i = 0; i < 5; i++) expect((await wrong(i)).res.status).toBe(401);
    // Then each try waits 1 s after the last, then 2, 4…: wrong passwords until a try is
    // refused with at least 2 s still to wait (a slow machine may answer a try in a second).
    for (let i = 5; ; i++) {
      expect(i).toBeLessThan(12);
      const { res } = await wrong(i);
      if (res.status !== 429) {
        expect(res.status).toBe(401);
        continue;
      }
      const wait = Number(res.headers.get("retry-after"));
      if (wait >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    // Straight after that, the right password from that IP is refused too (429, not a
    // lockout's 15 minutes).
    const { res, json, text } = await call(adminUrl, "auth.staff.signIn", {
      input: { email: member.email, password },
      ip,
    });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(5 * 60);
    const err = (json as TrpcErrorBody).error.json;
    expect(err.data.code).toBe("TOO_MANY_REQUESTS");
    expect(err.data.retryAfterSeconds).toBe(retryAfter);
    expect(err.message).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
    expect(res.headers.getSetCookie()).toEqual([]);
    expectNoInternals(text);
    // Not a lockout: once the wait is over, the member's own password signs in from there.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    const after = await call(adminUrl, "auth.staff.signIn", {
      input: { email: member.email, password },
      ip,
    });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.getSetCookie()).toHaveLength(1);
  });

  it("never leaks an internal error's message or stack, and logs it with the request id", async () => {
    const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: owner.id });
    await t.sql`alter table email_messages rename to email_messages_hidden`;
    try {
      const { res, json, text } = await call(adminUrl, "outbox.list", {
        method: "GET",
        cookie: `${staffCookieName}=${token}`,
        input: { limit: 5 },
      });
      expect(res.status).toBe(500);
      const err = (json as TrpcErrorBody).error.json;
      expect(err.message).toBe("Something went wrong on our side. Please try again.");
      expect(err.data.code).toBe("INTERNAL_SERVER_ERROR");
      expect(text).not.toMatch(/email_messages|relation|does not exist|select/i);
      expectNoInternals(text);
      // One structured line, with the id the client got, the procedure and the whole cause.
      const requestId = res.headers.get("x-request-id");
      const line = logs.lines.find((l) => l.requestId === requestId);
      expect(line).toMatchObject({
        level: "error",
        msg: "tRPC procedure failed",
        procedure: "outbox.list",
        err: { cause: { code: "42P01", message: expect.stringContaining("does not exist") } },
      });
      expect((line?.err as { stack?: string } | undefined)?.stack).toMatch(/\bat /);
    } finally {
      await t.sql`alter table email_messages_hidden rename to email_messages`;
    }
  });

  it("does not log an expected refusal as an error", async () => {
    const before = logs.lines.length;
    const { res } = await call(adminUrl, "staff.list", { method: "GET" });
    expect(res.status).toBe(401);
    expect(logs.lines.slice(before).filter((l) => l.level === "error")).toEqual([]);
  });

  it("re-sends the cookie when the session slides, and not otherwise", async () => {
    const stale = await createSession(
      t.db,
      { kind: "STAFF", staffUserId: owner.id },
      {},
      new Date(Date.now() - 2 * 3600_000),
    );
    const fresh = await createSession(t.db, { kind: "STAFF", staffUserId: owner.id });
    const a = await call(adminUrl, "auth.me", {
      method: "GET",
      cookie: `${staffCookieName}=${stale.token}`,
    });
    const refreshed = a.res.headers.getSetCookie();
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toContain(`${staffCookieName}=${stale.token};`);
    expect(refreshed[0]).toContain("Max-Age=43200");
    const b = await call(adminUrl, "auth.me", {
      method: "GET",
      cookie: `${staffCookieName}=${fresh.token}`,
    });
    expect(b.res.headers.getSetCookie()).toEqual([]);
  });

  it("will not run a mutation over GET (no state change from a link or image)", async () => {
    const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: owner.id });
    const cookie = `${staffCookieName}=${token}`;
    const { res } = await call(adminUrl, "auth.signOut", { method: "GET", cookie });
    expect(res.status).toBe(405);
    expect((await call(adminUrl, "staff.list", { method: "GET", cookie })).res.status).toBe(200);
  });

  it("signs out: clears the cookie and ends the session", async () => {
    const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: owner.id });
    const cookie = `${staffCookieName}=${token}`;
    const out = await call(adminUrl, "auth.signOut", { cookie });
    expect(out.res.status).toBe(200);
    const cleared = out.res.headers.getSetCookie();
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatch(new RegExp(`^${staffCookieName}=;`));
    expect(cleared[0]).toContain("Max-Age=0");
    expect((await call(adminUrl, "staff.list", { method: "GET", cookie })).res.status).toBe(401);
    const audit = await t.sql`select actor_id from audit_log where action = 'auth.sign_out'`;
    expect(audit.map((r) => r.actor_id)).toContain(owner.id);
  });
});
