import {
  generateApiKey,
  isAllowedOrigin,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  readCookie,
  roleHasPermission,
  STAFF_ROLES,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  sessionCookieName,
  validateApiKey,
} from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("isAllowedOrigin (CSRF)", () => {
  const app = "https://admin.xplorium.example";
  const h = (init: Record<string, string>) => new Headers(init);

  it("lets safe methods through whatever the headers say", () => {
    for (const m of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(isAllowedOrigin(m, h({ origin: "https://evil.example" }), app)).toBe(true);
    }
  });

  it("requires an exact Origin match for state-changing methods", () => {
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "post"]) {
      expect(isAllowedOrigin(m, h({ origin: app }), app)).toBe(true);
      expect(isAllowedOrigin(m, h({ origin: "https://evil.example" }), app)).toBe(false);
      expect(isAllowedOrigin(m, h({ origin: `${app}.evil.example` }), app)).toBe(false);
      expect(isAllowedOrigin(m, h({ origin: "http://admin.xplorium.example" }), app)).toBe(false);
      expect(isAllowedOrigin(m, h({ origin: "null" }), app)).toBe(false);
    }
  });

  it("prefers Origin over Sec-Fetch-Site", () => {
    expect(
      isAllowedOrigin(
        "POST",
        h({ origin: "https://evil.example", "sec-fetch-site": "same-origin" }),
        app,
      ),
    ).toBe(false);
  });

  it("falls back to Sec-Fetch-Site when there is no Origin", () => {
    expect(isAllowedOrigin("POST", h({ "sec-fetch-site": "same-origin" }), app)).toBe(true);
    expect(isAllowedOrigin("POST", h({ "sec-fetch-site": "same-site" }), app)).toBe(false);
    expect(isAllowedOrigin("POST", h({ "sec-fetch-site": "cross-site" }), app)).toBe(false);
    expect(isAllowedOrigin("POST", h({ "sec-fetch-site": "none" }), app)).toBe(false);
  });

  it("refuses header-less writes unless explicitly allowed", () => {
    expect(isAllowedOrigin("POST", h({}), app)).toBe(false);
    expect(isAllowedOrigin("POST", h({}), app, { allowHeaderless: true })).toBe(true);
    // allowHeaderless never overrides a wrong Origin.
    expect(
      isAllowedOrigin("POST", h({ origin: "https://evil.example" }), app, {
        allowHeaderless: true,
      }),
    ).toBe(false);
  });
});

describe("session cookies", () => {
  it("uses separate names per kind, __Host- prefixed when secure", () => {
    expect(sessionCookieName("STAFF", { secure: false })).toBe("xp_staff_session");
    expect(sessionCookieName("CUSTOMER", { secure: false })).toBe("xp_customer_session");
    expect(sessionCookieName("STAFF", { secure: true })).toBe("__Host-xp_staff_session");
    expect(sessionCookieName("CUSTOMER", { secure: true })).toBe("__Host-xp_customer_session");
  });

  it("is HttpOnly, SameSite=Lax, Path=/ and lives as long as the inactivity timeout", () => {
    const c = serializeSessionCookie("STAFF", "abc.def", { secure: false });
    const [pair, ...attrs] = c.split("; ");
    expect(pair).toBe("xp_staff_session=abc.def");
    expect(attrs).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=43200"]),
    );
    expect(attrs).not.toContain("Secure");
    const secure = serializeSessionCookie("CUSTOMER", "abc.def", { secure: true });
    expect(secure.split("; ")).toEqual(expect.arrayContaining(["Secure", "Max-Age=2592000"]));
    expect(secure.startsWith("__Host-xp_customer_session=abc.def;")).toBe(true);
  });

  it("clears with an empty value and Max-Age=0", () => {
    const c = serializeBlankSessionCookie("CUSTOMER", { secure: false });
    expect(c.startsWith("xp_customer_session=;")).toBe(true);
    expect(c).toContain("Max-Age=0");
    expect(c).toContain("HttpOnly");
  });

  it("reads one cookie out of a Cookie header", () => {
    const header = "theme=dark; xp_staff_session=aaa.bbb;xp_customer_session=ccc.ddd ; other=x%20y";
    expect(readCookie(header, "xp_staff_session")).toBe("aaa.bbb");
    expect(readCookie(header, "xp_customer_session")).toBe("ccc.ddd");
    expect(readCookie(header, "other")).toBe("x y");
    expect(readCookie(header, "missing")).toBeNull();
    expect(readCookie(header, "xp_staff")).toBeNull();
    expect(readCookie(null, "x")).toBeNull();
    expect(readCookie("", "x")).toBeNull();
    expect(readCookie("novalue; x=1", "novalue")).toBeNull();
  });
});

