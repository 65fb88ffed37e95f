import type { StaffRole } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { refreshAnalytics } from "@xplorium/core/analytics";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertFamily } from "../../../tests/support/analytics-fixture";
import { staffCaller, testEnv } from "./support";

/**
 * What each role gets from the analytics procedures (ADR: the front desk sees the dashboard but
 * no venue money). Through real sessions and the real router, so the filtering is server-side.
 */
let t: TestDatabase;
let env: Env;
let customerId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  env = testEnv(t.url, { TIME_ZONE: "UTC" });
  // Two families: a monthly regular (2,000 a visit) and one who came twice long ago.
  customerId = await insertFamily(t, {
    createdAt: "2026-03-01",
    bookings: ["03-01", "04-01", "05-01", "06-01"].map((d) => ({
      day: `2026-${d}`,
      type: "PARTY" as const,
      amount: 2000,
    })),
  });
  await insertFamily(t, {
    createdAt: "2025-06-01",
    bookings: [
      { day: "2025-06-01", amount: 500 },
      { day: "2025-07-01", amount: 500 },
    ],
  });
  await refreshAnalytics({
    db: t.db,
    config: { TIME_ZONE: "UTC" },
    now: new Date("2026-06-20T12:00:00Z"),
  });
});
afterAll(async () => {
  await t?.drop();
});

const callerFor = async (role: StaffRole) =>
  (await staffCaller(t.db, env, role, "analytics-test")).api;

const range = { from: "2026-06-01", to: "2026-06-20" };

describe("analytics by role", () => {
  it("gives owners and managers the money figures", async () => {
    for (const role of ["OWNER", "MANAGER"] as const) {
      const api = await callerFor(role);
      const d = await api.analytics.dashboard({ range });
      // 8,000 + 1,000 over two paying customers.
      expect(d.kpis?.averageLifetimeValue?.value, role).toBe(4500);
      const c = await api.analytics.charts({ range });
      expect(c.charts?.revenueTotals, role).toEqual({
        CAFE: 0,
        PLAYGROUND: 0,
        PARTY: 2000,
        EVENT: 0,
      });
      expect(c.charts?.ltvByTier?.[0]).toMatchObject({
        tier: "BRONZE",
        averageLifetimeValue: 4500,
      });
    }
  });

  it("gives the front desk and marketing the dashboard without venue money", async () => {
    for (const role of ["FRONT_DESK", "MARKETING"] as const) {
      const api = await callerFor(role);
      const d = await api.analytics.dashboard({ range });
      expect(d.kpis?.totalCustomers.value, role).toBe(2);
      expect(d.kpis?.averageLifetimeValue, role).toBeNull();
      const c = await api.analytics.charts({ range });
      expect(c.charts?.bookingTotals.PARTY, role).toBe(1);
      expect(c.charts?.revenueByType, role).toBeNull();
      expect(c.charts?.revenueTotals, role).toBeNull();
      expect(c.charts?.ltvByTier, role).toBeNull();
      // Nothing that adds up money slipped into the answer under another name.
      expect(JSON.stringify({ d, c }), role).not.toMatch(
        /"(revenue|spent|averageLifetimeValue)[A-Za-z]*":\s*\d/,
      );
    }
  });

  it("keeps the RFM page and churn list from the front desk", async () => {
    const frontDesk = await callerFor("FRONT_DESK");
    await expect(frontDesk.analytics.rfmSegments()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(frontDesk.analytics.churnList({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    const marketing = await callerFor("MARKETING");
    expect((await marketing.analytics.rfmSegments()).rfm?.customersWithVisits).toBe(2);
  });

  it("shows every staff role a customer's own analytics", async () => {
    for (const role of ["OWNER", "FRONT_DESK", "MARKETING"] as const) {
      const a = await (await callerFor(role)).analytics.customerAnalytics({ customerId });
      expect(a.computed && a.lifetimeValue.spent, role).toBe(8000);
    }
  });

  it("answers a bad range with the fields to fix", async () => {
    const api = await callerFor("OWNER");
    await expect(
      api.analytics.dashboard({ range: { from: "2026-06-20", to: "2026-06-01" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/start/) });
    await expect(
      api.analytics.dashboard({ range: { from: "June", to: "2026-06-01" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
