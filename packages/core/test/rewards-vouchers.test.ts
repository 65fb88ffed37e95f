import type { Actor } from "@xplorium/core/actor";
import { systemDeps } from "@xplorium/core/deps";
import {
  cancelVoucher,
  createReward,
  expireVouchers,
  listRewards,
  listVouchersForCustomer,
  lookupVoucher,
  markVoucherUsed,
  redeemReward,
  updateReward,
} from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaff, unique } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { UNAMBIGUOUS_ALPHABET } from "../src/customers/referral-code";
import { postPoints } from "../src/loyalty/ledger";
import { generateVoucherCode, voucherCodeCandidates } from "../src/loyalty/vouchers";
import { checkLedger, useTestDatabase } from "./support";

let staff: { type: "staff"; id: string; role: "FRONT_DESK" };
let manager: { type: "staff"; id: string; role: "MANAGER" };
const meta = { ip: "127.0.0.1", userAgent: null, requestId: "rv" };
const config = { TIME_ZONE: "Europe/Belgrade" };
/** The deps of a service call by `actor` (markVoucherUsed and cancelVoucher read the time zone). */
const by = (actor: Actor) => ({ db: t.db, actor, meta, config });

const t = useTestDatabase(async () => {
  staff = { type: "staff", id: (await insertStaff(t.db)).id, role: "FRONT_DESK" };
  manager = {
    type: "staff",
    id: (await insertStaff(t.db, { role: "MANAGER" })).id,
    role: "MANAGER",
  };
}, checkLedger);

async function customerWith(points: number, reason: "BOOKING_COMPLETED" = "BOOKING_COMPLETED") {
  const c = await insertCustomer(t.db);
  if (points !== 0) {
    await t.db.transaction((tx) =>
      postPoints(tx, { customerId: c.id, delta: points, reason, idempotencyKey: `seed:${c.id}` }),
    );
  }
  return c;
}

async function reward(opts: { cost?: number; stock?: number | null; days?: number } = {}) {
  return createReward(by(manager), {
    name: `Reward ${unique()}`,
    description: "Test reward",
    pointsCost: opts.cost ?? 500,
    stock: opts.stock ?? null,
    voucherValidityDays: opts.days ?? 30,
  });
}

const customerRow = async (id: string) => {
  const [row] = await t.db.select().from(schema.customers).where(eq(schema.customers.id, id));
  return row!;
};
const rewardRow = async (id: string) => {
  const [row] = await t.db.select().from(schema.rewards).where(eq(schema.rewards.id, id));
  return row!;
};
const asCustomer = (id: string) => ({ type: "customer" as const, id });
const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);
const reasons = (rs: PromiseSettledResult<unknown>[]) =>
  rs.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));

