import { createHash } from "node:crypto";
import type { StaffRole } from "@xplorium/auth";
import { generateApiKey } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { beforeAll, describe, expect, it } from "vitest";
import { insertStaff, staffCookie, useTrpcServers } from "./support";
import { trpcData as data, trpcHttp } from "./trpc-http";

/**
 * API keys end to end: an owner creates and revokes keys over HTTP with a session cookie; the
 * booking site then calls with `Authorization: Bearer …`, no cookie and no Origin, through the
 * same-origin guard of the app server.
 */

const { t, env, admin } = useTrpcServers({ apps: ["admin"] });
let ownerId: string;
let ownerCookie: string;

beforeAll(async () => {
  ownerId = (await insertStaff(t.db, { role: "OWNER" })).id;
  ownerCookie = (await staffCookie(t.db, ownerId)).cookie;
});

interface Call {
  input?: unknown;
  method?: "GET" | "POST";
  cookie?: string;
  bearer?: string;
  origin?: string;
}

/** One tRPC call. Staff calls send the admin's Origin like a browser; key calls send none. */
async function call(path: string, opts: Call = {}) {
  const method = opts.method ?? "POST";
  const headers: Record<string, string> = {};
  if (opts.cookie) {
    headers.cookie = opts.cookie;
    headers.origin = new URL(env.ADMIN_URL).origin;
  }
  if (opts.origin) headers.origin = opts.origin;
  if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;
  // The edge answers refusals in plain text (json null).
  const input = method === "GET" ? opts.input : (opts.input ?? null);
  return trpcHttp(admin.url, path, { method, input, headers });
}

const error = (json: unknown) =>
  (
    json as {
      error: {
        json: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } };
      };
    }
  ).error.json;

interface Created {
  key: string;
  apiKey: { id: string; name: string; prefix: string; scopes: string[] };
}

async function createKey(name = "Booking site"): Promise<Created> {
  const r = await call("apiKeys.create", {
    cookie: ownerCookie,
    input: { name, scopes: ["bookings:write"] },
  });
  expect(r.status).toBe(200);
  return data<Created>(r.json);
}

const whoami = (bearer: string) => call("apiKeys.whoami", { method: "GET", bearer });