describe("role permissions", () => {
  it("OWNER has every permission; only OWNER manages staff", () => {
    for (const p of PERMISSIONS) expect(roleHasPermission("OWNER", p)).toBe(true);
    expect(STAFF_ROLES.filter((r) => roleHasPermission(r, "manage:staff"))).toEqual(["OWNER"]);
  });

  it("only OWNER manages API keys and security settings; MANAGER has everything else", () => {
    expect(STAFF_ROLES.filter((r) => roleHasPermission(r, "manage:apikey"))).toEqual(["OWNER"]);
    expect(STAFF_ROLES.filter((r) => roleHasPermission(r, "manage:security"))).toEqual(["OWNER"]);
    // manage:staff, manage:apikey and manage:security are the owner's alone.
    expect(ROLE_PERMISSIONS.MANAGER.size).toBe(PERMISSIONS.length - 3);
  });

  it("front desk cannot read revenue, marketing or the outbox; marketing cannot touch bookings or points", () => {
    for (const p of [
      "read:revenue",
      "read:marketing",
      "send:campaign",
      "read:outbox",
      "erase:customer",
      "export:customer",
    ] as const) {
      expect(roleHasPermission("FRONT_DESK", p)).toBe(false);
    }
    for (const p of [
      "write:booking",
      "adjust:points",
      "redeem:voucher",
      "read:revenue",
      "erase:customer",
    ] as const) {
      expect(roleHasPermission("MARKETING", p)).toBe(false);
    }
    expect(roleHasPermission("MARKETING", "read:outbox")).toBe(true);
    expect(roleHasPermission("FRONT_DESK", "redeem:voucher")).toBe(true);
  });
});

describe("API keys", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it("validates a stored key by prefix and hashed secret; revoked or altered keys fail", async () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^xp_[a-z2-9]{8}_[a-z2-9]{32}$/);
    const [row] = await t.db
      .insert(schema.apiKeys)
      .values({
        name: "Booking site",
        prefix: k.prefix,
        secretHash: k.secretHash,
        scopes: ["bookings:write"],
      })
      .returning();
    expect(await validateApiKey(t.db, k.key)).toEqual({
      type: "apiKey",
      apiKey: { id: row!.id, name: "Booking site", scopes: ["bookings:write"] },
    });
    const altered = `${k.key.slice(0, -1)}${k.key.endsWith("a") ? "b" : "a"}`;
    expect(await validateApiKey(t.db, altered)).toBeNull();
    expect(await validateApiKey(t.db, `${k.key}x`)).toBeNull();
    expect(await validateApiKey(t.db, "")).toBeNull();
    expect(await validateApiKey(t.db, `xp_${"a".repeat(8)}_${k.secret}`)).toBeNull();

    await t.db
      .update(schema.apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(schema.apiKeys.id, row!.id));
    expect(await validateApiKey(t.db, k.key)).toBeNull();
  });

  it("records last use at most once a minute, and only for a valid key", async () => {
    const k = generateApiKey();
    const [row] = await t.db
      .insert(schema.apiKeys)
      .values({ name: "Clock", prefix: k.prefix, secretHash: k.secretHash, scopes: [] })
      .returning();
    const lastUsed = async () =>
      (
        await t.db
          .select({ at: schema.apiKeys.lastUsedAt })
          .from(schema.apiKeys)
          .where(eq(schema.apiKeys.id, row!.id))
      )[0]!.at;
    expect(await lastUsed()).toBeNull();
    const wrongSecret = `${k.key.slice(0, -1)}${k.key.endsWith("a") ? "b" : "a"}`;
    expect(await validateApiKey(t.db, wrongSecret)).toBeNull();
    expect(await lastUsed()).toBeNull();

    const t0 = new Date("2030-01-01T10:00:00.000Z");
    await validateApiKey(t.db, k.key, t0);
    expect(await lastUsed()).toEqual(t0);
    await validateApiKey(t.db, k.key, new Date(t0.getTime() + 59_000));
    expect(await lastUsed()).toEqual(t0);
    const later = new Date(t0.getTime() + 60_000);
    await validateApiKey(t.db, k.key, later);
    expect(await lastUsed()).toEqual(later);
  });
});
