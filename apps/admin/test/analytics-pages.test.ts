import type { StaffRole } from "@xplorium/auth";
import { refreshAnalytics } from "@xplorium/core/analytics";
import { beforeAll, describe, expect, it } from "vitest";
import { insertJuneFixture, type JuneFixture } from "../../../tests/support/analytics-fixture";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as dashboardPage from "../app/routes/_app._index";
import * as insightsPage from "../app/routes/_app.analytics";
import * as customerPage from "../app/routes/_app.customers_.$id";
import * as segmentEditor from "../app/routes/_app.marketing_.segments.$id";
import { page as route, useAdminPages } from "./admin-pages";

/**
 * The dashboard (/), the RFM and churn page (/analytics), the customer page's analytics card and
 * the segment editor's RFM start, over real HTTP on the hand-computed fixture (figures in
 * packages/core/test/analytics.test.ts).
 */
const pages = useAdminPages({
  routes: [
    route("_app._index", "", dashboardPage, { index: true }),
    route("_app.analytics", "analytics", insightsPage),
    route("_app.customers_.$id", "customers/:id", customerPage),
    route("_app.marketing_.segments.$id", "marketing/segments/:id", segmentEditor),
  ],
  env: { TIME_ZONE: "UTC", CURRENCY: "EUR" },
});
let ids: JuneFixture;

beforeAll(async () => {
  ids = await insertJuneFixture(pages.t);
  await refreshAnalytics({
    db: pages.t.db,
    config: { TIME_ZONE: "UTC" },
    now: new Date("2026-06-30T12:00:00Z"),
  });
});

const cookieFor = (role: StaffRole) => pages.cookieFor(role, { name: `Dana ${role}` });
const { get } = pages;
const page = async (path: string, cookie: string) => {
  const res = await get(path, cookie);
  expect(res.status, path).toBe(200);
  return visibleText(await res.text());
};

const JUNE = "/?from=2026-06-01&to=2026-06-30";

describe("the dashboard", () => {
  it("shows an owner every tile with its change, and every chart with its summary", async () => {
    const text = await page(JUNE, await cookieFor("OWNER"));
    expect(text).toContain("Hello, Dana.");
    expect(text).toContain("compared with 2 May 2026 – 31 May 2026");
    expect(text).toMatch(/Total customers 8 ▲ Up \+2 vs 6 in the previous period/);
    expect(text).toMatch(/Active customers 5 ▼ Down −1 vs 6 in the previous period/);
    expect(text).toMatch(/New customers 2 ▲ Up \+1 vs 1 in the previous period/);
    expect(text).toMatch(/Retention rate 25% ▼ Down −50 pts vs 75% in the previous period/);
    expect(text).toContain("1 of 4 customers who visited in the previous period came back");
    expect(text).toMatch(/Average lifetime value €108\.50 ▲ Up \+€3\.33 vs €105\.17/);
    expect(text).toMatch(/Email opt-in rate 50% ▲ Up \+16\.7 pts vs 33\.3%/);
    expect(text).toMatch(/SMS opt-in rate 12\.5% ▼ Down −4\.2 pts vs 16\.7%/);
    expect(text).toContain("Tier distribution");
    for (const title of [
      "Customer acquisition",
      "Bookings by type",
      "Revenue by booking type",
      "Tier progression",
      "Booking frequency (all time)",
      "Loyalty points (balances now)",
      "Lifetime value by tier",
    ]) {
      expect(text, title).toContain(title);
    }
    // The text alternatives: a summary sentence and the numbers behind each chart.
    expect(text).toContain("2 new customers in this range");
    expect(text).toContain("€20.00 in total: Playground €20.00");
    expect(text).toContain("1 customer moved up a tier in this range: 0 to Silver, 1 to Gold");
    expect(text).toContain("Of 8 customers, 1 (13%) visited once and 5 (63%) came back");
    expect(text).toContain("Show the numbers");
    // Charts are drawn in the browser; the server sends their placeholders.
    expect(text).toContain("Drawing chart…");
  });

  it("shows the front desk no venue money, decided on the server", async () => {
    const res = await get(JUNE, await cookieFor("FRONT_DESK"));
    const html = await res.text();
    const text = visibleText(html);
    expect(text).toContain("Total customers 8");
    expect(text).toContain("Bookings by type");
    for (const hidden of [
      "Average lifetime value",
      "Revenue by booking type",
      "Lifetime value by tier",
      "€108.50",
    ]) {
      expect(text, hidden).not.toContain(hidden);
    }
    // Not in the page's data either (the loader data is in the HTML for hydration).
    expect(html).not.toContain("10850");
    expect(text).not.toContain("RFM and churn");
  });

  it("keeps a preset in the URL and says when a custom range cannot be used", async () => {
    const cookie = await cookieFor("MANAGER");
    const preset = await get("/?range=7d", cookie);
    expect(preset.status).toBe(200);
    expect(await preset.text()).toMatch(/aria-current="true"[^>]*>Last 7 days/);
    const backwards = await page("/?from=2026-06-30&to=2026-06-01", cookie);
    expect(backwards).toContain("The range must start on or before its last day.");
    expect(backwards).toContain("Total customers");
    expect(await page("/?from=2026-06-01", cookie)).toContain(
      "Choose both a start and an end date.",
    );
  });
});

