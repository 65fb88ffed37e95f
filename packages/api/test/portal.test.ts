import type { Env } from "@xplorium/config";
import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildPortalFamily, insertCatalogue } from "../../../tests/support/portal-fixture";
import { ledgerDrift, postPoints } from "../../core/src/loyalty/ledger";
import { customerCookie, insertCustomer, startTrpcServer, testEnv, unique } from "./support";
import { trpcHttp, trpcResult } from "./trpc-http";

/**
 * The portal's own procedures over real HTTP (the same-origin guard and the tRPC fetch handler)
 * against a real database: the home summary on a family built by hand, history pagination, and
 * that a customer only ever sees their own data, whatever ids they send.
 */

let t: TestDatabase;
let env: Env;
let portal: { url: string; close: () => Promise<void> };
let catalogue: Awaited<ReturnType<typeof insertCatalogue>>;
let fixture: Awaited<ReturnType<typeof buildPortalFamily>>;
let cookie: string;

beforeAll(async () => {
  t = await createTestDatabase();
  env = testEnv(t.url);
  portal = await startTrpcServer(t.db, env, "portal", { edge: true });
  catalogue = await insertCatalogue(t.db);
  fixture = await buildPortalFamily(t.db, env, catalogue);
  cookie = (await customerCookie(t.db, fixture.family.id)).cookie;
});
afterEach(async () => {
  expect(await ledgerDrift(t.db)).toEqual([]);
});
afterAll(async () => {
  await portal?.close();
  await t?.drop();
});

interface Answer<T> {
  status: number;
  data: T;
  error?: { message: string; data: { code: string } };
  raw: string;
  setCookie: string[];
}

/** One tRPC call as the portal's browser makes it (its cookie, its Origin). */
async function call<T = unknown>(
  path: string,
  input: unknown,
  opts: { cookie?: string | null; method?: "GET" | "POST"; ip?: string } = {},
): Promise<Answer<T>> {
  const method = opts.method ?? "GET";
  const headers: Record<string, string> = { origin: new URL(env.PORTAL_URL).origin };
  const c = opts.cookie === undefined ? cookie : opts.cookie;
  if (c) headers.cookie = c;
  if (opts.ip) headers["x-test-ip"] = opts.ip;
  const r = await trpcHttp(portal.url, path, { method, input, headers });
  const { data, error } = trpcResult<Answer<T>["error"], T>(r.json);
  return {
    status: r.status,
    data: data as T,
    ...(error ? { error } : {}),
    raw: r.text,
    setCookie: r.res.headers.getSetCookie(),
  };
}

interface Summary {
  customer: { id: string; tier: string; balance: number; lifetimePoints: number };
  progress: {
    floor: number;
    value: number;
    max: number;
    next: { tier: string; min: number; pointsNeeded: number } | null;
  };
  waysToEarn: { key: string; points: string }[];
  rewards: {
    affordableCount: number;
    affordable: { id: string; name: string; pointsCost: number }[];
    next: { id: string; pointsShort: number } | null;
  };
  vouchersReady: number;
  recentPoints: { id: string; delta: number; label: string; detail: string | null }[];
  recentBookings: { id: string; type: string; status: string }[];
}

interface Page<T> {
  items: T[];
  nextCursor: { at: string; id: string } | null;
}

