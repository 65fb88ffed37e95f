import { createReward, updateReward } from "@xplorium/core/loyalty";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../../core/src/loyalty/ledger";
import {
  type BrowserCallArgs,
  browserCall,
  customerCookie,
  insertCustomer,
  insertStaff,
  staffCookie,
  unique,
  useTrpcServers,
} from "./support";
import { trpcResult } from "./trpc-http";

/**
 * Rewards and vouchers over real HTTP, through the app server's same-origin guard and the tRPC
 * fetch handler: customers redeem from the portal with their session cookie, staff work the
 * counter from the admin. The ledger invariant is checked after every test.
 */

const servers = useTrpcServers();
const { t } = servers;
let frontDeskCookie: string;
const meta = { ip: null, userAgent: null, requestId: null };
const system = { type: "system" as const };

beforeAll(async () => {
  frontDeskCookie = (await staffCookie(t.db, (await insertStaff(t.db)).id)).cookie;
});
afterEach(async () => {
  expect(await ledgerDrift(t.db)).toEqual([]);
});

/** One tRPC call the way a browser on that app makes it (its cookie and its Origin). */
async function call(...args: BrowserCallArgs) {
  const r = await browserCall(servers, args);
  return { status: r.status, ...trpcResult(r.json) };
}

async function customerWith(points: number) {
  const c = await insertCustomer(t.db);
  if (points > 0) {
    await t.db.transaction((tx) =>
      postPoints(tx, {
        customerId: c.id,
        delta: points,
        reason: "BOOKING_COMPLETED",
        idempotencyKey: `earn:${c.id}`,
      }),
    );
  }
  return { ...c, cookie: (await customerCookie(t.db, c.id)).cookie };
}

const reward = (pointsCost: number, stock: number | null = null) =>
  createReward(
    { db: t.db, actor: system, meta },
    { name: `Reward ${unique()}`, pointsCost, stock },
  );

const balanceOf = async (id: string) =>
  (
    await t.sql`select loyalty_points, lifetime_points, loyalty_tier from customers where id = ${id}`
  )[0]!;

interface Voucher {
  id: string;
  code: string;
  state: string;
  customer: { id: string };
  usedByStaffName: string | null;
}