describe("rewards catalogue", () => {
  it("creates with a stable code, validates with clear messages, audits before/after", async () => {
    const created = await createReward(by(manager), {
      name: "Crêpe & juice",
      pointsCost: 750,
      stock: 10,
      voucherValidityDays: 14,
    });
    expect(created).toMatchObject({
      code: "CREPE_JUICE",
      name: "Crêpe & juice",
      description: "",
      pointsCost: 750,
      active: true,
      stock: 10,
      voucherValidityDays: 14,
    });
    // The same name again gets its own code.
    const twin = await createReward(by(manager), { name: "Crêpe & juice", pointsCost: 1 });
    expect(twin.code).toMatch(/^CREPE_JUICE_[2-9A-HJKMNP-Z]{4}$/);

    await expect(
      createReward(by(manager), { name: "X", pointsCost: 0, stock: -1 }),
    ).rejects.toMatchObject({
      issues: expect.arrayContaining([
        expect.objectContaining({ message: "Give the reward a name (at least 2 characters)." }),
        expect.objectContaining({ message: "The points cost must be more than zero." }),
        expect.objectContaining({ message: "Stock cannot be negative." }),
      ]),
    });

    const updated = await updateReward(by(manager), {
      id: created.id,
      pointsCost: 800,
      active: false,
      stock: null,
      name: "Crêpe & juice",
    });
    expect(updated).toMatchObject({
      changed: true,
      reward: { pointsCost: 800, active: false, stock: null },
    });
    expect(await updateReward(by(manager), { id: created.id, active: false })).toMatchObject({
      changed: false,
    });
    const audit = await t.sql`select action, actor_id, details from audit_log
      where entity_id = ${created.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(["reward.created", "reward.updated"]);
    expect(audit[1]!.actor_id).toBe(manager.id);
    expect(audit[1]!.details).toEqual({
      code: "CREPE_JUICE",
      before: { pointsCost: 750, active: true, stock: 10 },
      after: { pointsCost: 800, active: false, stock: null },
    });
  });

  it("lists active first; customers see only active rewards", async () => {
    const off = await reward({ cost: 1 });
    await updateReward(by(manager), { id: off.id, active: false });
    const on = await reward({ cost: 2 });
    const all = await listRewards({ db: t.db }, { includeInactive: true });
    const ids = all.map((r) => r.id);
    expect(ids).toContain(off.id);
    expect(ids.indexOf(on.id)).toBeLessThan(ids.indexOf(off.id));
    expect(all.findIndex((r) => !r.active)).toBeGreaterThan(all.findLastIndex((r) => r.active));
    const active = await listRewards({ db: t.db }, { includeInactive: false });
    expect(active.map((r) => r.id)).toContain(on.id);
    expect(active.every((r) => r.active)).toBe(true);
    // Counting issued vouchers (a pass over all of them) only when asked: staff's catalogue.
    expect(active.every((r) => r.vouchersIssued === null)).toBe(true);
    const counted = await listRewards({ db: t.db }, { includeInactive: true, countIssued: true });
    expect(counted.find((r) => r.id === on.id)?.vouchersIssued).toBe(0);
  });
});

describe("redeeming a reward", () => {
  it("spends the points and issues an XP-XXXX-XXXX voucher linked from the ledger", async () => {
    const c = await customerWith(1200);
    const r = await reward({ cost: 500, days: 30 });
    const { voucher, balance, replayed } = await redeemReward(by(asCustomer(c.id)), {
      customerId: c.id,
      rewardId: r.id,
    });
    expect(replayed).toBe(false);
    expect(balance).toBe(700);
    const alphabet = `[${UNAMBIGUOUS_ALPHABET}]`;
    expect(voucher.code).toMatch(new RegExp(`^XP-${alphabet}{4}-${alphabet}{4}$`));
    expect(voucher).toMatchObject({
      status: "ISSUED",
      state: "ISSUED",
      pointsSpent: 500,
      reward: { id: r.id },
      customer: { id: c.id, points: 700 },
    });
    const days = (voucher.expiresAt.getTime() - voucher.issuedAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(30, 3);

    const [entry] = await t.sql`select delta, reason, voucher_id, staff_user_id, lifetime_after
      from loyalty_ledger where customer_id = ${c.id} and reason = 'REDEMPTION'`;
    expect(entry).toEqual({
      delta: -500,
      reason: "REDEMPTION",
      voucher_id: voucher.id,
      staff_user_id: null,
      lifetime_after: 1200,
    });
    const [audit] = await t.sql`select actor_type, actor_id, action, details from audit_log
      where entity_id = ${voucher.id}`;
    expect(audit).toMatchObject({
      actor_type: "CUSTOMER",
      actor_id: c.id,
      action: "reward.redeemed",
      details: { onBehalf: false, before: { balance: 1200 }, after: { balance: 700 } },
    });
  });

  it("staff redeem on behalf: the ledger and audit name them", async () => {
    const c = await customerWith(1000);
    const r = await reward({ cost: 1000 });
    const { voucher } = await redeemReward(by(staff), { customerId: c.id, rewardId: r.id });
    const [entry] =
      await t.sql`select staff_user_id from loyalty_ledger where voucher_id = ${voucher.id}`;
    expect(entry!.staff_user_id).toBe(staff.id);
    const [audit] =
      await t.sql`select actor_type, actor_id, details from audit_log where entity_id = ${voucher.id}`;
    expect(audit).toMatchObject({
      actor_type: "STAFF",
      actor_id: staff.id,
      details: { onBehalf: true },
    });
  });

  it("a customer cannot redeem for someone else", async () => {
    const me = await customerWith(1000);
    const other = await customerWith(1000);
    const r = await reward();
    await expect(
      redeemReward(by(asCustomer(me.id)), { customerId: other.id, rewardId: r.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await customerRow(other.id)).loyaltyPoints).toBe(1000);
  });

  it("refuses without enough points, with a negative balance, and for inactive rewards", async () => {
    const poor = await customerWith(499);
    const r = await reward({ cost: 500 });
    await expect(
      redeemReward(by(asCustomer(poor.id)), { customerId: poor.id, rewardId: r.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Not enough points: you have 499, “${r.name}” needs 500.`,
    });

    // A reversal took the balance below zero: redemptions wait.
    const reversed = await customerWith(1000);
    await t.db.transaction((tx) =>
      postPoints(tx, {
        customerId: reversed.id,
        delta: -1100,
        reason: "BOOKING_REVERSED",
        idempotencyKey: `rev:${reversed.id}`,
      }),
    );
    const cheap = await reward({ cost: 1 });
    await expect(
      redeemReward(by(staff), { customerId: reversed.id, rewardId: cheap.id }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: /Not enough points: the balance is -100/,
    });

    const rich = await customerWith(5000);
    await updateReward(by(manager), { id: cheap.id, active: false });
    await expect(
      redeemReward(by(staff), { customerId: rich.id, rewardId: cheap.id }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: /no longer offered/ });
    const vouchers = await t.sql`select id from vouchers
      where customer_id in ${t.sql([poor.id, reversed.id, rich.id])}`;
    expect(vouchers).toHaveLength(0);
  });

  it("never demotes: the tier stays after spending every point", async () => {
    const c = await customerWith(3000);
    expect((await customerRow(c.id)).loyaltyTier).toBe("GOLD");
    const r = await reward({ cost: 1000 });
    for (let i = 0; i < 3; i++) {
      await redeemReward(by(asCustomer(c.id)), { customerId: c.id, rewardId: r.id });
    }
    const row = await customerRow(c.id);
    expect(row).toMatchObject({ loyaltyPoints: 0, lifetimePoints: 3000, loyaltyTier: "GOLD" });
    const changes = await t.sql`select 1 from tier_changes
      where customer_id = ${c.id} and to_tier <> 'GOLD'`;
    expect(changes).toHaveLength(0);
  });

  it("30 concurrent redemptions against a balance for one: exactly one voucher", async () => {
    const c = await customerWith(500);
    const r = await reward({ cost: 500 });
    const results = await settle(
      Array.from({ length: 30 }, () =>
        redeemReward(by(asCustomer(c.id)), { customerId: c.id, rewardId: r.id }),
      ),
    );
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    expect(new Set(reasons(results))).toEqual(
      new Set([`Not enough points: you have 0, “${r.name}” needs 500.`]),
    );
    expect((await customerRow(c.id)).loyaltyPoints).toBe(0);
    const vs = await t.sql`select id from vouchers where customer_id = ${c.id}`;
    expect(vs).toHaveLength(1);
    const [minBalance] =
      await t.sql`select min(balance_after)::int as m from loyalty_ledger where customer_id = ${c.id}`;
    expect(minBalance!.m).toBe(0);
  });

  it("waits on the customer row lock and then sees the balance the other change left", async () => {
    const c = await customerWith(500);
    const r = await reward({ cost: 500 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lockHeld!: () => void;
    const holding = new Promise<void>((resolve) => {
      lockHeld = resolve;
    });
    // Another point change (a staff deduction) holds the lock, uncommitted.
    const other = t.db.transaction(async (tx) => {
      await postPoints(tx, {
        customerId: c.id,
        delta: -100,
        reason: "MANUAL_ADJUSTMENT",
        idempotencyKey: `hold:${c.id}`,
      });
      lockHeld();
      await released;
    });
    await holding;
    let settled = false;
    const redemption = redeemReward(by(asCustomer(c.id)), {
      customerId: c.id,
      rewardId: r.id,
    });
    const done = () => {
      settled = true;
    };
    redemption.then(done, done);
    // The redemption is blocked on the row lock, not deciding on the stale balance of 500.
    await expect
      .poll(
        async () =>
          (
            await t.sql`select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`
          )[0]!.n,
      )
      .toBe(1);
    expect(settled).toBe(false);
    release();
    await other;
    await expect(redemption).rejects.toMatchObject({
      code: "CONFLICT",
      message: `Not enough points: you have 400, “${r.name}” needs 500.`,
    });
    expect((await customerRow(c.id)).loyaltyPoints).toBe(400);
  });

  it("a repeated idempotency key returns the first voucher, even concurrently", async () => {
    const c = await customerWith(5000);
    const r = await reward({ cost: 500 });
    const idempotencyKey = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        redeemReward(by(asCustomer(c.id)), {
          customerId: c.id,
          rewardId: r.id,
          idempotencyKey,
        }),
      ),
    );
    expect(new Set(results.map((x) => x.voucher.id)).size).toBe(1);
    expect(results.filter((x) => !x.replayed)).toHaveLength(1);
    expect((await customerRow(c.id)).loyaltyPoints).toBe(4500);
    // The same key from another customer is theirs alone: a new voucher, not the first one.
    const other = await customerWith(500);
    const theirs = await redeemReward(by(asCustomer(other.id)), {
      customerId: other.id,
      rewardId: r.id,
      idempotencyKey,
    });
    expect(theirs.replayed).toBe(false);
    expect(theirs.voucher.id).not.toBe(results[0]!.voucher.id);
  });

  it("stock runs out under concurrency: exactly the stock is issued", async () => {
    const r = await reward({ cost: 100, stock: 3 });
    const buyers = await Promise.all(Array.from({ length: 10 }, () => customerWith(100)));
    const results = await settle(
      buyers.map((c) => redeemReward(by(asCustomer(c.id)), { customerId: c.id, rewardId: r.id })),
    );
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(3);
    expect(new Set(reasons(results))).toEqual(new Set([`“${r.name}” is out of stock.`]));
    expect((await rewardRow(r.id)).stock).toBe(0);
    const [spent] = await t.sql`select count(*)::int as n from customers
      where id in ${t.sql(buyers.map((b) => b.id))} and loyalty_points = 0`;
    expect(spent!.n).toBe(3);
  });
});