describe("API keys over HTTP", () => {
  it("shows a new key once and stores only its prefix and the SHA-256 of its secret", async () => {
    const { key, apiKey } = await createKey("Booking site (prod)");
    const match = /^xp_([a-z2-9]{8})_([a-z2-9]{32})$/.exec(key);
    expect(match).not.toBeNull();
    const [, prefix, secret] = match as unknown as [string, string, string];
    expect(apiKey).toMatchObject({
      name: "Booking site (prod)",
      prefix,
      scopes: ["bookings:write"],
    });
    expect(JSON.stringify(apiKey)).not.toContain(secret);

    // The table holds the hash, and no column holds the key or its secret in any form.
    const [row] = await t.sql`select * from api_keys where id = ${apiKey.id}`;
    expect(Buffer.from(row!.secret_hash as Uint8Array).toString("hex")).toBe(
      createHash("sha256").update(secret).digest("hex"),
    );
    const [asText] =
      await t.sql`select row_to_json(k)::text as t from api_keys k where id = ${apiKey.id}`;
    expect(asText!.t).not.toContain(secret);
    expect(asText!.t).not.toContain(Buffer.from(secret).toString("hex"));
    expect(row!.created_by_staff_id).toBe(ownerId);

    // The list never carries it again.
    const list = await call("apiKeys.list", { method: "GET", cookie: ownerCookie });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toMatch(/secret|hash/i);
    expect(data<{ id: string }[]>(list.json).map((k) => k.id)).toContain(apiKey.id);
  });

  it("authenticates with Authorization: Bearer alone (no cookie, no Origin) and records last use", async () => {
    const { key, apiKey } = await createKey("Whoami");
    const r = await whoami(key);
    expect(r.status).toBe(200);
    expect(data(r.json)).toEqual({
      type: "apiKey",
      id: apiKey.id,
      name: "Whoami",
      scopes: ["bookings:write"],
    });
    const [row] = await t.sql`select last_used_at from api_keys where id = ${apiKey.id}`;
    expect(row!.last_used_at).not.toBeNull();
    const list = data<{ id: string; lastUsedAt: string | null }[]>(
      (await call("apiKeys.list", { method: "GET", cookie: ownerCookie })).json,
    );
    expect(list.find((k) => k.id === apiKey.id)?.lastUsedAt).not.toBeNull();
  });

  it("lets a header-less write through the edge only with Authorization, never a cross-site one", async () => {
    const { key } = await createKey("Edge");
    // A mutation with the key and no Origin passes the edge; the procedure then decides.
    const staffOnly = await call("apiKeys.create", {
      bearer: key,
      input: { name: "x", scopes: ["bookings:write"] },
    });
    expect(staffOnly.status).toBe(401);
    expect(error(staffOnly.json).data.code).toBe("UNAUTHORIZED");
    // No Authorization, no Origin: the edge refuses before tRPC.
    const bare = await call("apiKeys.create", { input: { name: "x", scopes: ["bookings:write"] } });
    expect(bare.status).toBe(403);
    expect(bare.text).toBe("Cross-site request refused.");
    // A cross-site Origin is refused even with a key.
    const crossSite = await call("apiKeys.create", {
      bearer: key,
      origin: "https://evil.example",
      input: { name: "x", scopes: ["bookings:write"] },
    });
    expect(crossSite.status).toBe(403);
  });

  it("stops a revoked key at once (401); revoking again changes nothing", async () => {
    const { key, apiKey } = await createKey("Soon revoked");
    expect((await whoami(key)).status).toBe(200);
    const revoked = await call("apiKeys.revoke", { cookie: ownerCookie, input: { id: apiKey.id } });
    expect(revoked.status).toBe(200);
    expect(
      data<{ changed: boolean; apiKey: { revokedAt: string | null } }>(revoked.json),
    ).toMatchObject({ changed: true, apiKey: { id: apiKey.id } });

    const after = await whoami(key);
    expect(after.status).toBe(401);
    expect(error(after.json).data.code).toBe("UNAUTHORIZED");

    const again = await call("apiKeys.revoke", { cookie: ownerCookie, input: { id: apiKey.id } });
    expect(again.status).toBe(200);
    expect(data<{ changed: boolean }>(again.json).changed).toBe(false);
    const audits =
      await t.sql`select count(*)::int as n from audit_log where action = 'apikey.revoked' and entity_id = ${apiKey.id}`;
    expect(audits[0]!.n).toBe(1);

    const unknown = await call("apiKeys.revoke", {
      cookie: ownerCookie,
      input: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknown.status).toBe(404);
  });

  it("answers a key without the scope with 403", async () => {
    const k = generateApiKey();
    await t.db.insert(schema.apiKeys).values({
      name: "Other scope",
      prefix: k.prefix,
      secretHash: k.secretHash,
      scopes: ["customers:read"],
    });
    const r = await whoami(k.key);
    expect(r.status).toBe(403);
    expect(error(r.json).data.code).toBe("FORBIDDEN");
    expect(error(r.json).message).toBe("This API key does not have the bookings:write scope.");
  });

  it("answers malformed, unknown and altered keys with 401", async () => {
    const { key } = await createKey("Real");
    const altered = `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`;
    const unknown = generateApiKey().key;
    for (const bearer of ["", "nonsense", "xp_short_key", `${key}x`, altered, unknown]) {
      const r = await whoami(bearer);
      expect(r.status, bearer).toBe(401);
      expect(error(r.json).data.code).toBe("UNAUTHORIZED");
    }
    // Not a Bearer token at all: no principal either.
    const basic = await fetch(`${admin.url}/api/trpc/apiKeys.whoami`, {
      headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
    });
    expect(basic.status).toBe(401);
  });

  it("never lets a key reach staff procedures, nor count as signed in", async () => {
    const { key } = await createKey("Not staff");
    for (const path of ["customers.list", "apiKeys.list", "staff.list", "audit.list"]) {
      const r = await call(path, { method: "GET", bearer: key, input: {} });
      expect(r.status, path).toBe(401);
      expect(error(r.json).data.code).toBe("UNAUTHORIZED");
    }
    const revoke = await call("apiKeys.revoke", {
      bearer: key,
      input: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(revoke.status).toBe(401);
    const me = await call("auth.me", { method: "GET", bearer: key });
    expect(data(me.json)).toEqual({ type: "anonymous" });
  });

  it("lets only owners manage keys; front desk may still use whoami as staff", async () => {
    const roles: StaffRole[] = ["MANAGER", "FRONT_DESK", "MARKETING"];
    for (const role of roles) {
      const { cookie } = await staffCookie(t.db, (await insertStaff(t.db, { role })).id);
      const create = await call("apiKeys.create", {
        cookie,
        input: { name: "Mine", scopes: ["bookings:write"] },
      });
      expect(create.status, role).toBe(403);
      expect((await call("apiKeys.list", { method: "GET", cookie })).status, role).toBe(403);
    }
    const { cookie } = await staffCookie(
      t.db,
      (await insertStaff(t.db, { role: "FRONT_DESK" })).id,
    );
    const me = await call("apiKeys.whoami", { method: "GET", cookie });
    expect(me.status).toBe(200);
    expect(data(me.json)).toMatchObject({ type: "staff", role: "FRONT_DESK" });
  });

  it("explains a bad create form field by field", async () => {
    const noScopes = await call("apiKeys.create", {
      cookie: ownerCookie,
      input: { name: "  ", scopes: [] },
    });
    expect(noScopes.status).toBe(400);
    const fe = error(noScopes.json).data.fieldErrors;
    expect(fe.name?.[0]).toMatch(/Name the key/);
    expect(fe.scopes?.[0]).toBe("Choose at least one scope.");
    const badScope = await call("apiKeys.create", {
      cookie: ownerCookie,
      input: { name: "Bad", scopes: ["everything"] },
    });
    expect(badScope.status).toBe(400);
    expect(error(badScope.json).data.fieldErrors.scopes).toBeDefined();
  });

  it("audits creation and revocation by the owner, without the secret", async () => {
    const { key, apiKey } = await createKey("Audited");
    await call("apiKeys.revoke", { cookie: ownerCookie, input: { id: apiKey.id } });
    const rows = await t.sql`
      select action, actor_type, actor_id, details, details::text as raw, request_id
      from audit_log where entity_type = 'api_key' and entity_id = ${apiKey.id} order by id`;
    expect(rows.map((r) => r.action)).toEqual(["apikey.created", "apikey.revoked"]);
    for (const r of rows) {
      expect(r.actor_type).toBe("STAFF");
      expect(r.actor_id).toBe(ownerId);
      expect(r.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.raw).not.toContain(key);
      expect(r.raw).not.toContain(key.slice(12));
    }
    expect(rows[0]!.details).toEqual({
      name: "Audited",
      prefix: apiKey.prefix,
      scopes: ["bookings:write"],
    });
    expect(rows[1]!.details).toEqual({ name: "Audited", prefix: apiKey.prefix });
    const all = await t.sql`select string_agg(details::text, ' ') as t from audit_log`;
    expect(all[0]!.t).not.toContain(key.slice(12));
  });
});

describe("the booking site pushing bookings with an API key", () => {
  const booking = (externalId: string, extra: Record<string, unknown> = {}) => ({
    email: "  Site.Family@Example.com ",
    name: "Site Family",
    type: "PARTY",
    scheduledAt: "2026-12-05T14:00:00+01:00",
    guests: 12,
    amount: 18000,
    externalId,
    ...extra,
  });

  it("creates the booking and its customer once per externalId, however often it is retried", async () => {
    const { key } = await createKey("Booking site pushes");
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        call("bookings.create", { bearer: key, input: booking("site-1001") }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const ids = new Set(results.map((r) => data<{ booking: { id: string } }>(r.json).booking.id));
    expect(ids.size).toBe(1);
    const rows = await t.sql`select b.source, b.created_by_staff_id, c.email, c.total_bookings
      from bookings b join customers c on c.id = b.customer_id where b.external_ref = 'site-1001'`;
    expect(rows).toEqual([
      {
        source: "API",
        created_by_staff_id: null,
        email: "site.family@example.com",
        total_bookings: 1,
      },
    ]);
    const audit = await t.sql`select actor_type from audit_log where action = 'booking.created'
      and details->'after'->>'externalRef' = 'site-1001'`;
    expect(audit).toEqual([{ actor_type: "API_KEY" }]);
  });

  it("records the booking form's consent as pending with source BOOKING_FORM", async () => {
    const { key } = await createKey("Booking site consent");
    const r = await call("bookings.create", {
      bearer: key,
      input: booking("site-1002", { email: "consent.site@example.com", marketingConsent: true }),
    });
    expect(r.status).toBe(200);
    const [event] = await t.sql`select e.source, e.state from consent_events e
      join customers c on c.id = e.customer_id where c.email = 'consent.site@example.com'`;
    expect(event).toEqual({ source: "BOOKING_FORM", state: "PENDING" });
  });

  it("answers bad input with field messages and no booking", async () => {
    const { key } = await createKey("Booking site bad input");
    const r = await call("bookings.create", {
      bearer: key,
      input: booking("site-1003", { email: "not-an-email", guests: 0 }),
    });
    expect(r.status).toBe(400);
    expect(Object.keys(error(r.json).data.fieldErrors).sort()).toEqual(["email", "guests"]);
    const rows = await t.sql`select 1 from bookings where external_ref = 'site-1003'`;
    expect(rows).toHaveLength(0);
  });

  it("refuses a revoked key", async () => {
    const { key, apiKey } = await createKey("Booking site revoked");
    await call("apiKeys.revoke", { cookie: ownerCookie, input: { id: apiKey.id } });
    const r = await call("bookings.create", { bearer: key, input: booking("site-1004") });
    expect(r.status).toBe(401);
  });
});

describe("the audit log names the key that acted", () => {
  it("shows an API key's name as the actor of its bookings", async () => {
    const { key } = await createKey("Booking site audit");
    await call("bookings.create", {
      bearer: key,
      input: {
        email: "audit.name@example.com",
        type: "CAFE",
        scheduledAt: "2026-12-01T10:00:00Z",
        guests: 1,
        amount: 500,
        externalId: "site-audit-1",
      },
    });
    const r = await call("audit.list", {
      method: "GET",
      cookie: ownerCookie,
      input: { action: "booking.created", actorType: "API_KEY" },
    });
    const items = data<{ items: { actorName: string | null }[] }>(r.json).items;
    expect(items.map((i) => i.actorName)).toContain("Booking site audit");
  });
});
