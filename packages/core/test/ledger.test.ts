import { adjustPoints, setVip } from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor, testMeta } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { postPoints } from "../src/loyalty/ledger";
import { checkLedger, useTestDatabase } from "./support";

let actor: Awaited<ReturnType<typeof insertStaffActor>>;
const meta = testMeta;

const t = useTestDatabase(async () => {
  actor = await insertStaffActor(t.db);
}, checkLedger);

const customerRow = async (id: string) => {
  const [row] = await t.db.select().from(schema.customers).where(eq(schema.customers.id, id));
  return row!;
};

const post = (customerId: string, delta: number, key: string, reason = "MANUAL_ADJUSTMENT") =>
  t.db.transaction((tx) =>
    postPoints(tx, {
      customerId,
      delta,
      reason: reason as "MANUAL_ADJUSTMENT",
      idempotencyKey: key,
    }),
  );

describe("points ledger", () => {
  it("appends a row, moves balance and lifetime, and records tier changes", async () => {
    const c = await insertCustomer(t.db);
    const first = await post(c.id, 950, `${c.id}:a`, "BOOKING_COMPLETED");
    expect(first).toMatchObject({ posted: true, balance: 950, tier: "BRONZE", tierChange: null });
    const second = await post(c.id, 100, `${c.id}:b`, "BOOKING_COMPLETED");
    expect(second).toMatchObject({
      posted: true,
      balance: 1050,
      lifetime: 1050,
      tier: "SILVER",
      tierChange: { from: "BRONZE", to: "SILVER" },
    });
    const changes =
      await t.sql`select from_tier, to_tier from tier_changes where customer_id = ${c.id}`;
    expect(changes).toEqual([{ from_tier: "BRONZE", to_tier: "SILVER" }]);
    const rows = await t.sql`select balance_after, lifetime_after from loyalty_ledger
      where customer_id = ${c.id} order by created_at, balance_after`;
    expect(rows).toEqual([
      { balance_after: 950, lifetime_after: 950 },
      { balance_after: 1050, lifetime_after: 1050 },
    ]);
  });

  it("is idempotent: the same key posts once, even concurrently", async () => {
    const c = await insertCustomer(t.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post(c.id, 100, `${c.id}:same`, "BOOKING_COMPLETED")),
    );
    expect(results.filter((r) => r.posted)).toHaveLength(1);
    expect((await customerRow(c.id)).loyaltyPoints).toBe(100);
  });

  it("serialises concurrent postings on one customer without losing any", async () => {
    const c = await insertCustomer(t.db);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(c.id, 10, `${c.id}:${i}`, "BOOKING_COMPLETED")),
    );
    const row = await customerRow(c.id);
    expect(row.loyaltyPoints).toBe(300);
    expect(row.lifetimePoints).toBe(300);
  });

  it("never demotes on spending: redemptions leave lifetime points alone", async () => {
    const c = await insertCustomer(t.db);
    await post(c.id, 1200, `${c.id}:earn`, "BOOKING_COMPLETED");
    const spend = await post(c.id, -1000, `${c.id}:spend`, "REDEMPTION");
    expect(spend).toMatchObject({ balance: 200, lifetime: 1200, tier: "SILVER", tierChange: null });
  });

  it("lowers lifetime points on corrections and reversals, never below zero", async () => {
    const c = await insertCustomer(t.db);
    await post(c.id, 1000, `${c.id}:earn`, "BOOKING_COMPLETED");
    const reversed = await post(c.id, -1100, `${c.id}:rev`, "BOOKING_REVERSED");
    expect(reversed).toMatchObject({ balance: -100, lifetime: 0, tier: "BRONZE" });
  });

  it("keeps VIP through any change of points until cleared", async () => {
    const c = await insertCustomer(t.db);
    await setVip(
      { db: t.db, actor, meta },
      { customerId: c.id, vip: true, reason: "Founding family" },
    );
    await post(c.id, 7000, `${c.id}:big`, "BOOKING_COMPLETED");
    expect((await customerRow(c.id)).loyaltyTier).toBe("VIP");
    await setVip({ db: t.db, actor, meta }, { customerId: c.id, vip: false, reason: "" });
    expect((await customerRow(c.id)).loyaltyTier).toBe("PLATINUM");
    const audit = await t.sql`select action from audit_log where entity_id = ${c.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual(["loyalty.vip_set", "loyalty.vip_cleared"]);
  });

  it("requires a reason to make someone VIP", async () => {
    const c = await insertCustomer(t.db);
    await expect(
      setVip({ db: t.db, actor, meta }, { customerId: c.id, vip: true, reason: "" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("adjustPoints (staff)", () => {
  it("adds points with a reason, audits before/after, and a double-submit adjusts once", async () => {
    const c = await insertCustomer(t.db);
    const input = {
      customerId: c.id,
      delta: 150,
      reason: "Birthday party mix-up",
      idempotencyKey: crypto.randomUUID(),
    };
    const [a, b] = await Promise.all([
      adjustPoints({ db: t.db, actor, meta }, input),
      adjustPoints({ db: t.db, actor, meta }, input),
    ]);
    expect([a.posted, b.posted].sort()).toEqual([false, true]);
    const row = await customerRow(c.id);
    expect(row.loyaltyPoints).toBe(150);
    const [entry] =
      await t.sql`select note, staff_user_id, reason from loyalty_ledger where customer_id = ${c.id}`;
    expect(entry).toEqual({
      note: "Birthday party mix-up",
      staff_user_id: actor.id,
      reason: "MANUAL_ADJUSTMENT",
    });
    const audit = await t.sql`select details from audit_log
      where entity_id = ${c.id} and action = 'loyalty.points_adjusted'`;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({
      delta: 150,
      before: { balance: 0 },
      after: { balance: 150, tier: "BRONZE" },
    });
  });

  it("refuses a deduction below zero and leaves everything unchanged", async () => {
    const c = await insertCustomer(t.db);
    await adjustPoints(
      { db: t.db, actor, meta },
      { customerId: c.id, delta: 100, reason: "Welcome" },
    );
    await expect(
      adjustPoints({ db: t.db, actor, meta }, { customerId: c.id, delta: -101, reason: "Oops" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await customerRow(c.id)).loyaltyPoints).toBe(100);
  });

  it("refuses an unknown customer", async () => {
    await expect(
      adjustPoints(
        { db: t.db, actor, meta },
        {
          customerId: "00000000-0000-4000-8000-00000000dead",
          delta: 5,
          reason: "Nobody",
        },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