describe("at the counter", () => {
  async function issued(cost = 500, days = 30) {
    const c = await customerWith(cost);
    const r = await reward({ cost, days });
    const { voucher } = await redeemReward(by(staff), {
      customerId: c.id,
      rewardId: r.id,
    });
    return { c, r, voucher };
  }

  it("looks codes up as typed or pasted", async () => {
    const { voucher, c } = await issued();
    const body = voucher.code.slice(3).replace("-", "");
    for (const typed of [
      voucher.code,
      voucher.code.toLowerCase(),
      ` ${voucher.code.replaceAll("-", " ")} `,
      voucher.code.replaceAll("-", "–"),
      `xp${body.toLowerCase()}`,
      body,
      `${body.slice(0, 4)} ${body.slice(4)}`,
    ]) {
      const found = await lookupVoucher({ db: t.db }, { code: typed });
      expect(found.id, typed).toBe(voucher.id);
    }
    const found = await lookupVoucher({ db: t.db }, { code: voucher.code });
    expect(found).toMatchObject({
      state: "ISSUED",
      customer: { id: c.id, email: c.email, name: c.name, tier: "BRONZE" },
    });
    await expect(lookupVoucher({ db: t.db }, { code: " - " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(lookupVoucher({ db: t.db }, { code: "XP-2222-2222" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "No voucher with the code XP-2222-2222.",
    });
    await expect(lookupVoucher({ db: t.db }, { code: "XP-0OIL-2222" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: /never contain 0, O, 1, I or L/,
    });
  });

  it("candidate codes: normalised, prefix optional, odd lengths kept as typed", () => {
    expect(voucherCodeCandidates("xp-abcd-efgh")).toEqual(["XPABCDEFGH", "XP-ABCD-EFGH"]);
    expect(voucherCodeCandidates("abcd efgh")).toEqual(["ABCDEFGH", "XP-ABCD-EFGH"]);
    expect(voucherCodeCandidates("vabc23")).toEqual(["VABC23"]);
    expect(voucherCodeCandidates("  ")).toEqual([]);
    const seq = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(generateVoucherCode(() => seq.shift()!)).toBe("XP-2345-6789");
  });

  it("marks a voucher used exactly once under a race of 10", async () => {
    const { voucher } = await issued();
    const results = await settle(
      Array.from({ length: 10 }, () => markVoucherUsed(by(staff), { voucherId: voucher.id })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const losers = reasons(results);
    expect(losers).toHaveLength(9);
    for (const m of losers)
      expect(m).toMatch(/^Already used on .+ \(marked by Staff FRONT_DESK\)\.$/);
    const found = await lookupVoucher({ db: t.db }, { code: voucher.code });
    expect(found).toMatchObject({ state: "USED", usedByStaffName: "Staff FRONT_DESK" });
    const audit = await t.sql`select action from audit_log where entity_id = ${voucher.id}
      and action = 'voucher.used'`;
    expect(audit).toHaveLength(1);
    // A used voucher cannot be cancelled for a refund.
    await expect(cancelVoucher(by(staff), { voucherId: voucher.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: /^Already used on/,
    });
  });

  it("cancel refunds once under concurrency and puts the reward back in stock", async () => {
    const c = await customerWith(700);
    const r = await reward({ cost: 500, stock: 2 });
    const { voucher } = await redeemReward(by(staff), {
      customerId: c.id,
      rewardId: r.id,
    });
    expect((await rewardRow(r.id)).stock).toBe(1);
    expect((await customerRow(c.id)).loyaltyPoints).toBe(200);
    const results = await settle(
      Array.from({ length: 8 }, () =>
        cancelVoucher(by(staff), { voucherId: voucher.id, reason: "Changed their mind" }),
      ),
    );
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    for (const m of reasons(results)) expect(m).toMatch(/^This voucher was cancelled on .+/);
    expect((await customerRow(c.id)).loyaltyPoints).toBe(700);
    expect((await rewardRow(r.id)).stock).toBe(2);
    const refunds = await t.sql`select delta, staff_user_id, note from loyalty_ledger
      where voucher_id = ${voucher.id} and reason = 'VOUCHER_REFUND'`;
    expect(refunds).toEqual([
      {
        delta: 500,
        staff_user_id: staff.id,
        note: `Refund: cancelled voucher ${voucher.code} (Changed their mind)`,
      },
    ]);
    const [audit] = await t.sql`select details from audit_log
      where entity_id = ${voucher.id} and action = 'voucher.cancelled'`;
    expect(audit!.details).toMatchObject({
      refunded: 500,
      before: { status: "ISSUED", balance: 200 },
      after: { status: "CANCELLED", balance: 700 },
    });
    // Lifetime points did not move either way.
    expect((await customerRow(c.id)).lifetimePoints).toBe(700);
    await expect(markVoucherUsed(by(staff), { voucherId: voucher.id })).rejects.toMatchObject({
      message: /was cancelled on/,
    });
  });

  it("mark-used and cancel racing: exactly one wins", async () => {
    const { voucher, c } = await issued(500);
    const results = await settle<unknown>([
      markVoucherUsed(by(staff), { voucherId: voucher.id }),
      cancelVoucher(by(staff), { voucherId: voucher.id }),
      markVoucherUsed(by(staff), { voucherId: voucher.id }),
      cancelVoucher(by(staff), { voucherId: voucher.id }),
    ]);
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    const found = await lookupVoucher({ db: t.db }, { code: voucher.code });
    expect((await customerRow(c.id)).loyaltyPoints).toBe(found.state === "CANCELLED" ? 500 : 0);
  });

  it("an expired voucher can be neither used nor cancelled, before and after the job", async () => {
    const { voucher, c } = await issued(500);
    await t.sql`update vouchers set expires_at = now() - interval '1 hour' where id = ${voucher.id}`;
    const before = await lookupVoucher({ db: t.db }, { code: voucher.code });
    expect(before).toMatchObject({ status: "ISSUED", state: "EXPIRED" });
    await expect(markVoucherUsed(by(staff), { voucherId: voucher.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: /^Expired on .+; expired vouchers are not refunded\.$/,
    });
    await expect(cancelVoucher(by(staff), { voucherId: voucher.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: /^Expired on/,
    });

    const still = await issued(500);
    const n = await expireVouchers(systemDeps(t.db, {}));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(await expireVouchers(systemDeps(t.db, {}))).toBe(0);
    const after = await lookupVoucher({ db: t.db }, { code: voucher.code });
    expect(after).toMatchObject({ status: "EXPIRED", state: "EXPIRED" });
    expect((await lookupVoucher({ db: t.db }, { code: still.voucher.code })).state).toBe("ISSUED");
    // No refund on expiry.
    expect((await customerRow(c.id)).loyaltyPoints).toBe(0);
    const [audit] = await t.sql`select actor_type, details from audit_log
      where action = 'vouchers.expired' order by id desc limit 1`;
    expect(audit).toMatchObject({ actor_type: "SYSTEM", details: { count: n } });
  });

  it("lists a customer's vouchers newest first with their state", async () => {
    const c = await customerWith(2000);
    const r = await reward({ cost: 500 });
    const a = await redeemReward(by(staff), { customerId: c.id, rewardId: r.id });
    const b = await redeemReward(by(staff), { customerId: c.id, rewardId: r.id });
    await markVoucherUsed(by(staff), { voucherId: a.voucher.id });
    const list = await listVouchersForCustomer({ db: t.db }, { customerId: c.id });
    expect(list.map((v) => [v.id, v.state])).toEqual([
      [b.voucher.id, "ISSUED"],
      [a.voucher.id, "USED"],
    ]);
  });
});
