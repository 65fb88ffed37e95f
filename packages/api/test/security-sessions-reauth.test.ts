import { sessionCookieName } from "@xplorium/auth";
import { describe, expect, it } from "vitest";
import { PASSWORD_CONFIRM_LIMITS } from "../../core/src/auth/staff-password-confirm";
import {
  customerCookie,
  insertCustomer,
  insertStaff,
  staffCookie,
  startTrpcServer,
  testEnv,
  unique,
  useTrpcServers,
} from "./support";
import { trpcData as data, trpcHttp } from "./trpc-http";

/**
 * Issue 14, item 11, over real HTTP: a session ends 7 days (staff) or 30 days (customers) after
 * sign-in however busy it is, and owner-level actions refuse a session whose password was
 * entered more than 10 minutes ago (FORBIDDEN, `data.reason` REAUTH_REQUIRED) until
 * `auth.staff.confirmPassword` takes the right password.
 */

const PASSWORD = "correct horse battery staple";

const { t, env, admin, portal } = useTrpcServers();

interface Call {
  input?: unknown;
  method?: "GET" | "POST";
  cookie?: string;
  bearer?: string;
  /** The client IP (x-test-ip): each test its own, so the per-IP sign-in limit stays apart. */
  ip?: string;
  server?: { url: string };
  origin?: string;
}

async function call(path: string, opts: Call = {}) {
  const method = opts.method ?? "POST";
  const server = opts.server ?? admin;
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.cookie || opts.origin) headers.origin = opts.origin ?? new URL(env.ADMIN_URL).origin;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.ip) headers["x-test-ip"] = opts.ip;
  // Plain-text refusals of the edge: json null.
  const input = method === "GET" ? opts.input : (opts.input ?? null);
  return trpcHttp(server.url, path, { method, input, headers });
}

const error = (json: unknown) =>
  (
    json as {
      error: {
        json: {
          message: string;
          data: {
            code: string;
            reason: string | null;
            fieldErrors: Record<string, string[]> | null;
          };
        };
      };
    }
  ).error.json;

let owners = 0;
/** A signed-in owner with a real password, their session's id and cookie, and their own IP. */
async function owner() {
  const staff = await insertStaff(t.db, { role: "OWNER", password: PASSWORD });
  const { token, cookie } = await staffCookie(t.db, staff.id);
  const sessionId = token.split(".")[0]!;
  owners++;
  return { staff, cookie, sessionId, ip: `10.77.${owners >> 8}.${owners & 255}` };
}

/** The password was last entered `minutes` ago in this session. */
async function passwordEnteredAgo(sessionId: string, minutes: number) {
  await t.sql`update sessions set password_confirmed_at = now() - make_interval(mins => ${minutes})
    where id = ${sessionId}`;
}

function expectReauthRequired(r: { status: number; json: unknown }) {
  expect(r.status).toBe(403);
  const e = error(r.json);
  expect(e.message).toBe("Confirm your password to continue.");
  expect(e.data.code).toBe("FORBIDDEN");
  expect(e.data.reason).toBe("REAUTH_REQUIRED");
}

