import { verifyPassword } from "@xplorium/auth";
import {
  DEMO_CUSTOMER_EMAIL,
  DEMO_STAFF,
  isEmptyDatabase,
  type SeedSummary,
  seedDemoData,
} from "@xplorium/core/seed";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calculateTier, LOYALTY_REWARDS } from "../src/loyalty/rules";

const TODAY = new Date("2026-11-24T12:00:00.000Z");
let a: TestDatabase;
let b: TestDatabase;
let summaryA: SeedSummary;
let summaryB: SeedSummary;

beforeAll(async () => {
  [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  expect(await isEmptyDatabase(a.db)).toBe(true);
  summaryA = await seedDemoData(a.db, { currency: "EUR", today: TODAY });
  summaryB = await seedDemoData(b.db, { currency: "EUR", today: TODAY });
});
afterAll(async () => {
  await Promise.all([a?.drop(), b?.drop()]);
});

const count = async (db: TestDatabase, table: string) =>
  Number((await db.sql.unsafe(`select count(*)::int as n from ${table}`))[0]!.n);

describe("seedDemoData", () => {
  it("fills the database and reports what it wrote", async () => {
    expect(await isEmptyDatabase(a.db)).toBe(false);
    expect(summaryA.customers).toBe(await count(a, "customers"));
    expect(summaryA.bookings).toBe(await count(a, "bookings"));
    expect(summaryA.ledgerRows).toBe(await count(a, "loyalty_ledger"));
    expect(summaryA.vouchers).toBe(await count(a, "vouchers"));
    expect(summaryA.staff).toBe(await count(a, "staff_users"));
  });

  it("has at least 200 customers across every tier", async () => {
    expect(await count(a, "customers")).toBeGreaterThanOrEqual(200);
    const tiers = await a.sql`select loyalty_tier, count(*)::int as n from customers group by 1`;
    const byTier = Object.fromEntries(tiers.map((r) => [r.loyalty_tier, r.n]));
    for (const tier of ["BRONZE", "SILVER", "GOLD", "PLATINUM", "VIP"])
      expect(byTier[tier], tier).toBeGreaterThan(0);
    expect(byTier).toEqual(summaryA.tiers);
  });

  it("has at least 1000 bookings covering every type and status, in the configured currency", async () => {
    expect(await count(a, "bookings")).toBeGreaterThanOrEqual(1000);
    const types = (await a.sql`select distinct type from bookings order by 1`).map((r) => r.type);
    expect(types.sort()).toEqual(["CAFE", "EVENT", "PARTY", "PLAYGROUND"]);
    const statuses = (await a.sql`select distinct status from bookings order by 1`).map(
      (r) => r.status,
    );
    expect(statuses.sort()).toEqual(["APPROVED", "CANCELLED", "COMPLETED", "PENDING"]);
    const currencies = (await a.sql`select distinct currency from bookings`).map((r) => r.currency);
    expect(currencies).toEqual(["EUR"]);
    // Completed bookings are in the past and the future holds no completed ones.
    const [future] =
      await a.sql`select count(*)::int as n from bookings where status = 'COMPLETED' and scheduled_at > ${TODAY.toISOString()}`;
    expect(future!.n).toBe(0);
  });

  it("has the four rewards of the programme", async () => {
    const rewards = await a.sql`select code, points_cost, active from rewards order by points_cost`;
    expect(rewards.map((r) => [r.code, r.points_cost, r.active])).toEqual(
      Object.entries(LOYALTY_REWARDS).map(([cost, r]) => [r.type, Number(cost), true]),
    );
    expect(rewards.map((r) => r.code)).toEqual([
      "FREE_BEVERAGE",
      "DISCOUNT_10",
      "PARTY_ADDON",
      "PRIVATE_HOUR",
    ]);
  });

  it("has one demo staff member per role, whose printed password works", async () => {
    const staff = await a.sql`select email, role, password_hash from staff_users order by role`;
    expect(staff.map((s) => s.role).sort()).toEqual(
      ["MANAGER", "MARKETING", "OWNER", "FRONT_DESK"].sort(),
    );
    for (const demo of DEMO_STAFF) {
      const row = staff.find((s) => s.email === demo.email);
      expect(row?.role).toBe(demo.role);
      expect(await verifyPassword(row!.password_hash, demo.password)).toBe(true);
    }
  });

  it("has the demo portal customer with history", async () => {
    const [ana] =
      await a.sql`select id, total_bookings, loyalty_points from customers where email = ${DEMO_CUSTOMER_EMAIL}`;
    expect(ana).toBeDefined();
    expect(ana!.total_bookings).toBeGreaterThan(0);
    expect(ana!.loyalty_points).toBeGreaterThan(0);
  });

  it("keeps every balance equal to the sum of its ledger", async () => {
    const drift = await a.sql`
      select c.id, c.loyalty_points, coalesce(sum(l.delta), 0)::int as ledger
      from customers c left join loyalty_ledger l on l.customer_id = c.id
      group by c.id having c.loyalty_points <> coalesce(sum(l.delta), 0)`;
    expect(drift).toEqual([]);
    // And the last running balance / lifetime of each ledger agree with the customer row.
    const last = await a.sql`
      select c.id, c.loyalty_points, c.lifetime_points, l.balance_after, l.lifetime_after
      from customers c
      join lateral (
        select balance_after, lifetime_after from loyalty_ledger
        where customer_id = c.id order by created_at desc, id desc limit 1
      ) l on true
      where c.loyalty_points <> l.balance_after or c.lifetime_points <> l.lifetime_after`;
    expect(last).toEqual([]);
    // No two rows of one customer's ledger share a time, so "latest" is never ambiguous.
    const ties = await a.sql`
      select customer_id, created_at from loyalty_ledger
      group by customer_id, created_at having count(*) > 1`;
    expect(ties).toEqual([]);
    const [negative] =
      await a.sql`select count(*)::int as n from customers where loyalty_points < 0`;
    expect(negative!.n).toBe(0);
  });

  it("records no history after `today` (ledger, vouchers, sign-ups)", async () => {
    const today = TODAY.toISOString();
    const [row] = await a.sql`
      select
        (select count(*)::int from loyalty_ledger where created_at > ${today}) as ledger,
        (select count(*)::int from vouchers where issued_at > ${today} or used_at > ${today}) as vouchers,
        (select count(*)::int from vouchers where status = 'USED' and (used_at is null or used_at < issued_at)) as bad_use,
        (select count(*)::int from customers where created_at > ${today}) as customers`;
    expect(row).toEqual({ ledger: 0, vouchers: 0, bad_use: 0, customers: 0 });
    // Every redemption spends points the customer already had at that moment.
    const overdrawn = await a.sql`select id from loyalty_ledger where balance_after < 0`;
    expect(overdrawn).toEqual([]);
  });

  it("gives every non-VIP customer the tier their lifetime points earn", async () => {
    const rows =
      await a.sql`select loyalty_tier, lifetime_points from customers where loyalty_tier <> 'VIP'`;
    const wrong = rows.filter((r) => calculateTier(r.lifetime_points) !== r.loyalty_tier);
    expect(wrong).toEqual([]);
  });

  it("keeps derived booking counts in step with the bookings", async () => {
    const off = await a.sql`
      select c.id from customers c
      left join bookings b on b.customer_id = c.id and b.status <> 'CANCELLED'
      group by c.id having c.total_bookings <> count(b.id)`;
    expect(off).toEqual([]);
  });

  it("is deterministic: two fresh databases get identical data", async () => {
    expect(summaryB).toEqual(summaryA);
    const customers = (db: TestDatabase) =>
      db.sql`select id, email, name, referral_code, loyalty_points, loyalty_tier, created_at from customers order by email`;
    const [ca, cb] = await Promise.all([customers(a), customers(b)]);
    expect(ca.length).toBeGreaterThanOrEqual(200);
    expect(cb.map((r) => r.email)).toEqual(ca.map((r) => r.email));
    expect(cb).toEqual(ca);
    const bookings = (db: TestDatabase) =>
      db.sql`select id, type, status, scheduled_at, amount from bookings order by id`;
    expect(await bookings(b)).toEqual(await bookings(a));
  });
});