describe("portal.summary", () => {
  it("adds up the hand-built family: tier, balance, progress, rewards, activity", async () => {
    const { status, data: s } = await call<Summary>("portal.summary", undefined);
    expect(status).toBe(200);
    expect(s.customer).toMatchObject({
      id: fixture.family.id,
      tier: "SILVER",
      balance: 1250,
      lifetimePoints: 2350,
    });
    // "650 points to Gold", from TIER_THRESHOLDS: SILVER starts at 1,000, GOLD at 3,000.
    expect(s.progress).toEqual({
      floor: 1000,
      value: 1350,
      max: 2000,
      next: { tier: "GOLD", min: 3000, pointsNeeded: 650 },
    });
    expect(s.rewards.affordable.map((r) => r.id)).toEqual([
      catalogue.beverage.id,
      catalogue.discount.id,
    ]);
    expect(s.rewards.affordableCount).toBe(2);
    // The private hour is out of stock: the next one to aim for is the party add-on.
    expect(s.rewards.next).toMatchObject({ id: catalogue.addOn.id, pointsShort: 1250 });
    expect(s.vouchersReady).toBe(1);
    expect(s.waysToEarn.map((w) => [w.key, w.points])).toEqual([
      ["visit", "+100"],
      ["party", "+200"],
      ["birthday", "×2"],
      ["referral", "+50"],
      ["review", "+25"],
    ]);
    expect(s.recentPoints.map((p) => [p.label, p.delta])).toEqual([
      ["Points expired", -100],
      [expect.stringMatching(/^Reward: 10% discount/), -1000],
      ["Adjustment by the Xplorium team", 1800],
      ["Café visit", 100],
      // The party award and the referral bonus share one transaction (one timestamp).
      expect.anything(),
    ]);
    expect(s.recentPoints[2]!.detail).toBe("Goodwill for the broken slide");
    expect(s.recentPoints[0]!.detail).toBe("No completed booking for 12 months.");
    expect(s.recentBookings.map((b) => [b.id, b.status])).toEqual([
      [fixture.bookings.upcoming.id, "PENDING"],
      [fixture.bookings.cafe.id, "COMPLETED"],
      [fixture.bookings.party.id, "COMPLETED"],
    ]);
  });

  it("says VIP has no next tier, and a new customer is on the way to Silver", async () => {
    const vip = await insertCustomer(t.db);
    await t.db
      .update(schema.customers)
      .set({ loyaltyTier: "VIP" })
      .where(eq(schema.customers.id, vip.id));
    const asVip = await call<Summary>("portal.summary", undefined, {
      cookie: (await customerCookie(t.db, vip.id)).cookie,
    });
    expect(asVip.data.progress.next).toBeNull();
    const fresh = await insertCustomer(t.db);
    const asNew = await call<Summary>("portal.summary", undefined, {
      cookie: (await customerCookie(t.db, fresh.id)).cookie,
    });
    expect(asNew.data.progress).toEqual({
      floor: 0,
      value: 0,
      max: 1000,
      next: { tier: "SILVER", min: 1000, pointsNeeded: 1000 },
    });
    expect(asNew.data.rewards.affordable).toEqual([]);
    expect(asNew.data.recentPoints).toEqual([]);
  });
});