describe("the absolute session lifetime over HTTP", () => {
  it("refuses a staff session created more than 7 days ago, however recently used", async () => {
    const o = await owner();
    expect((await call("staff.list", { method: "GET", cookie: o.cookie })).status).toBe(200);
    await t.sql`update sessions set created_at = now() - interval '7 days 1 minute',
      last_verified_at = now() where id = ${o.sessionId}`;
    expect((await call("staff.list", { method: "GET", cookie: o.cookie })).status).toBe(401);
    const me = await call("auth.me", { method: "GET", cookie: o.cookie });
    expect(data<{ type: string }>(me.json).type).toBe("anonymous");
    expect(await t.sql`select 1 from sessions where id = ${o.sessionId}`).toHaveLength(0);
  });

  it("keeps a 6-day-old staff session that is in use", async () => {
    const o = await owner();
    await t.sql`update sessions set created_at = now() - interval '6 days',
      last_verified_at = now() where id = ${o.sessionId}`;
    expect((await call("staff.list", { method: "GET", cookie: o.cookie })).status).toBe(200);
  });

  it("refuses a customer session created more than 30 days ago", async () => {
    const customer = await insertCustomer(t.db);
    const { token, cookie } = await customerCookie(t.db, customer.id);
    const portalCall = () =>
      call("portal.me", {
        method: "GET",
        server: portal,
        cookie,
        origin: new URL(env.PORTAL_URL).origin,
      });
    await t.sql`update sessions set created_at = now() - interval '29 days',
      last_verified_at = now() where id = ${token.split(".")[0]!}`;
    expect((await portalCall()).status).toBe(200);
    await t.sql`update sessions set created_at = now() - interval '30 days 1 minute',
      last_verified_at = now() where id = ${token.split(".")[0]!}`;
    expect((await portalCall()).status).toBe(401);
  });

  it("takes STAFF_SESSION_MAX_DAYS from the environment", async () => {
    const shortEnv = testEnv(t.url, { STAFF_SESSION_MAX_DAYS: "2" });
    const short = await startTrpcServer(t.db, shortEnv, "admin", { edge: true });
    try {
      const o = await owner();
      await t.sql`update sessions set created_at = now() - interval '3 days',
        last_verified_at = now() where id = ${o.sessionId}`;
      const r = await call("staff.list", { method: "GET", cookie: o.cookie, server: short });
      expect(r.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

/** Every owner-level action, with the input that succeeds and how to see that it did. */
interface Guarded {
  name: string;
  path: string;
  input: (ctx: { ownerId: string }) => Promise<unknown>;
  /** Whether the action happened (checked after the refusal: it must not have). */
  happened: (input: unknown) => Promise<boolean>;
}

const otherStaff = async () => (await insertStaff(t.db, { role: "FRONT_DESK" })).id;
const staffRow = async (id: string) =>
  (
    await t.sql`select role, disabled_at, password_changed_at > created_at + interval '1 second'
    as password_changed from staff_users where id = ${id}`
  )[0]!;

const GUARDED: Guarded[] = [
  {
    name: "creating an API key",
    path: "apiKeys.create",
    input: async () => ({ name: `Key ${unique()}`, scopes: ["bookings:write"] }),
    happened: async (input) =>
      (await t.sql`select 1 from api_keys where name = ${(input as { name: string }).name}`)
        .length === 1,
  },
  {
    name: "adding a staff member",
    path: "staff.create",
    input: async () => ({
      email: `new-${unique()}@example.com`,
      name: "New Member",
      role: "OWNER",
      password: "a long enough password 2026",
    }),
    happened: async (input) =>
      (await t.sql`select 1 from staff_users where email = ${(input as { email: string }).email}`)
        .length === 1,
  },
  {
    name: "changing a staff member's role",
    path: "staff.update",
    input: async () => ({ id: await otherStaff(), role: "OWNER" }),
    happened: async (input) => (await staffRow((input as { id: string }).id)).role === "OWNER",
  },
  {
    name: "disabling a staff member",
    path: "staff.update",
    input: async () => ({ id: await otherStaff(), disabled: true }),
    happened: async (input) => (await staffRow((input as { id: string }).id)).disabled_at !== null,
  },
  {
    name: "re-enabling a staff member",
    path: "staff.update",
    input: async () => {
      const id = await otherStaff();
      await t.sql`update staff_users set disabled_at = now() where id = ${id}`;
      return { id, disabled: false };
    },
    happened: async (input) => (await staffRow((input as { id: string }).id)).disabled_at === null,
  },
  {
    name: "setting another member's password",
    path: "staff.update",
    input: async () => {
      const id = await otherStaff();
      await t.sql`update staff_users set created_at = now() - interval '1 day',
        password_changed_at = now() - interval '1 day' where id = ${id}`;
      return { id, password: "another long password 2026" };
    },
    happened: async (input) => (await staffRow((input as { id: string }).id)).password_changed,
  },
  {
    name: "erasing a customer",
    path: "customers.erase",
    input: async () => ({ customerId: (await insertCustomer(t.db)).id, confirmation: "DELETE" }),
    happened: async (input) =>
      (
        await t.sql`select erased_at from customers
        where id = ${(input as { customerId: string }).customerId}`
      )[0]!.erased_at !== null,
  },
  {
    name: "merging customers",
    path: "customers.merge",
    input: async () => ({
      survivorId: (await insertCustomer(t.db)).id,
      mergedId: (await insertCustomer(t.db)).id,
    }),
    happened: async (input) =>
      (await t.sql`select 1 from customers where id = ${(input as { mergedId: string }).mergedId}`)
        .length === 0,
  },
];

describe("owner-level actions ask for the password again after 10 minutes", () => {
  it.each(GUARDED)("$name ($path)", async (action) => {
    const o = await owner();
    const input = await action.input({ ownerId: o.staff.id });
    await passwordEnteredAgo(o.sessionId, 11);

    const refused = await call(action.path, { cookie: o.cookie, ip: o.ip, input });
    expectReauthRequired(refused);
    expect(await action.happened(input)).toBe(false);

    // A wrong password: the field's error, audited, and the action is still refused.
    const wrong = await call("auth.staff.confirmPassword", {
      cookie: o.cookie,
      ip: o.ip,
      input: { password: "not my password" },
    });
    expect(wrong.status).toBe(400);
    expect(error(wrong.json).data.fieldErrors).toEqual({
      password: ["That password is not right."],
    });
    expect(error(wrong.json).data.reason).toBe("REAUTH_REQUIRED");
    expectReauthRequired(await call(action.path, { cookie: o.cookie, ip: o.ip, input }));
    expect(await action.happened(input)).toBe(false);

    // The right one: confirmed for the next 10 minutes, and the action goes through.
    const right = await call("auth.staff.confirmPassword", {
      cookie: o.cookie,
      ip: o.ip,
      input: { password: PASSWORD },
    });
    expect(right.status).toBe(200);
    expect(data<{ validForMinutes: number }>(right.json).validForMinutes).toBe(10);
    const done = await call(action.path, { cookie: o.cookie, ip: o.ip, input });
    expect(done.status).toBe(200);
    expect(await action.happened(input)).toBe(true);

    const audit = await t.sql`select action, details from audit_log
      where entity_type = 'staff_user' and entity_id = ${o.staff.id}
        and action like 'auth.staff.password_confirm%' order by id`;
    expect(audit).toEqual([
      { action: "auth.staff.password_confirm_failed", details: { reason: "wrong_password" } },
      { action: "auth.staff.password_confirmed", details: null },
    ]);
  });

  it("lets every guarded action through on a session signed in 9 minutes ago", async () => {
    for (const action of GUARDED) {
      const o = await owner();
      const input = await action.input({ ownerId: o.staff.id });
      await passwordEnteredAgo(o.sessionId, 9);
      const r = await call(action.path, { cookie: o.cookie, ip: o.ip, input });
      expect([action.name, r.status]).toEqual([action.name, 200]);
    }
  });

  it("signing in counts as entering the password", async () => {
    const staff = await insertStaff(t.db, { role: "OWNER", password: PASSWORD });
    const signIn = await fetch(`${admin.url}/api/trpc/auth.staff.signIn`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: new URL(env.ADMIN_URL).origin,
        "x-test-ip": "10.78.0.1",
      },
      body: JSON.stringify({ json: { email: staff.email, password: PASSWORD } }),
    });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.getSetCookie().join("; ");
    const name = sessionCookieName("STAFF", { secure: false });
    const token = new RegExp(`${name}=([^;]+)`).exec(setCookie)?.[1];
    expect(token).toBeTruthy();
    const [row] = await t.sql`select password_confirmed_at, created_at from sessions
      where id = ${token!.split(".")[0]!}`;
    expect(row!.password_confirmed_at).toEqual(row!.created_at);
    const r = await call("apiKeys.create", {
      cookie: `${name}=${token}`,
      ip: "10.78.0.1",
      input: { name: "Right after sign-in", scopes: ["bookings:write"] },
    });
    expect(r.status).toBe(200);
  });

  it("does not guard what is not owner-level: renaming a member, listing, revoking a key", async () => {
    const o = await owner();
    const key = data<{ apiKey: { id: string } }>(
      (
        await call("apiKeys.create", {
          cookie: o.cookie,
          ip: o.ip,
          input: { name: "To revoke", scopes: ["bookings:write"] },
        })
      ).json,
    );
    await passwordEnteredAgo(o.sessionId, 60);
    const id = await otherStaff();
    expect(
      (await call("staff.update", { cookie: o.cookie, ip: o.ip, input: { id, name: "Renamed" } }))
        .status,
    ).toBe(200);
    expect((await call("staff.list", { method: "GET", cookie: o.cookie })).status).toBe(200);
    expect(
      (await call("apiKeys.revoke", { cookie: o.cookie, ip: o.ip, input: { id: key.apiKey.id } }))
        .status,
    ).toBe(200);
  });

  it("confirms only for staff sessions: not for API keys, customers or nobody", async () => {
    const o = await owner();
    const created = data<{ key: string }>(
      (
        await call("apiKeys.create", {
          cookie: o.cookie,
          ip: o.ip,
          input: { name: "Not a session", scopes: ["bookings:write"] },
        })
      ).json,
    );
    const byKey = await call("auth.staff.confirmPassword", {
      bearer: created.key,
      input: { password: PASSWORD },
    });
    expect(byKey.status).toBe(401);
    // A key can reach no owner-level action at all.
    const keyMakesKey = await call("apiKeys.create", {
      bearer: created.key,
      input: { name: "By a key", scopes: ["bookings:write"] },
    });
    expect(keyMakesKey.status).toBe(401);
    const anonymous = await call("auth.staff.confirmPassword", {
      input: { password: PASSWORD },
      ip: "10.79.0.1",
      origin: new URL(env.ADMIN_URL).origin,
    });
    expect(anonymous.status).toBe(401);
    const customer = await insertCustomer(t.db);
    const onPortal = await call("auth.staff.confirmPassword", {
      server: portal,
      cookie: (await customerCookie(t.db, customer.id)).cookie,
      origin: new URL(env.PORTAL_URL).origin,
      input: { password: PASSWORD },
    });
    expect(onPortal.status).toBe(404);
  });

  it("limits password confirmations like sign-in (429 with Retry-After), each failure audited", async () => {
    const o = await owner();
    await passwordEnteredAgo(o.sessionId, 30);
    const limit = PASSWORD_CONFIRM_LIMITS.perStaff.limit;
    for (let i = 0; i < limit; i++) {
      const r = await call("auth.staff.confirmPassword", {
        cookie: o.cookie,
        ip: o.ip,
        input: { password: `wrong ${i}` },
      });
      expect(r.status).toBe(400);
    }
    const limited = await fetch(`${admin.url}/api/trpc/auth.staff.confirmPassword`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: o.cookie,
        origin: new URL(env.ADMIN_URL).origin,
        "x-test-ip": o.ip,
      },
      body: JSON.stringify({ json: { password: PASSWORD } }),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const failures = await t.sql`select 1 from audit_log
      where action = 'auth.staff.password_confirm_failed' and entity_id = ${o.staff.id}`;
    expect(failures).toHaveLength(limit);
    // Still owed: the right password was not even checked.
    expectReauthRequired(
      await call("apiKeys.create", {
        cookie: o.cookie,
        ip: o.ip,
        input: { name: "Still refused", scopes: ["bookings:write"] },
      }),
    );
  });

  it("answers a too-long or empty password as a field error, never a 500", async () => {
    const o = await owner();
    for (const password of ["", "x".repeat(300)]) {
      const r = await call("auth.staff.confirmPassword", {
        cookie: o.cookie,
        ip: o.ip,
        input: { password },
      });
      expect(r.status).toBe(400);
      expect(error(r.json).data.fieldErrors?.password).toHaveLength(1);
    }
  });
});
