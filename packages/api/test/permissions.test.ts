import { TRPCError } from "@trpc/server";
import { type AppName, appRouter, createCaller, createContext } from "@xplorium/api";
import { STAFF_ROLES, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { beforeAll, describe, expect, it } from "vitest";
import {
  customerCookie,
  insertBookingSiteKey,
  insertCustomer,
  insertStaff,
  staffCookie,
  useTrpcServers,
} from "./support";

/**
 * The permission matrix of every tRPC procedure. "ok" means the request got past
 * authentication and authorisation (it may still fail validation: BAD_REQUEST counts as ok).
 * A procedure added to the router without a row here fails this test on purpose.
 */
type Outcome = "ok" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";

const PRINCIPALS = [
  "anonymous@admin",
  "anonymous@portal",
  "customer@portal",
  "OWNER@admin",
  "MANAGER@admin",
  "FRONT_DESK@admin",
  "MARKETING@admin",
  "staffCookie@portal",
  "customerCookie@admin",
  "apiKey@admin",
] as const;
type PrincipalName = (typeof PRINCIPALS)[number];

const ok = "ok" as const;
const U = "UNAUTHORIZED" as const;
const F = "FORBIDDEN" as const;
const N = "NOT_FOUND" as const;

// biome-ignore format: the table reads best aligned
const EXPECTED: Record<string, Record<PrincipalName, Outcome>> = {
  //                              anon@admin anon@portal customer OWNER MANAGER FRONT_DESK MARKETING staff@portal customer@admin apiKey
  "auth.staff.signIn":           row(ok,     N,          N,       ok,   ok,     ok,        ok,       N,           ok,            ok),
  "auth.staff.confirmPassword":  row(U,      N,          N,       ok,   ok,     ok,        ok,       N,           U,             U),
  "auth.staff.changePassword":   row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "auth.staff.requestPasswordReset": row(ok, N,          N,       ok,   ok,     ok,        ok,       N,           ok,            ok),
  "auth.staff.checkPasswordReset": row(ok,   N,          N,       ok,   ok,     ok,        ok,       N,           ok,            ok),
  "auth.staff.resetPassword":    row(ok,     N,          N,       ok,   ok,     ok,        ok,       N,           ok,            ok),
  "auth.customer.requestCode":   row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "auth.customer.verifyCode":    row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "auth.customer.verifyLink":    row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "auth.customer.signUpLink":    row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "auth.customer.signUp":        row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "auth.signOut":                row(U,      U,          ok,      ok,   ok,     ok,        ok,       U,           U,             U),
  "auth.signOutEverywhere":      row(U,      U,          ok,      ok,   ok,     ok,        ok,       U,           U,             U),
  "auth.me":                     row(ok,     ok,         ok,      ok,   ok,     ok,        ok,       ok,          ok,            ok),
  "staff.list":                  row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "staff.create":                row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "staff.update":                row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "portal.me":                   row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.summary":              row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.bookings":             row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.points":               row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.voucher":              row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.programme":            row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "outbox.list":                 row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "customers.list":              row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "customers.count":             row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "audit.list":                  row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "customers.addTag":            row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.removeTag":         row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.setNotes":          row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.tagSuggestions":    row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "customers.byId":              row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "customers.upsert":            row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.update":            row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.timeline":          row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "bookings.list":               row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "bookings.create":             row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             ok),
  "bookings.setStatus":          row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "bookings.recordReview":       row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.duplicates":        row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "customers.mergePreview":      row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "customers.merge":             row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "loyalty.adjustPoints":        row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "loyalty.setVip":              row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "apiKeys.list":                row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "apiKeys.create":              row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "apiKeys.revoke":              row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "apiKeys.whoami":              row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             ok),
  "customers.setConsent":        row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "customers.consentHistory":    row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "consent.preview":             row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "consent.confirm":             row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "consent.unsubscribePreview":  row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "consent.unsubscribe":         row(N,      ok,         ok,      N,    N,      N,         N,        ok,          N,             N),
  "customers.syncFromBookings":  row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "customers.syncStatus":        row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "referrals.mine":              row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "referrals.applyCode":         row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "referrals.applyCodeFor":      row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "loyalty.rules":               row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "loyalty.tierHistory":         row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "rewards.list":                row(U,      U,          ok,      ok,   ok,     ok,        ok,       U,           U,             U),
  "rewards.create":              row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "rewards.update":              row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "rewards.redeem":              row(U,      U,          ok,      ok,   ok,     ok,        F,        U,           U,             U),
  "vouchers.lookup":             row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "vouchers.recent":             row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "vouchers.markUsed":           row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "vouchers.cancel":             row(U,      U,          U,       ok,   ok,     ok,        F,        U,           U,             U),
  "vouchers.listForCustomer":    row(U,      U,          ok,      ok,   ok,     ok,        F,        U,           U,             U),
  "portal.profile":              row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.updateProfile":        row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.privacy":              row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.setConsent":           row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.exportData":           row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "portal.deleteAccount":        row(U,      U,          ok,      U,    U,      U,         U,        U,           U,             U),
  "customers.exportData":        row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "customers.erase":             row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "customers.privacyRequests":   row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "marketing.list":              row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.list":               row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.get":                row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.create":             row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.update":             row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.duplicate":          row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.delete":             row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.count":              row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "segments.preview":            row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "tracking.report":             row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "tracking.settings":           row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "tracking.updateSettings":     row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "automations.list":            row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "automations.preview":         row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "automations.update":          row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "automations.setEnabled":      row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "automations.runNow":          row(U,      U,          U,       ok,   ok,     F,         F,        U,           U,             U),
  "automations.log":             row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.list":              row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.byId":              row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.create":            row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.update":            row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.preview":           row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.sendTest":          row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.schedule":          row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.sendNow":           row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.cancel":            row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "campaigns.progress":          row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "analytics.dashboard":         row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "analytics.charts":            row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "analytics.rfmSegments":       row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "analytics.churnList":         row(U,      U,          U,       ok,   ok,     F,         ok,       U,           U,             U),
  "analytics.customerAnalytics": row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  // Staff two-factor sign-in: the second step is anonymous (after the password); the rest is the
  // member's own, whatever the role; resetting another's and the venue's rule are the owner's.
  "auth.staff.verifyTwoFactor":  row(ok,     N,          N,       ok,   ok,     ok,        ok,       N,           ok,            ok),
  "twoFactor.status":            row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "twoFactor.start":             row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "twoFactor.confirm":           row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "twoFactor.regenerateRecoveryCodes": row(U, U,         U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "twoFactor.disable":           row(U,      U,          U,       ok,   ok,     ok,        ok,       U,           U,             U),
  "twoFactor.reset":             row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "security.settings":           row(U,      U,          U,       ok,   F,      F,         F,        U,           U,             U),
  "security.setRequireTwoFactor": row(U,     U,          U,       ok,   F,      F,         F,        U,           U,             U),
};

/** What auth.me reports for each principal: a cookie of the other app is never honoured. */
const EXPECTED_ME: Record<PrincipalName, "anonymous" | "staff" | "customer"> = {
  "anonymous@admin": "anonymous",
  "anonymous@portal": "anonymous",
  "customer@portal": "customer",
  "OWNER@admin": "staff",
  "MANAGER@admin": "staff",
  "FRONT_DESK@admin": "staff",
  "MARKETING@admin": "staff",
  "staffCookie@portal": "anonymous",
  "customerCookie@admin": "anonymous",
  "apiKey@admin": "anonymous",
};

function row(...outcomes: Outcome[]): Record<PrincipalName, Outcome> {
  if (outcomes.length !== PRINCIPALS.length)
    throw new Error("matrix row has the wrong number of columns");
  return Object.fromEntries(PRINCIPALS.map((p, i) => [p, outcomes[i]!])) as Record<
    PrincipalName,
    Outcome
  >;
}

const { t, env } = useTrpcServers({ apps: [] });
const staffIds = {} as Record<StaffRole, string>;
let customerId: string;
let apiKey: string;

beforeAll(async () => {
  for (const role of STAFF_ROLES) staffIds[role] = (await insertStaff(t.db, { role })).id;
  customerId = (await insertCustomer(t.db)).id;
  apiKey = await insertBookingSiteKey(t.db);
});

/** A real request for the principal, with a freshly created real session (sign-out cells end theirs). */
async function requestFor(principal: PrincipalName): Promise<{ app: AppName; headers: Headers }> {
  const [who, app] = principal.split("@") as [string, AppName];
  const headers = new Headers({ "user-agent": "vitest" });
  if (who === "customer") headers.set("cookie", (await customerCookie(t.db, customerId)).cookie);
  else if ((STAFF_ROLES as readonly string[]).includes(who)) {
    headers.set("cookie", (await staffCookie(t.db, staffIds[who as StaffRole])).cookie);
  } else if (who === "staffCookie") {
    // A staff token under both cookie names: the portal must not accept it either way.
    const { token } = await staffCookie(t.db, staffIds.OWNER);
    headers.set(
      "cookie",
      `${sessionCookieName("STAFF", { secure: false })}=${token}; ${sessionCookieName("CUSTOMER", { secure: false })}=${token}`,
    );
  } else if (who === "customerCookie") {
    const { token } = await customerCookie(t.db, customerId);
    headers.set(
      "cookie",
      `${sessionCookieName("CUSTOMER", { secure: false })}=${token}; ${sessionCookieName("STAFF", { secure: false })}=${token}`,
    );
  } else if (who === "apiKey") headers.set("authorization", `Bearer ${apiKey}`);
  return { app, headers };
}

async function callerFor(principal: PrincipalName) {
  const { app, headers } = await requestFor(principal);
  const url = app === "admin" ? env.ADMIN_URL : env.PORTAL_URL;
  const ctx = await createContext({
    db: t.db,
    env,
    app,
    request: new Request(new URL("/api/trpc", url), { headers }),
    resHeaders: new Headers(),
    ip: "127.0.0.1",
    requestId: "perm-test",
  });
  return { caller: createCaller(ctx), ctx };
}

function procedureAt(caller: unknown, path: string): (input?: unknown) => Promise<unknown> {
  let node = caller as Record<string, unknown>;
  for (const segment of path.split(".")) node = node[segment] as Record<string, unknown>;
  return node as unknown as (input?: unknown) => Promise<unknown>;
}

async function outcomeOf(path: string, principal: PrincipalName): Promise<string> {
  const { caller } = await callerFor(principal);
  try {
    // Empty input: any procedure that takes input fails validation after the auth checks.
    await procedureAt(caller, path)({});
    return "ok";
  } catch (e) {
    if (!(e instanceof TRPCError)) return `threw ${String(e)}`;
    if (e.code === "BAD_REQUEST") return "ok";
    return e.code;
  }
}

const procedures = Object.keys(
  (appRouter._def as { procedures: Record<string, unknown> }).procedures,
).sort();

describe("permission matrix", () => {
  it("covers exactly the procedures of appRouter", () => {
    expect(procedures.length).toBeGreaterThan(0);
    expect(Object.keys(EXPECTED).sort()).toEqual(procedures);
  });

  it.each(procedures)("%s", async (path) => {
    const actual: Record<string, string> = {};
    for (const principal of PRINCIPALS) actual[principal] = await outcomeOf(path, principal);
    expect(actual).toEqual(EXPECTED[path] ?? "missing from the EXPECTED table");
  });

  it("auth.me reports only the principal of the app's own cookie", async () => {
    const actual: Record<string, string> = {};
    for (const principal of PRINCIPALS) {
      const { caller } = await callerFor(principal);
      actual[principal] = (await caller.auth.me()).type;
    }
    expect(actual).toEqual(EXPECTED_ME);
  });

  it("a staff member's permissions in auth.me match the role", async () => {
    const { caller } = await callerFor("FRONT_DESK@admin");
    const me = await caller.auth.me();
    expect(me.type).toBe("staff");
    if (me.type !== "staff") return;
    expect(me.staff.role).toBe("FRONT_DESK");
    expect(me.permissions).toContain("redeem:voucher");
    expect(me.permissions).not.toContain("manage:staff");
    expect(me.permissions).not.toContain("read:outbox");
  });

  it("a disabled staff member is anonymous and cannot reach staff procedures", async () => {
    const disabled = await insertStaff(t.db, { role: "OWNER" });
    const { cookie } = await staffCookie(t.db, disabled.id);
    await t.sql`update staff_users set disabled_at = now() where id = ${disabled.id}`;
    const ctx = await createContext({
      db: t.db,
      env,
      app: "admin",
      request: new Request(new URL("/api/trpc", env.ADMIN_URL), { headers: { cookie } }),
      resHeaders: new Headers(),
    });
    expect(ctx.principal).toEqual({ type: "anonymous" });
    await expect(createCaller(ctx).staff.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
