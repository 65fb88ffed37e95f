import { TRPCError } from "@trpc/server";
import { appRouter, createCaller, createContext } from "@xplorium/api";
import { adjustPoints, redeemReward } from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import { insertStaffActor } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPortalFamily, insertCatalogue } from "../../../tests/support/portal-fixture";
import { ledgerDrift } from "../../core/src/loyalty/ledger";
import { customerCookie, insertCustomer, useTrpcServers } from "./support";

/**
 * Customer B against customer A (issue 8 item 3): every procedure a signed-in portal customer
 * may call — found from the router, as the permission matrix does, so a new one without an
 * entry here fails — called by B with A's identifiers (customer id, voucher codes and ids,
 * booking ids, referral code, redeem idempotency key). B gets a refusal or B's own data, never
 * A's: each answer (and each error message) is searched for A's email, name, phone, id,
 * voucher codes and booking ids.
 */

const meta = { ip: "127.0.0.1", userAgent: "vitest", requestId: "isolation-test" };

const { t, env } = useTrpcServers({ apps: [] });
let A: Awaited<ReturnType<typeof buildPortalFamily>>;
let aPhone: string;
let aVoucherIds: string[];
let aVoucherCodes: string[];
let aRedeemKey: string;
let B: Awaited<ReturnType<typeof insertCustomer>>;
let catalogue: Awaited<ReturnType<typeof insertCatalogue>>;

beforeAll(async () => {
  catalogue = await insertCatalogue(t.db);
  A = await buildPortalFamily(t.db, env, catalogue);
  aPhone = "+381641234567";
  await t.db
    .update(schema.customers)
    .set({ phone: aPhone })
    .where(eq(schema.customers.id, A.family.id));
  aRedeemKey = crypto.randomUUID();
  const second = await redeemReward(
    { db: t.db, actor: { type: "customer", id: A.family.id }, meta },
    {
      customerId: A.family.id,
      rewardId: catalogue.beverage.id,
      idempotencyKey: aRedeemKey,
    },
  );
  aVoucherIds = [A.voucher.id, second.voucher.id];
  aVoucherCodes = [A.voucher.code, second.voucher.code];

  const b = await insertCustomer(t.db, { name: "Bojan Jovanović" });
  B = b;
  const staff = await insertStaffActor(t.db, { role: "MANAGER" });
  await adjustPoints(
    { db: t.db, actor: staff, meta },
    { customerId: b.id, delta: 3000, reason: "Test points" },
  );
});

/** Everything of A's that must never reach B. */
function needles(): string[] {
  const all: (string | null)[] = [
    A.family.email,
    A.family.name ?? "",
    aPhone,
    aPhone.slice(1),
    A.family.id,
    ...aVoucherCodes,
    ...aVoucherIds,
    ...Object.values(A.bookings).map((b) => b.id),
  ];
  return all.filter((s): s is string => !!s);
}

function leaksOf(value: unknown): string[] {
  const text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? "";
  const lower = text.toLowerCase();
  return needles().filter((n) => lower.includes(n.toLowerCase()));
}

async function callerForB(cookieFor = B.id) {
  const { cookie } = await customerCookie(t.db, cookieFor);
  const ctx = await createContext({
    db: t.db,
    env,
    app: "portal",
    request: new Request(new URL("/api/trpc", env.PORTAL_URL), {
      headers: { cookie, "user-agent": "vitest" },
    }),
    resHeaders: new Headers(),
    ip: "10.9.8.7",
    requestId: "isolation-test",
  });
  return createCaller(ctx);
}