describe("the RFM and churn page", () => {
  it("shows marketing the segments, the grid, the method and who is likely to churn", async () => {
    const text = await page("/analytics", await cookieFor("MARKETING"));
    expect(text).toContain("8 customers, 6 of them with at least one visit");
    expect(text).toMatch(/Champions 2 \(33\.3%\)/);
    expect(text).toContain("The RFM grid");
    expect(text).toContain("Churn score = days since the last visit ÷ the family's rhythm.");
    expect(text).toContain("now 29 days");
    expect(text).toContain("Likely to churn (1)");
    expect(text).toMatch(/Apr 2026 71 days ago 30 days their own rhythm 2\.36/);
    const html = await (await get("/analytics", await cookieFor("MARKETING"))).text();
    expect(html).toContain(`href="/customers/${ids.H}"`);
    expect(html).toContain('href="/marketing/segments/new?rfm=CHAMPIONS"');
  });

  it("is not for the front desk", async () => {
    const res = await get("/analytics", await cookieFor("FRONT_DESK"));
    expect(res.status).toBe(403);
  });

  it("starts a marketing segment from an RFM segment", async () => {
    const text = await page("/marketing/segments/new?rfm=CHAMPIONS", await cookieFor("MARKETING"));
    expect(text).toContain("RFM Champions");
    const churn = await page("/marketing/segments/new?churn=1", await cookieFor("MARKETING"));
    expect(churn).toContain("likely to churn");
  });
});

describe("the customer page", () => {
  it("adds the customer's RFM segment, churn score with its arithmetic, and lifetime value", async () => {
    const text = await page(`/customers/${ids.A}`, await cookieFor("FRONT_DESK"));
    expect(text).toContain("RFM segment Champions");
    expect(text).toContain("Recency 5 · Frequency 5 · Monetary 4");
    expect(text).toContain(
      "Last visit 20 days ago; they usually come every 31 days (the median of their 5 gaps between visits): 20 ÷ 31 = 0.64.",
    );
    expect(text).toMatch(/Spent €120\.00 Average order €20\.00 Visits 6 \(6 completed\)/);
    const c = await page(`/customers/${ids.C}`, await cookieFor("FRONT_DESK"));
    expect(c).toContain("the venue's typical gap of 29 days stands in for their rhythm");
  });
});

describe("before the first refresh", () => {
  it("says the figures are on their way", async () => {
    await pages.t.sql`delete from analytics_state`;
    const text = await page("/", await cookieFor("OWNER"));
    expect(text).toContain("The first figures are being worked out");
    expect(await page("/analytics", await cookieFor("MARKETING"))).toContain(
      "The first figures are being worked out",
    );
  });
});
