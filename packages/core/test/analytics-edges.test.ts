import {
  analyticsCharts,
  analyticsDashboard,
  analyticsRfm,
  churnList,
  customerAnalytics,
  refreshAnalytics,
} from "@xplorium/core/analytics";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertFamily } from "../../../tests/support/analytics-fixture";

const AS_OF = new Date("2026-06-30T12:00:00Z");
const JUNE = { range: { from: "2026-06-01", to: "2026-06-30" } };
const config = { TIME_ZONE: "UTC" };

const dbs: TestDatabase[] = [];
const fresh = async () => {
  const t = await createTestDatabase();
  dbs.push(t);
  return t;
};
afterAll(async () => {
  await Promise.all(dbs.map((t) => t.drop()));
});

describe("an empty database", () => {
  it("has no snapshot before the first refresh", async () => {
    const t = await fresh();
    expect(
      await analyticsDashboard({ db: t.db, config }, { ...JUNE, includeRevenue: true }),
    ).toMatchObject({
      snapshot: null,
      kpis: null,
      tiers: null,
    });
    expect(
      (await analyticsCharts({ db: t.db, config }, { ...JUNE, includeRevenue: true })).charts,
    ).toBeNull();
    expect((await analyticsRfm({ db: t.db })).rfm).toBeNull();
  });

  it("after a refresh, counts zero and leaves every rate undefined rather than 0%", async () => {
    const t = await fresh();
    const r = await refreshAnalytics({ db: t.db, config, now: AS_OF });
    expect(r).toMatchObject({ customers: 0, changed: 0, removed: 0 });
    const k = (await analyticsDashboard({ db: t.db, config }, { ...JUNE, includeRevenue: true }))
      .kpis!;
    expect(k.totalCustomers).toEqual({ value: 0, previous: 0, change: 0 });
    expect(k.activeCustomers).toEqual({ value: 0, previous: 0, change: 0 });
    expect(k.retentionRate).toMatchObject({ value: null, previous: null, change: null });
    expect(k.averageLifetimeValue).toEqual({ value: null, previous: null, change: null });
    expect(k.emailOptInRate).toMatchObject({ value: null, previous: null, change: null });
    const c = (await analyticsCharts({ db: t.db, config }, { ...JUNE, includeRevenue: true }))
      .charts!;
    expect(c.acquisition.every((a) => a.customers === 0)).toBe(true);
    expect(c.bookingFrequency.every((b) => b.customers === 0)).toBe(true);
    expect(c.ltvByTier?.every((l) => l.averageLifetimeValue === null)).toBe(true);
    const rfm = (await analyticsRfm({ db: t.db })).rfm!;
    expect(rfm.segments.every((s) => s.customers === 0 && s.share === 0)).toBe(true);
    expect(await churnList({ db: t.db }, {})).toEqual({ items: [], nextCursor: null, total: 0 });
  });
});

describe("a single customer", () => {
  let t: TestDatabase;
  let id: string;
  beforeAll(async () => {
    t = await fresh();
    // One completed visit on 12 June (4,000), signed up the same day.
    id = await insertFamily(t, {
      createdAt: "2026-06-12",
      bookings: [{ day: "2026-06-12", amount: 4000 }],
    });
    await refreshAnalytics({ db: t.db, config, now: AS_OF });
  });

  it("is the whole population: top of every quintile, a Champion", async () => {
    const a = await customerAnalytics({ db: t.db }, { customerId: id });
    expect(a.computed && a.rfm).toEqual({
      scores: { recency: 5, frequency: 5, monetary: 5, fm: 5 },
      segment: "CHAMPIONS",
    });
    // No gap anywhere: no rhythm, so no score (never a guess).
    expect(a.computed && a.churn).toMatchObject({
      level: "UNKNOWN",
      score: null,
      rhythmDays: null,
      daysSinceLastVisit: 18,
    });
  });

  it("makes every figure of the dashboard", async () => {
    const k = (await analyticsDashboard({ db: t.db, config }, { ...JUNE, includeRevenue: true }))
      .kpis!;
    expect(k.totalCustomers).toEqual({ value: 1, previous: 0, change: 1 });
    expect(k.newCustomers).toEqual({ value: 1, previous: 0, change: 1 });
    expect(k.activeCustomers).toEqual({ value: 1, previous: 0, change: 1 });
    // Nobody visited in May: no base for June's retention.
    expect(k.retentionRate).toMatchObject({ value: null, base: 0 });
    expect(k.averageLifetimeValue).toEqual({ value: 4000, previous: null, change: null });
    expect(k.emailOptInRate).toMatchObject({ value: 0, previous: null, change: null });
  });
});