function procedureAt(caller: unknown, path: string): (input?: unknown) => Promise<unknown> {
  let node = caller as Record<string, unknown>;
  for (const segment of path.split(".")) node = node[segment] as Record<string, unknown>;
  return node as unknown as (input?: unknown) => Promise<unknown>;
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

async function callAsB(path: string, input: unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await procedureAt(await callerForB(), path)(input) };
  } catch (e) {
    if (e instanceof TRPCError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

/**
 * Input B sends to each customer-callable procedure: A's identifiers wherever an input takes
 * one. `expect` says what B must get: a refusal, or an answer that is B's own.
 */
type Case = {
  input: () => unknown;
  /** "refused": an error, or a link page's `{ status: "invalid" }` answer. */
  expect: "refused" | "own" | "either";
  /** An extra check on a successful answer. */
  check?: (value: unknown) => void | Promise<void>;
};
const CASES: Record<string, Case> = {
  "auth.customer.requestCode": { input: () => ({ email: A.family.email }), expect: "either" },
  "auth.customer.verifyCode": {
    input: () => ({ email: A.family.email, code: "000000" }),
    expect: "refused",
  },
  "auth.customer.verifyLink": { input: () => ({ token: A.family.id }), expect: "refused" },
  "auth.customer.signUpLink": { input: () => ({ token: A.family.id }), expect: "refused" },
  "auth.customer.signUp": { input: () => ({ ticket: A.family.id, name: "X" }), expect: "refused" },
  "auth.me": {
    input: () => undefined,
    expect: "own",
    check: (v) => expect(JSON.stringify(v)).toContain(B.id),
  },
  "auth.signOut": { input: () => undefined, expect: "own" },
  "auth.signOutEverywhere": { input: () => undefined, expect: "own" },
  "portal.me": {
    input: () => undefined,
    expect: "own",
    check: (v) => expect(JSON.stringify(v)).toContain(B.email),
  },
  "portal.summary": { input: () => undefined, expect: "own" },
  "portal.bookings": { input: () => ({ page: 1 }), expect: "own" },
  "portal.points": { input: () => ({ page: 1 }), expect: "own" },
  "portal.voucher": { input: () => ({ code: A.voucher.code }), expect: "refused" },
  "portal.programme": { input: () => undefined, expect: "own" },
  "portal.profile": {
    input: () => undefined,
    expect: "own",
    check: (v) => expect(JSON.stringify(v)).toContain(B.email),
  },
  "portal.updateProfile": {
    input: () => ({ name: "Bojan J. Updated", customerId: A.family.id, email: A.family.email }),
    expect: "either",
  },
  "portal.privacy": { input: () => undefined, expect: "own" },
  "portal.setConsent": {
    input: () => ({ channel: "EMAIL", granted: true, customerId: A.family.id }),
    expect: "own",
  },
  "portal.exportData": {
    input: () => ({ customerId: A.family.id }),
    expect: "own",
    check: (v) => expect(JSON.stringify(v)).toContain(B.email),
  },
  "portal.deleteAccount": {
    // A's email as the confirmation: the erasure is B's own account or nothing.
    input: () => ({ confirmation: A.family.email, customerId: A.family.id }),
    expect: "refused",
  },
  "referrals.mine": {
    input: () => undefined,
    expect: "own",
    check: (v) => expect(JSON.stringify(v)).toContain(B.referralCode ?? "-"),
  },
  // Using A's referral code is the feature; the answer names A by first name and initial only.
  "referrals.applyCode": { input: () => ({ code: A.family.referralCode }), expect: "either" },
  "rewards.list": { input: () => undefined, expect: "own" },
  "rewards.redeem": {
    input: () => ({
      customerId: A.family.id,
      rewardId: catalogue.beverage.id,
      idempotencyKey: aRedeemKey,
    }),
    expect: "own",
    check: async (v) => {
      const { voucher } = v as { voucher: { id: string } };
      expect(aVoucherIds).not.toContain(voucher.id);
      const [row] = await t.db
        .select({ customerId: schema.vouchers.customerId })
        .from(schema.vouchers)
        .where(eq(schema.vouchers.id, voucher.id));
      expect(row?.customerId).toBe(B.id);
    },
  },
  "vouchers.listForCustomer": {
    input: () => ({ customerId: A.family.id }),
    expect: "own",
    check: (v) => {
      for (const row of v as { customerId?: string }[]) {
        if (row.customerId !== undefined) expect(row.customerId).toBe(B.id);
      }
    },
  },
  "consent.preview": { input: () => ({ token: A.family.id }), expect: "refused" },
  "consent.confirm": { input: () => ({ token: A.family.id }), expect: "refused" },
  "consent.unsubscribePreview": { input: () => ({ token: A.family.id }), expect: "refused" },
  "consent.unsubscribe": { input: () => ({ token: A.family.referralCode }), expect: "refused" },
};

const REFUSALS = ["NOT_FOUND", "FORBIDDEN", "BAD_REQUEST", "UNAUTHORIZED", "CONFLICT"];

/** Procedures a signed-in customer gets past authentication and authorisation for. */
async function customerCallable(): Promise<string[]> {
  const paths = Object.keys(
    (appRouter._def as { procedures: Record<string, unknown> }).procedures,
  ).sort();
  const out: string[] = [];
  for (const path of paths) {
    // A throwaway customer, so sign-out and deletion touch nobody in the test.
    const probe = await insertCustomer(t.db);
    try {
      await procedureAt(await callerForB(probe.id), path)({});
      out.push(path);
    } catch (e) {
      if (!(e instanceof TRPCError)) throw e;
      if (!["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"].includes(e.code)) out.push(path);
    }
  }
  return out;
}

/** A snapshot of A's rows that B's calls must leave alone. */
async function snapshotOfA() {
  const [customer] = await t.db
    .select()
    .from(schema.customers)
    .where(eq(schema.customers.id, A.family.id));
  const vouchers = await t.db
    .select({ id: schema.vouchers.id, status: schema.vouchers.status })
    .from(schema.vouchers)
    .where(eq(schema.vouchers.customerId, A.family.id));
  const sessions = await t.db
    .select({ id: schema.sessions.id })
    .from(schema.sessions)
    .where(eq(schema.sessions.customerId, A.family.id));
  return {
    customer: { ...customer, updatedAt: undefined },
    vouchers: vouchers.sort((x, y) => x.id.localeCompare(y.id)),
    sessions: sessions.length,
  };
}

describe("customer B with customer A's identifiers", () => {
  let callable: string[];
  let before: Awaited<ReturnType<typeof snapshotOfA>>;

  beforeAll(async () => {
    // A is signed in somewhere: B signing out "everywhere" must not end A's session.
    await customerCookie(t.db, A.family.id);
    callable = await customerCallable();
    before = await snapshotOfA();
  });

  it("covers exactly the procedures a signed-in customer may call", () => {
    expect(callable.length).toBeGreaterThan(10);
    expect(Object.keys(CASES).sort()).toEqual(callable);
  });

  it.each(Object.keys(CASES).sort())("%s", async (path) => {
    const c = CASES[path]!;
    const outcome = await callAsB(path, c.input());
    if (outcome.ok) {
      if (c.expect === "refused") {
        expect(outcome.value, `${path} answered where a refusal was due`).toMatchObject({
          status: "invalid",
        });
      }
      expect(leaksOf(outcome.value)).toEqual([]);
      await c.check?.(outcome.value);
    } else {
      expect(c.expect, `${path}: ${outcome.code} ${outcome.message}`).not.toBe("own");
      expect(REFUSALS).toContain(outcome.code);
      expect(leaksOf(outcome.message)).toEqual([]);
    }
  });

  it("left A's customer row, vouchers and sessions as they were, and the ledger balanced", async () => {
    expect(await snapshotOfA()).toEqual(before);
    expect(await ledgerDrift(t.db)).toEqual([]);
  });
});