describe("portal.points and portal.bookings", () => {
  it("name every reason the way a customer reads it", async () => {
    const { data } = await call<Page<{ label: string; detail: string | null; reason: string }>>(
      "portal.points",
      { limit: 50 },
    );
    const byReason = Object.fromEntries(data.items.map((r) => [r.reason, r]));
    expect(byReason.BOOKING_COMPLETED?.label ?? "").toBe("Party booking · Birthday month ×2");
    expect(byReason.REFERRAL_REFEREE).toMatchObject({
      label: "Referral bonus",
      detail: "Welcome! You joined through a friend.",
    });
    expect(byReason.REDEMPTION?.label).toBe(`Reward: ${catalogue.discount.name}`);
    expect(byReason.REDEMPTION?.detail).toBe(`Voucher ${fixture.voucher.code}`);
    expect(data.items).toHaveLength(6);

    // The referrer sees the bonus their friend's first visit brought, not the friend's booking.
    const asReferrer = await call<Page<{ label: string; detail: string }>>(
      "portal.points",
      undefined,
      { cookie: (await customerCookie(t.db, fixture.referrer.id)).cookie },
    );
    expect(asReferrer.data.items).toEqual([
      expect.objectContaining({
        label: "Referral bonus",
        detail: "A friend you invited completed their first visit.",
      }),
    ]);
  });

  it("pages through points and bookings with no gaps or duplicates, ties included", async () => {
    const c = await insertCustomer(t.db);
    // 3 transactions of 15 rows: every row of a transaction has the same created_at.
    for (let batch = 0; batch < 3; batch++) {
      await t.db.transaction(async (tx) => {
        for (let i = 0; i < 15; i++) {
          await postPoints(tx, {
            customerId: c.id,
            delta: 10,
            reason: "MANUAL_ADJUSTMENT",
            note: `row ${batch}-${i}`,
            idempotencyKey: `page:${c.id}:${batch}:${i}`,
          });
        }
      });
    }
    // 25 bookings, five of them at the very same moment.
    const same = new Date("2026-03-03T10:00:00.123456Z");
    await t.db.insert(schema.bookings).values(
      Array.from({ length: 25 }, (_, i) => ({
        customerId: c.id,
        type: "CAFE" as const,
        scheduledAt: i < 5 ? same : new Date(Date.UTC(2026, 0, 1 + i, 9)),
        amount: 100 * i,
        currency: "EUR",
      })),
    );
    const asC = (await customerCookie(t.db, c.id)).cookie;

    async function all(path: string, limit: number) {
      const seen: string[] = [];
      let cursor: { at: string; id: string } | null = null;
      let pages = 0;
      do {
        const res: Answer<Page<{ id: string }>> = await call<Page<{ id: string }>>(
          path,
          { limit, cursor },
          { cookie: asC },
        );
        expect(res.status).toBe(200);
        seen.push(...res.data.items.map((r) => r.id));
        cursor = res.data.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      return { seen, pages };
    }

    const points = await all("portal.points", 7);
    const ledger = await t.db
      .select({ id: schema.loyaltyLedger.id })
      .from(schema.loyaltyLedger)
      .where(eq(schema.loyaltyLedger.customerId, c.id))
      .orderBy(desc(schema.loyaltyLedger.createdAt), desc(schema.loyaltyLedger.id));
    expect(points.seen).toEqual(ledger.map((r) => r.id));
    expect(new Set(points.seen).size).toBe(45);
    expect(points.pages).toBe(7);

    const bookings = await all("portal.bookings", 4);
    const rows = await t.db
      .select({ id: schema.bookings.id })
      .from(schema.bookings)
      .where(eq(schema.bookings.customerId, c.id))
      .orderBy(desc(schema.bookings.scheduledAt), desc(schema.bookings.id));
    expect(bookings.seen).toEqual(rows.map((r) => r.id));
    expect(bookings.pages).toBe(7);
  });

  it("refuses a malformed cursor as a bad request", async () => {
    const res = await call("portal.points", { cursor: { at: "yesterday", id: "x" } });
    expect(res.status).toBe(400);
  });
});

describe("a customer never reaches another customer's data", () => {
  it("ignores B's ids and cursors in every portal procedure and refuses B's voucher code", async () => {
    const other = await buildPortalFamily(t.db, env, catalogue);
    const b = other.family.id;
    const mine = {
      bookings: new Set(Object.values(fixture.bookings).map((x) => x.id)),
      vouchers: new Set([fixture.voucher.id]),
    };
    const bLedger = await t.db
      .select({ id: schema.loyaltyLedger.id, createdAt: schema.loyaltyLedger.createdAt })
      .from(schema.loyaltyLedger)
      .where(eq(schema.loyaltyLedger.customerId, b));
    const bRow = bLedger[0]!;
    const bCursor = { at: bRow.createdAt.toISOString(), id: bRow.id };

    const summary = await call<Summary>("portal.summary", { customerId: b });
    expect(summary.data.customer.id).toBe(fixture.family.id);

    const bookings = await call<Page<{ id: string }>>("portal.bookings", {
      customerId: b,
      limit: 50,
    });
    expect(bookings.data.items.length).toBeGreaterThan(0);
    for (const row of bookings.data.items) expect(mine.bookings.has(row.id)).toBe(true);

    for (const input of [
      { customerId: b, limit: 50 },
      { customerId: b, cursor: bCursor },
    ]) {
      const points = await call<Page<{ id: string }>>("portal.points", input);
      const ids = new Set(bLedger.map((r) => r.id));
      for (const row of points.data.items) expect(ids.has(row.id)).toBe(false);
    }

    const voucher = await call("portal.voucher", { code: other.voucher.code, customerId: b });
    expect(voucher.status).toBe(404);
    expect(voucher.error?.data.code).toBe("NOT_FOUND");
    expect(voucher.raw).not.toContain(other.voucher.code.slice(3));
    const own = await call<{ code: string }>("portal.voucher", {
      code: fixture.voucher.code.toLowerCase(),
    });
    expect(own.data.code).toBe(fixture.voucher.code);

    const list = await call<{ id: string }[]>("vouchers.listForCustomer", { customerId: b });
    expect(list.data.map((v) => v.id)).toEqual([...mine.vouchers]);

    const me = await call<{ id: string }>("portal.me", { customerId: b });
    expect(me.data.id).toBe(fixture.family.id);
    const referrals = await call<{ code: string }>("referrals.mine", { customerId: b });
    expect(referrals.data.code).toBe(fixture.family.referralCode);

    // Redeeming "for B" spends the caller's own points.
    const before = await t.db
      .select({ points: schema.customers.loyaltyPoints })
      .from(schema.customers)
      .where(eq(schema.customers.id, b));
    const redeemed = await call<{ voucher: { customer: { id: string } } }>(
      "rewards.redeem",
      { rewardId: catalogue.beverage.id, customerId: b, idempotencyKey: crypto.randomUUID() },
      { method: "POST" },
    );
    expect(redeemed.status).toBe(200);
    expect(redeemed.data.voucher.customer.id).toBe(fixture.family.id);
    const after = await t.db
      .select({ points: schema.customers.loyaltyPoints })
      .from(schema.customers)
      .where(eq(schema.customers.id, b));
    expect(after).toEqual(before);
  });

  it("answers every customer procedure with 401 without a session", async () => {
    for (const path of ["portal.summary", "portal.bookings", "portal.points"]) {
      expect((await call(path, undefined, { cookie: null })).status).toBe(401);
    }
    expect((await call("portal.voucher", { code: "XP-AAAA-AAAA" }, { cookie: null })).status).toBe(
      401,
    );
    // The programme is public on the portal: nothing about anyone.
    const programme = await call<{ referralPoints: number }>("portal.programme", undefined, {
      cookie: null,
    });
    expect(programme.data.referralPoints).toBe(50);
  });
});

describe("requesting a code", () => {
  it("answers byte for byte the same for a customer, a stranger and a suppressed address", async () => {
    const known = fixture.family.email!;
    const stranger = `stranger-${unique()}@example.com`;
    const suppressed = `gone-${unique()}@example.com`;
    const { emailSuppressionHash } = await import("../../core/src/privacy/suppression-hash");
    await t.db
      .insert(schema.suppressions)
      .values({ emailHash: emailSuppressionHash(suppressed), reason: "ERASURE" });

    const answers = await Promise.all(
      [known, stranger, suppressed].map((email, i) =>
        call(
          "auth.customer.requestCode",
          { email },
          { cookie: null, method: "POST", ip: `10.9.0.${i}` },
        ),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.setCookie).toEqual([]);
    }
    expect(answers[1]!.raw).toBe(answers[0]!.raw);
    expect(answers[2]!.raw).toBe(answers[0]!.raw);

    const mail = async (to: string) =>
      t.db
        .select({ template: schema.emailMessages.template })
        .from(schema.emailMessages)
        .where(and(eq(schema.emailMessages.toEmail, to)));
    expect(await mail(known)).toEqual([{ template: "sign-in-code" }]);
    expect(await mail(stranger)).toEqual([{ template: "sign-up-code" }]);
    expect(await mail(suppressed)).toEqual([]);
  });

  it("a wrong code reads the same for a customer and a stranger", async () => {
    const stranger = `stranger-${unique()}@example.com`;
    const a = await call(
      "auth.customer.verifyCode",
      { email: fixture.family.email, code: "000000" },
      { cookie: null, method: "POST", ip: "10.9.1.1" },
    );
    const b = await call(
      "auth.customer.verifyCode",
      { email: stranger, code: "000000" },
      { cookie: null, method: "POST", ip: "10.9.1.2" },
    );
    expect([a.status, a.error?.message]).toEqual([b.status, b.error?.message]);
  });
});