describe("churn on known rhythms", () => {
  let t: TestDatabase;
  const id: Record<string, string> = {};
  const visits = (days: string[]) => days.map((day) => ({ day, amount: 1000 }));
  beforeAll(async () => {
    t = await fresh();
    // Weekly: every Tuesday in May, then nothing; 30 June is 28 days after 2 June → 4.0.
    id.weekly = await insertFamily(t, {
      createdAt: "2026-05-05",
      bookings: visits(["2026-05-05", "2026-05-12", "2026-05-19", "2026-05-26", "2026-06-02"]),
    });
    // Fortnightly, last 2 June: 28 days / 14 = 2.0 → likely (the boundary counts).
    id.fortnightly = await insertFamily(t, {
      createdAt: "2026-04-21",
      bookings: visits(["2026-04-21", "2026-05-05", "2026-05-19", "2026-06-02"]),
    });
    // Monthly, last 9 June: 21 / 30 = 0.7 → on rhythm.
    id.monthly = await insertFamily(t, {
      createdAt: "2026-03-11",
      bookings: visits(["2026-03-11", "2026-04-10", "2026-05-10", "2026-06-09"]),
    });
    // Three days in a row then 14 days away: gaps of 1 count as the 7-day minimum → 2.0.
    id.burst = await insertFamily(t, {
      createdAt: "2026-06-14",
      bookings: visits(["2026-06-14", "2026-06-15", "2026-06-16"]),
    });
    // Weekly, but with the next visit already booked: 0 whatever the gap.
    id.booked = await insertFamily(t, {
      createdAt: "2026-05-05",
      bookings: [
        ...visits(["2026-05-05", "2026-05-12", "2026-05-19"]),
        { day: "2026-07-01", status: "PENDING" as const },
      ],
    });
    // A visit at 23:30 UTC on 29 June is 30 June in Belgrade (checked below in that zone).
    id.lateNight = await insertFamily(t, {
      createdAt: "2026-06-01",
      bookings: [{ at: "2026-06-29T23:30:00Z", amount: 1000 }],
    });
    await refreshAnalytics({ db: t.db, config, now: AS_OF });
  });

  const churnOf = async (key: string) => {
    const a = await customerAnalytics({ db: t.db }, { customerId: id[key]! });
    if (!a.computed) throw new Error("not computed");
    return a.churn;
  };

  it("divides days since the last visit by the family's median gap", async () => {
    expect(await churnOf("weekly")).toMatchObject({ score: 4, level: "LAPSED", rhythmDays: 7 });
    expect(await churnOf("fortnightly")).toMatchObject({
      score: 2,
      level: "LIKELY",
      rhythmDays: 14,
      daysSinceLastVisit: 28,
    });
    expect(await churnOf("monthly")).toMatchObject({ score: 0.7, level: "ON_RHYTHM" });
    expect(await churnOf("burst")).toMatchObject({
      score: 2,
      level: "LIKELY",
      medianGapDays: 1,
      rhythmDays: 7,
      ownRhythm: true,
    });
    expect(await churnOf("booked")).toMatchObject({ score: 0, level: "UPCOMING" });
  });

  it("lists the likely ones most overdue first, a page at a time", async () => {
    const first = await churnList({ db: t.db }, { limit: 1 });
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
    const second = await churnList({ db: t.db }, { limit: 1, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const both = [...first.items, ...second.items];
    expect(both.map((i) => i.score)).toEqual([2, 2]);
    expect(new Set(both.map((i) => i.id))).toEqual(new Set([id.fortnightly, id.burst]));
    await expect(churnList({ db: t.db }, { cursor: "bm9wZQ" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("counts days in the venue's time zone", async () => {
    expect((await churnOf("lateNight")).daysSinceLastVisit).toBe(1);
    await refreshAnalytics({ db: t.db, config: { TIME_ZONE: "Europe/Belgrade" }, now: AS_OF });
    expect((await churnOf("lateNight")).daysSinceLastVisit).toBe(0);
  });
});
