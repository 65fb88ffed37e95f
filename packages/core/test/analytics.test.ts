import {
  analyticsCharts,
  analyticsDashboard,
  analyticsRfm,
  churnList,
  customerAnalytics,
  refreshAnalytics,
} from "@xplorium/core/analytics";
import { segmentCount, segmentPreview } from "@xplorium/core/marketing";
import { describe, expect, it } from "vitest";
import { insertJuneFixture, type JuneFixture } from "../../../tests/support/analytics-fixture";
import { quintileScore, RFM_GRID, rfmSegmentOf } from "../src/analytics/rfm";
import { useTestDatabase } from "./support";

/**
 * Every figure against a hand computation on a small fixture (UTC days, as of 30 June 2026
 * 12:00). The range is June (1–30), so the previous period is 2–31 May and the one before it
 * 2 April – 1 May. Each family's comment (tests/support/analytics-fixture.ts) holds what the
 * numbers below are computed from.
 */
const AS_OF = new Date("2026-06-30T12:00:00Z");
const config = { TIME_ZONE: "UTC" };
const JUNE = { from: "2026-06-01", to: "2026-06-30" };
const FULL = { includeRevenue: true };

let id: JuneFixture;
const t = useTestDatabase(async (t) => {
  id = await insertJuneFixture(t);
  await refreshAnalytics({ db: t.db, config, now: AS_OF });
});