describe("rewards.redeem over HTTP", () => {
  it("50 parallel redemptions by a customer who can afford one produce exactly one voucher", async () => {
    const c = await customerWith(1000);
    const r = await reward(1000);
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call("portal", "rewards.redeem", c.cookie, {
          rewardId: r.id,
          idempotencyKey: crypto.randomUUID(),
        }),
      ),
    );
    const ok = results.filter((x) => x.status === 200);
    expect(ok).toHaveLength(1);
    const refused = results.filter((x) => x.status !== 200);
    expect(new Set(refused.map((x) => x.status))).toEqual(new Set([409]));
    expect(new Set(refused.map((x) => x.error?.message))).toEqual(
      new Set([`Not enough points: you have 0, “${r.name}” needs 1,000.`]),
    );
    const vouchers = await t.sql`select id, points_spent from vouchers where customer_id = ${c.id}`;
    expect(vouchers).toEqual([
      { id: (ok[0]!.data as { voucher: Voucher }).voucher.id, points_spent: 1000 },
    ]);
    // Balance − cost, never negative at any point of the ledger; the tier is kept.
    expect(await balanceOf(c.id)).toEqual({
      loyalty_points: 0,
      lifetime_points: 1000,
      loyalty_tier: "SILVER",
    });
    const [low] = await t.sql`select min(balance_after)::int as m, count(*)::int as n
      from loyalty_ledger where customer_id = ${c.id}`;
    expect(low).toEqual({ m: 0, n: 2 });
  });

  it("50 parallel double-submits with one key issue one voucher and all get it", async () => {
    const c = await customerWith(5000);
    const r = await reward(500);
    const idempotencyKey = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        call("portal", "rewards.redeem", c.cookie, { rewardId: r.id, idempotencyKey }),
      ),
    );
    expect(results.every((x) => x.status === 200)).toBe(true);
    const ids = new Set(results.map((x) => (x.data as { voucher: Voucher }).voucher.id));
    expect(ids.size).toBe(1);
    expect((await balanceOf(c.id)).loyalty_points).toBe(4500);
  });

  it("a customer redeems only for themselves: a customerId in the input is ignored", async () => {
    const me = await customerWith(500);
    const other = await customerWith(500);
    const r = await reward(500);
    const res = await call("portal", "rewards.redeem", me.cookie, {
      customerId: other.id,
      rewardId: r.id,
    });
    expect(res.status).toBe(200);
    expect((res.data as { voucher: Voucher }).voucher.customer.id).toBe(me.id);
    expect((await balanceOf(me.id)).loyalty_points).toBe(0);
    expect((await balanceOf(other.id)).loyalty_points).toBe(500);
  });

  it("staff redeem on behalf of a customer, who then sees the voucher in the portal", async () => {
    const c = await customerWith(600);
    const r = await reward(500);
    const missing = await call("admin", "rewards.redeem", frontDeskCookie, { rewardId: r.id });
    expect(missing.status).toBe(400);
    expect(missing.error?.message).toBe("Choose the customer to redeem for.");
    const res = await call("admin", "rewards.redeem", frontDeskCookie, {
      customerId: c.id,
      rewardId: r.id,
    });
    expect(res.status).toBe(200);
    const { voucher } = res.data as { voucher: Voucher };
    const mine = await call("portal", "vouchers.listForCustomer", c.cookie, {}, "GET");
    expect(mine.status).toBe(200);
    expect((mine.data as Voucher[]).map((v) => v.id)).toEqual([voucher.id]);
    // Someone else's list is not reachable from the portal: the session decides.
    const stranger = await customerWith(0);
    const theirs = await call(
      "portal",
      "vouchers.listForCustomer",
      stranger.cookie,
      { customerId: c.id },
      "GET",
    );
    expect(theirs.data).toEqual([]);
  });

  it("the portal lists active rewards only; staff see inactive ones too", async () => {
    const off = await reward(10);
    await updateReward({ db: t.db, actor: system, meta }, { id: off.id, active: false });
    const c = await customerWith(0);
    const forCustomer = await call("portal", "rewards.list", c.cookie, undefined, "GET");
    expect((forCustomer.data as { id: string }[]).map((r) => r.id)).not.toContain(off.id);
    const forStaff = await call("admin", "rewards.list", frontDeskCookie, undefined, "GET");
    expect((forStaff.data as { id: string }[]).map((r) => r.id)).toContain(off.id);
  });
});

describe("vouchers at the counter over HTTP", () => {
  it("looks up a pasted code and marks it used once under 10 parallel presses", async () => {
    const c = await customerWith(500);
    const r = await reward(500);
    const redeemed = await call("portal", "rewards.redeem", c.cookie, { rewardId: r.id });
    const { voucher } = redeemed.data as { voucher: Voucher };

    const typed = ` ${voucher.code.toLowerCase().replaceAll("-", " ")} `;
    const found = await call("admin", "vouchers.lookup", frontDeskCookie, { code: typed }, "GET");
    expect(found.status).toBe(200);
    expect(found.data).toMatchObject({ id: voucher.id, state: "ISSUED", customer: { id: c.id } });

    const presses = await Promise.all(
      Array.from({ length: 10 }, () =>
        call("admin", "vouchers.markUsed", frontDeskCookie, { voucherId: voucher.id }),
      ),
    );
    expect(presses.filter((p) => p.status === 200)).toHaveLength(1);
    const losers = presses.filter((p) => p.status !== 200);
    expect(losers.every((p) => p.status === 409 && /^Already used on/.test(p.error!.message))).toBe(
      true,
    );
    const cancel = await call("admin", "vouchers.cancel", frontDeskCookie, {
      voucherId: voucher.id,
    });
    expect(cancel.status).toBe(409);
    expect((await balanceOf(c.id)).loyalty_points).toBe(0);

    const recent = await call("admin", "vouchers.recent", frontDeskCookie, undefined, "GET");
    expect((recent.data as Voucher[]).find((v) => v.id === voucher.id)?.state).toBe("USED");
    const mine = await call("portal", "vouchers.listForCustomer", c.cookie, {}, "GET");
    expect((mine.data as Voucher[])[0]).toMatchObject({ state: "USED", usedByStaffName: null });
  });
});
