import { TRPCError } from "@trpc/server";
import { createCaller, createContext } from "@xplorium/api";
import type { StaffRole } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { setVip } from "@xplorium/core/loyalty";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  customerCookie,
  insertCustomer,
  insertStaff,
  staffCookie,
  testEnv,
  unique,
} from "./support";

/**
 * Referrals and the loyalty read procedures through real callers with real sessions: the
 * customer's own referral card and code entry on the portal, staff entering a code on a
 * customer's behalf, the rules summary and a customer's tier history.
 */

let t: TestDatabase;
let env: Env;

beforeAll(async () => {
  t = await createTestDatabase();
  env = testEnv(t.url, {
    PORTAL_URL: "https://my.xplorium.example",
    POINTS_EXPIRY_MONTHS: "18",
    POINTS_EXPIRY_WARNING_DAYS: "21",
  });
});
afterAll(async () => {
  await t.drop();
});

async function callerWith(app: "admin" | "portal", cookie: string) {
  const ctx = await createContext({
    db: t.db,
    env,
    app,
    request: new Request(new URL("/api/trpc", app === "admin" ? env.ADMIN_URL : env.PORTAL_URL), {
      headers: { cookie },
    }),
    resHeaders: new Headers(),
    ip: "127.0.0.1",
    requestId: "referrals-api-test",
  });
  return createCaller(ctx);
}
const portal = async (customerId: string) =>
  callerWith("portal", (await customerCookie(t.db, customerId)).cookie);
async function admin(role: StaffRole) {
  const staff = await insertStaff(t.db, { role });
  return { api: await callerWith("admin", (await staffCookie(t.db, staff.id)).cookie), staff };
}
const newCustomer = (name = "Parent Name") =>
  insertCustomer(t.db, { email: `p-${unique()}@example.com`, name });

/** The error a call failed with: tRPC code, message and per-field messages. */
async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const cause = e.cause as { fieldErrors?: Record<string, string[]> } | undefined;
    return { code: e.code, message: e.message, fieldErrors: cause?.fieldErrors };
  }
  throw new Error("expected the call to fail");
}

describe("referrals on the portal", () => {
  it("shows the signed-in customer's own code and share link, and lets them enter a friend's", async () => {
    const referrer = await newCustomer("Mila Jović");
    const me = await newCustomer("Ana Petrović");
    const api = await portal(me.id);

    const card = await api.referrals.mine();
    expect(card).toMatchObject({
      code: me.referralCode,
      shareUrl: `https://my.xplorium.example/join?ref=${me.referralCode}`,
      friends: [],
      canApplyCode: true,
    });

    expect(await api.referrals.applyCode({ code: referrer.referralCode.toLowerCase() })).toEqual({
      changed: true,
      referrer: { displayName: "Mila J." },
    });
    expect(await (await portal(referrer.id)).referrals.mine()).toMatchObject({
      friendsCount: 1,
      friends: [{ displayName: "Ana P.", earned: false }],
    });
    expect(await api.referrals.mine()).toMatchObject({ canApplyCode: false, referred: true });
  });

  it("explains each refusal, with the message on the code field", async () => {
    const me = await newCustomer();
    const api = await portal(me.id);
    expect(await failure(api.referrals.applyCode({ code: "   " }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await failure(api.referrals.applyCode({ code: "XPNOPE99" }))).toEqual({
      code: "BAD_REQUEST",
      message: "No customer has that referral code.",
      fieldErrors: { code: ["No customer has that referral code."] },
    });
    expect(await failure(api.referrals.applyCode({ code: me.referralCode }))).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("own referral code"),
    });
    const first = await newCustomer();
    const second = await newCustomer();
    await api.referrals.applyCode({ code: first.referralCode });
    expect(await failure(api.referrals.applyCode({ code: second.referralCode }))).toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("already referred"),
      fieldErrors: { code: [expect.stringContaining("already referred")] },
    });
  });
});

describe("referrals.applyCodeFor (staff on a customer's behalf)", () => {
  it("links the customer, audited as the staff member", async () => {
    const referrer = await newCustomer();
    const walkIn = await newCustomer();
    const { api, staff } = await admin("FRONT_DESK");
    expect(
      await api.referrals.applyCodeFor({ customerId: walkIn.id, code: referrer.referralCode }),
    ).toMatchObject({ changed: true });
    const [audit] = await t.sql`select actor_type, actor_id from audit_log
      where entity_id = ${walkIn.id} and action = 'customer.referral_applied'`;
    expect(audit).toEqual({ actor_type: "STAFF", actor_id: staff.id });
  });

  it("is not open to roles without write:customer", async () => {
    const { api } = await admin("MARKETING");
    const c = await newCustomer();
    expect(
      await failure(api.referrals.applyCodeFor({ customerId: c.id, code: c.referralCode })),
    ).toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("loyalty.rules and loyalty.tierHistory", () => {
  it("summarises the rules, tiers and the expiry setting", async () => {
    const { api } = await admin("FRONT_DESK");
    const rules = await api.loyalty.rules();
    expect(rules.earning).toEqual({
      bookingCompleted: 100,
      partyBooking: 200,
      birthdayMultiplier: 2,
      birthdayLockDays: 30,
      referral: 50,
      referralsPerReferrerPerMonth: 5,
      reviewPosted: 25,
    });
    expect(rules.tiers).toEqual([
      { tier: "BRONZE", min: 0, max: 999 },
      { tier: "SILVER", min: 1000, max: 2999 },
      { tier: "GOLD", min: 3000, max: 5999 },
      { tier: "PLATINUM", min: 6000, max: null },
    ]);
    // On in the configuration, but the job has not run yet.
    expect(rules.expiry).toEqual({ enabled: true, months: 18, warningDays: 21, enabledAt: null });
    expect(rules.ledgerCheck).toBeNull();
  });

  it("lists a customer's tier changes, newest first, with who made them", async () => {
    const c = await newCustomer();
    const { api, staff } = await admin("MANAGER");
    await api.loyalty.adjustPoints({ customerId: c.id, delta: 1200, reason: "Opening bonus" });
    await setVip(
      {
        db: t.db,
        actor: { type: "staff", id: staff.id, role: "MANAGER" },
        meta: { ip: null, userAgent: null, requestId: null },
      },
      { customerId: c.id, vip: true, reason: "Founding family" },
    );
    const history = await api.loyalty.tierHistory({ customerId: c.id });
    expect(history.tiers.map((x) => x.tier)).toEqual(["BRONZE", "SILVER", "GOLD", "PLATINUM"]);
    expect(
      history.changes.map(({ fromTier, toTier, reason, staffName }) => ({
        fromTier,
        toTier,
        reason,
        staffName,
      })),
    ).toEqual([
      { fromTier: "SILVER", toTier: "VIP", reason: "Founding family", staffName: staff.name },
      {
        fromTier: "BRONZE",
        toTier: "SILVER",
        reason: "points: MANUAL_ADJUSTMENT",
        staffName: staff.name,
      },
    ]);
    expect(
      await failure(
        api.loyalty.tierHistory({ customerId: "00000000-0000-4000-8000-000000000000" }),
      ),
    ).toMatchObject({ code: "NOT_FOUND" });
  });
});