describe("the dashboard, by hand", () => {
  it("counts customers, new, active and retention for June against May", async () => {
    const d = await analyticsDashboard({ db: t.db, config }, { range: JUNE, ...FULL });
    expect(d.range).toMatchObject({
      from: "2026-06-01",
      to: "2026-06-30",
      days: 30,
      previous: { from: "2026-05-02", to: "2026-05-31" },
      beforePrevious: { from: "2026-04-02", to: "2026-05-01" },
      bucket: "day",
    });
    expect(d.snapshot?.asOfDay).toBe("2026-06-30");
    const k = d.kpis!;
    // Acquired by 30 June: A B C D E G H I (F is erased); by 31 May: A B C E H I.
    expect(k.totalCustomers).toEqual({ value: 8, previous: 6, change: 2 });
    // June: D, G; 2–31 May: C (I joined on 1 May).
    expect(k.newCustomers).toEqual({ value: 2, previous: 1, change: 1 });
    // A visit in 2 Apr – 30 Jun: A C E H I; in 3 Mar – 31 May: those and B (5 March).
    expect(k.activeCustomers).toEqual({ value: 5, previous: 6, change: -1 });
    // Visited 2–31 May: A C E I; of them in June: A → 1/4. Visited 2 Apr – 1 May: A E H I;
    // of them in May: A E I → 3/4.
    expect(k.retentionRate).toEqual({
      value: 0.25,
      previous: 0.75,
      change: -0.5,
      retained: 1,
      base: 4,
      previousRetained: 3,
      previousBase: 4,
    });
  });

  it("averages lifetime value over customers who paid", async () => {
    const k = (await analyticsDashboard({ db: t.db, config }, { range: JUNE, ...FULL })).kpis!;
    // Completed by 30 June: A 12,000 + B 4,500 + C 30,000 + E 2,000 + H 15,000 + I 1,600 =
    // 65,100 over 6 payers; by 31 May, A's June 2,000 less: 63,100 / 6 = 10,516.67.
    expect(k.averageLifetimeValue).toEqual({ value: 10_850, previous: 10_517, change: 333 });
  });

  it("rebuilds opt-in rates from the consent history", async () => {
    const k = (await analyticsDashboard({ db: t.db, config }, { range: JUNE, ...FULL })).kpis!;
    // Email today: A D E I of 8. On 31 May: A and H (E confirmed 5 June, I 2 June, D joined
    // 15 June; H withdrew 12 June) of 6.
    expect(k.emailOptInRate).toMatchObject({ value: 0.5, optedIn: 4, previousOptedIn: 2 });
    expect(k.emailOptInRate.previous).toBeCloseTo(2 / 6, 10);
    expect(k.emailOptInRate.change).toBeCloseTo(0.5 - 2 / 6, 10);
    // SMS: A only: 1/8 and 1/6.
    expect(k.smsOptInRate.value).toBe(0.125);
    expect(k.smsOptInRate.previous).toBeCloseTo(1 / 6, 10);
  });

  it("takes tier changes back to the previous period's end", async () => {
    const d = await analyticsDashboard({ db: t.db, config }, { range: JUNE, ...FULL });
    // Now: BRONZE C D E G I, SILVER H, GOLD A, VIP B. On 31 May A was still SILVER and D, G
    // had not joined.
    expect(d.tiers).toEqual([
      { tier: "BRONZE", value: 5, previous: 3, change: 2 },
      { tier: "SILVER", value: 1, previous: 2, change: -1 },
      { tier: "GOLD", value: 1, previous: 0, change: 1 },
      { tier: "PLATINUM", value: 0, previous: 0, change: 0 },
      { tier: "VIP", value: 1, previous: 1, change: 0 },
    ]);
  });

  it("leaves venue money out without read:revenue", async () => {
    const d = await analyticsDashboard(
      { db: t.db, config },
      { range: JUNE, includeRevenue: false },
    );
    expect(d.kpis!.averageLifetimeValue).toBeNull();
    const c = await analyticsCharts({ db: t.db, config }, { range: JUNE, includeRevenue: false });
    expect(c.charts!.revenueByType).toBeNull();
    expect(c.charts!.revenueTotals).toBeNull();
    expect(c.charts!.ltvByTier).toBeNull();
    expect(c.charts!.bookingTotals).toEqual({ CAFE: 0, PLAYGROUND: 1, PARTY: 0, EVENT: 0 });
  });

  it("refuses a range that ends before it starts or spans more than five years", async () => {
    await expect(
      analyticsDashboard(
        { db: t.db, config },
        { range: { from: "2026-06-02", to: "2026-06-01" }, ...FULL },
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      analyticsDashboard(
        { db: t.db, config },
        { range: { from: "2020-01-01", to: "2026-06-01" }, ...FULL },
      ),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("the charts, by hand", () => {
  it("buckets June by day", async () => {
    const c = (await analyticsCharts({ db: t.db, config }, { range: JUNE, ...FULL })).charts!;
    expect(c.bucket).toBe("day");
    expect(c.acquisition).toHaveLength(30);
    expect(c.acquisition.filter((a) => a.customers > 0)).toEqual([
      { bucket: "2026-06-15", customers: 1 },
      { bucket: "2026-06-20", customers: 1 },
    ]);
    // June's only visit: A's playground on 10 June (F is erased, G cancelled, E's is in July).
    expect(c.revenueTotals).toEqual({ CAFE: 0, PLAYGROUND: 2000, PARTY: 0, EVENT: 0 });
    expect(c.tierProgression.find((r) => r.bucket === "2026-06-10")).toEqual({
      bucket: "2026-06-10",
      SILVER: 0,
      GOLD: 1,
      PLATINUM: 0,
      VIP: 0,
    });
  });

  it("buckets seven months by month, with empty months as zero", async () => {
    const range = { from: "2025-12-01", to: "2026-06-30" };
    const c = (await analyticsCharts({ db: t.db, config }, { range, ...FULL })).charts!;
    expect(c.bucket).toBe("month");
    expect(c.acquisition).toEqual([
      { bucket: "2025-12-01", customers: 0 },
      { bucket: "2026-01-01", customers: 1 }, // A
      { bucket: "2026-02-01", customers: 2 }, // B, H (first visit 19 Feb)
      { bucket: "2026-03-01", customers: 1 }, // E
      { bucket: "2026-04-01", customers: 0 },
      { bucket: "2026-05-01", customers: 2 }, // C, I
      { bucket: "2026-06-01", customers: 2 }, // D, G
    ]);
    // Visits: A 5 cafe + 1 playground, B 3 playground, C party, E 2 cafe + 1 event, H 3 event,
    // I 2 cafe. Revenue: completed only (E's event was approved, not completed).
    expect(c.bookingTotals).toEqual({ CAFE: 9, PLAYGROUND: 4, PARTY: 1, EVENT: 4 });
    expect(c.revenueTotals).toEqual({
      CAFE: 13_600,
      PLAYGROUND: 6500,
      PARTY: 30_000,
      EVENT: 15_000,
    });
    expect(c.tierProgression.map(({ bucket, ...tiers }) => [bucket, tiers])).toEqual([
      ["2025-12-01", { SILVER: 0, GOLD: 0, PLATINUM: 0, VIP: 0 }],
      ["2026-01-01", { SILVER: 0, GOLD: 0, PLATINUM: 0, VIP: 0 }],
      ["2026-02-01", { SILVER: 0, GOLD: 0, PLATINUM: 0, VIP: 0 }],
      ["2026-03-01", { SILVER: 1, GOLD: 0, PLATINUM: 0, VIP: 0 }],
      ["2026-04-01", { SILVER: 1, GOLD: 0, PLATINUM: 0, VIP: 0 }],
      ["2026-05-01", { SILVER: 0, GOLD: 0, PLATINUM: 0, VIP: 1 }],
      ["2026-06-01", { SILVER: 0, GOLD: 1, PLATINUM: 0, VIP: 0 }],
    ]);
  });

  it("buckets two months by week, starting on Mondays", async () => {
    const c = (
      await analyticsCharts(
        { db: t.db, config },
        { range: { from: "2026-05-01", to: "2026-06-30" }, ...FULL },
      )
    ).charts!;
    expect(c.bucket).toBe("week");
    // 1 May 2026 is a Friday: its week starts on Monday 27 April.
    expect(c.acquisition[0]).toEqual({ bucket: "2026-04-27", customers: 1 }); // I
    expect(c.acquisition.at(-1)?.bucket).toBe("2026-06-29");
    expect(c.acquisition.reduce((s, a) => s + a.customers, 0)).toBe(4); // I C D G
  });

  it("distributes visits, points and lifetime value by tier", async () => {
    const c = (await analyticsCharts({ db: t.db, config }, { range: JUNE, ...FULL })).charts!;
    const bars = (h: { label: string; customers: number }[]) =>
      Object.fromEntries(h.map((b) => [b.label, b.customers]));
    // Visits: D G 0, C 1, I 2, B E H 3, A 6.
    expect(bars(c.bookingFrequency)).toEqual({
      "0": 2,
      "1": 1,
      "2": 1,
      "3": 3,
      "4": 0,
      "5": 0,
      "6–9": 1,
      "10–19": 0,
      "20+": 0,
    });
    // Points: C D G 0, E 150, I 100, B 800, H 1,200, A 2,500.
    expect(bars(c.pointsDistribution)).toEqual({
      "0": 3,
      "1–499": 2,
      "500–999": 1,
      "1,000–2,499": 1,
      "2,500–4,999": 1,
      "5,000+": 0,
    });
    // BRONZE: C 30,000, E 2,000, I 1,600 paid (D, G did not): 33,600 / 3.
    expect(c.ltvByTier).toEqual([
      { tier: "BRONZE", customers: 5, paying: 3, averageLifetimeValue: 11_200 },
      { tier: "SILVER", customers: 1, paying: 1, averageLifetimeValue: 15_000 },
      { tier: "GOLD", customers: 1, paying: 1, averageLifetimeValue: 12_000 },
      { tier: "PLATINUM", customers: 0, paying: 0, averageLifetimeValue: null },
      { tier: "VIP", customers: 1, paying: 1, averageLifetimeValue: 4500 },
    ]);
  });
});

describe("RFM, by hand", () => {
  it("scores quintiles with ties sharing a score, and names the segments", async () => {
    // Six customers with visits. Last visit: B 5 Mar < H 20 Apr < I 8 May < C 20 May < E 25 May
    // < A 10 Jun → R = ceil(5k/6) = 1 2 3 4 5 5. Visits: C 1, I 2, B E H 3 (5 at or below), A 6
    // → F = 1 2 5 5 5 5. Spent: I 1,600 < E 2,000 < B 4,500 < A 12,000 < H 15,000 < C 30,000 →
    // M = 1 2 3 4 5 5.
    const expected = {
      A: { scores: { recency: 5, frequency: 5, monetary: 4, fm: 5 }, segment: "CHAMPIONS" },
      B: { scores: { recency: 1, frequency: 5, monetary: 3, fm: 4 }, segment: "AT_RISK" },
      C: { scores: { recency: 4, frequency: 1, monetary: 5, fm: 3 }, segment: "LOYAL" },
      E: { scores: { recency: 5, frequency: 5, monetary: 2, fm: 4 }, segment: "CHAMPIONS" },
      H: { scores: { recency: 2, frequency: 5, monetary: 5, fm: 5 }, segment: "CANT_LOSE" },
      I: { scores: { recency: 3, frequency: 2, monetary: 1, fm: 2 }, segment: "NEEDS_ATTENTION" },
    } as const;
    for (const [key, want] of Object.entries(expected)) {
      const a = await customerAnalytics({ db: t.db }, { customerId: id[key as keyof typeof id] });
      expect(a.computed && a.rfm, key).toEqual(want);
    }
    const d = await customerAnalytics({ db: t.db }, { customerId: id.D });
    expect(d.computed && d.rfm).toEqual({ scores: null, segment: null });
  });

  it("counts segments and grid cells, and shows what each score covers", async () => {
    const r = (await analyticsRfm({ db: t.db })).rfm!;
    expect(r.customers).toBe(8);
    expect(r.customersWithVisits).toBe(6);
    expect(Object.fromEntries(r.segments.map((s) => [s.segment, s.customers]))).toEqual({
      CHAMPIONS: 2,
      LOYAL: 1,
      PROMISING: 0,
      NEW: 0,
      NEEDS_ATTENTION: 1,
      AT_RISK: 1,
      CANT_LOSE: 1,
      HIBERNATING: 0,
      LOST: 0,
    });
    const cell = (rec: number, fm: number) => r.grid.find((g) => g.recency === rec)!.cells[fm - 1]!;
    expect(cell(5, 5)).toEqual({ fm: 5, segment: "CHAMPIONS", customers: 1 }); // A
    expect(cell(5, 4)).toEqual({ fm: 4, segment: "CHAMPIONS", customers: 1 }); // E
    expect(cell(1, 4)).toEqual({ fm: 4, segment: "AT_RISK", customers: 1 }); // B
    expect(r.bounds.frequency).toEqual([
      { score: 1, customers: 1, min: 1, max: 1 },
      { score: 2, customers: 1, min: 2, max: 2 },
      { score: 5, customers: 4, min: 3, max: 6 },
    ]);
    expect(r.bounds.recency.at(-1)).toEqual({
      score: 5,
      customers: 2,
      min: "2026-05-25",
      max: "2026-06-10",
    });
  });

  it("puts the quintile boundaries where the fifths are", () => {
    // Ten different values: two per score.
    expect(Array.from({ length: 10 }, (_, k) => quintileScore(k + 1, 10))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    // Exactly on a boundary stays below it: 20% → 1, just over → 2.
    expect(quintileScore(20, 100)).toBe(1);
    expect(quintileScore(21, 100)).toBe(2);
    expect(quintileScore(1, 1)).toBe(5);
    // Every cell of the grid has a segment; recent and frequent are Champions, gone are Lost.
    expect(rfmSegmentOf(5, 5, 5)).toBe("CHAMPIONS");
    expect(rfmSegmentOf(5, 1, 1)).toBe("NEW");
    expect(rfmSegmentOf(1, 1, 1)).toBe("LOST");
    expect(rfmSegmentOf(1, 5, 5)).toBe("CANT_LOSE");
    expect(Object.values(RFM_GRID).flat()).toHaveLength(25);
  });
});

describe("churn, by hand", () => {
  it("scores each family against its own rhythm, else the venue's", async () => {
    // Venue gap: median of 7, 14, 15, 18, 20, 28, 30, 30, 30, 31, 31, 31 = (28 + 30) / 2 = 29.
    const expected = {
      A: {
        level: "ON_RHYTHM",
        score: 0.64,
        daysSinceLastVisit: 20,
        rhythmDays: 31,
        ownRhythm: true,
      },
      B: { level: "LAPSED", score: 7.31, daysSinceLastVisit: 117, rhythmDays: 16, ownRhythm: true },
      C: { level: "DUE", score: 1.41, daysSinceLastVisit: 41, rhythmDays: 29, ownRhythm: false },
      D: {
        level: "NO_VISITS",
        score: null,
        daysSinceLastVisit: null,
        rhythmDays: 29,
        ownRhythm: false,
      },
      E: { level: "UPCOMING", score: 0, daysSinceLastVisit: 36, rhythmDays: 17.5, ownRhythm: true },
      H: { level: "LIKELY", score: 2.36, daysSinceLastVisit: 71, rhythmDays: 30, ownRhythm: true },
      I: { level: "DUE", score: 1.82, daysSinceLastVisit: 53, rhythmDays: 29, ownRhythm: false },
    } as const;
    for (const [key, want] of Object.entries(expected)) {
      const a = await customerAnalytics({ db: t.db }, { customerId: id[key as keyof typeof id] });
      expect(a.computed && a.churn, key).toMatchObject(want);
    }
    const rfm = (await analyticsRfm({ db: t.db })).rfm!;
    expect(Object.fromEntries(rfm.churn.map((c) => [c.level, c.customers]))).toEqual({
      NO_VISITS: 2,
      UPCOMING: 1,
      UNKNOWN: 0,
      ON_RHYTHM: 1,
      DUE: 2,
      LIKELY: 1,
      LAPSED: 1,
    });
  });

  it("lists who is likely to churn", async () => {
    const page = await churnList({ db: t.db }, {});
    expect(page.total).toBe(1);
    expect(page.items).toEqual([
      expect.objectContaining({
        id: id.H,
        score: 2.36,
        visits: 3,
        lastVisitOn: "2026-04-20",
        rhythmDays: 30,
        rfmSegment: "CANT_LOSE",
        tier: "SILVER",
      }),
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("gives each customer's lifetime value", async () => {
    const a = await customerAnalytics({ db: t.db }, { customerId: id.A });
    // Acquired 10 January; 171 days to 30 June.
    expect(a.computed && a.lifetimeValue).toEqual({
      spent: 12_000,
      visits: 6,
      completedVisits: 6,
      averageOrder: 2000,
      visitsPerMonth: Math.round((6 / (171 / (365.25 / 12))) * 100) / 100,
      tenureDays: 171,
      acquiredOn: "2026-01-10",
      firstVisitOn: "2026-01-10",
      lastVisitOn: "2026-06-10",
    });
    const e = await customerAnalytics({ db: t.db }, { customerId: id.E });
    // Three visits, two completed (the approved one brought nothing yet).
    expect(e.computed && e.lifetimeValue).toMatchObject({
      spent: 2000,
      visits: 3,
      completedVisits: 2,
      averageOrder: 1000,
    });
    await expect(customerAnalytics({ db: t.db }, { customerId: id.F })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("RFM and churn as segment filters", () => {
  it("selects customers by RFM segment and by churn risk in one query", async () => {
    const count = (filter: object) =>
      segmentCount({ db: t.db, config: { TIME_ZONE: "UTC" } }, filter);
    expect(await count({ rfmSegments: ["CHAMPIONS"] })).toBe(2);
    expect(await count({ rfmSegments: ["AT_RISK", "CANT_LOSE"] })).toBe(2);
    expect(await count({ likelyToChurn: true })).toBe(1);
    expect(await count({ likelyToChurn: false })).toBe(7);
    expect(await count({ rfmSegments: ["CANT_LOSE"], likelyToChurn: true })).toBe(1);
    expect(await count({ rfmSegments: ["CHAMPIONS"], tiers: ["GOLD"] })).toBe(1);
    const preview = await segmentPreview(
      { db: t.db, config: { TIME_ZONE: "UTC" } },
      { filter: { rfmSegments: ["CHAMPIONS"] } },
    );
    expect(preview.items.map((r) => r.id).sort()).toEqual([id.A, id.E].sort());
    await expect(count({ rfmSegments: ["BEST"] })).rejects.toThrow();
  });
});

describe("the refresh", () => {
  it("counts the presets' ranges ahead, and keeps any other once counted", async () => {
    const ranges = async () =>
      (
        await t.sql`select range_from::text || '..' || range_to::text as r from analytics_range_counts
          where as_of = (select as_of from analytics_state) order by 1`
      ).map((x) => x.r);
    // Ending on 30 June: 7, 30, 90 and 365 days, this month, last month, year to date.
    expect(await ranges()).toEqual([
      "2025-07-01..2026-06-30",
      "2026-01-01..2026-06-30",
      "2026-04-02..2026-06-30",
      "2026-05-01..2026-05-31",
      "2026-06-01..2026-06-30",
      "2026-06-24..2026-06-30",
    ]);
    const custom = { from: "2026-03-01", to: "2026-04-15" };
    const first = await analyticsDashboard({ db: t.db, config }, { range: custom, ...FULL });
    expect(await ranges()).toContain("2026-03-01..2026-04-15");
    expect(await analyticsDashboard({ db: t.db, config }, { range: custom, ...FULL })).toEqual(
      first,
    );
  });

  it("rewrites nothing when nothing changed, and one row when one customer did", async () => {
    const again = await refreshAnalytics({ db: t.db, config, now: AS_OF });
    expect(again).toMatchObject({ customers: 8, changed: 0, removed: 0 });
    await t.sql`update customers set sms_opt_in = true where id = ${id.D}`;
    expect(await refreshAnalytics({ db: t.db, config, now: AS_OF })).toMatchObject({ changed: 1 });
    await t.sql`update customers set sms_opt_in = false where id = ${id.D}`;
    await refreshAnalytics({ db: t.db, config, now: AS_OF });
  });
});
