import { loadEnv } from "@xplorium/config";
import { checkLedger, runPointsExpiry } from "@xplorium/core/loyalty";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { tierScale } from "../../../packages/core/src/loyalty/tier-history";
import { visibleText } from "../../../tests/support/remix-route-server";
import { TierProgress } from "../app/components/customer/tier-progress";
import * as loyaltyPage from "../app/routes/_app.loyalty";
import { page as appPage, useAdminPages } from "./admin-pages";

/**
 * The points-rules page over real HTTP (Express + Remix + the real route modules + tRPC
 * in-process + a real database), and the customer page's tier-progress view rendered on its own.
 */

const pages = useAdminPages({ routes: [appPage("_app.loyalty", "loyalty", loyaltyPage)] });

const { cookieFor } = pages;
const page = (cookie: string) => pages.get("/loyalty", cookie);

describe("loyalty rules page", () => {
  it("shows the earning rules, the tiers, expiry off, and links to rewards and vouchers", async () => {
    const res = await page(await cookieFor("FRONT_DESK"));
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = visibleText(html);
    // Each rule's name, its explanation, then its points.
    for (const rule of [
      /Booking completed [^+]*\+100 /,
      /Party booking completed Instead of the 100 for other bookings\. \+200 /,
      /Birthday month [^×]*entered or changed within 30 days of it\. ×2 /,
      /Referral [^+]*At most 5 referral bonuses per referrer a month[^+]*\+50 each /,
      /Review posted [^+]*once per booking\. \+25 /,
    ]) {
      expect(text).toMatch(rule);
    }
    for (const range of ["0–999", "1,000–2,999", "3,000–5,999", "6,000+"]) {
      expect(text).toContain(range);
    }
    expect(text).toContain("Off. Points never expire.");
    expect(text).toContain("has not run yet");
    expect(html).toContain('href="/loyalty/rewards"');
    expect(html).toContain('href="/loyalty/vouchers"');
  });

  it("shows expiry when it is on and since when, and the last ledger check", async () => {
    // The pages read the configuration per request: switch it for the rest of the file.
    const env = Object.assign(
      pages.env,
      loadEnv({
        NODE_ENV: "test",
        DATABASE_URL: pages.t.url,
        POINTS_EXPIRY_MONTHS: "12",
        POINTS_EXPIRY_WARNING_DAYS: "10",
      }),
    );
    const cookie = await cookieFor("MANAGER");
    expect(visibleText(await (await page(cookie)).text())).toContain(
      "Takes effect when the daily expiry job next runs",
    );
    await runPointsExpiry({ db: pages.t.db, config: env, now: new Date("2027-01-10T10:00:00Z") });
    await checkLedger({ db: pages.t.db });
    const text = visibleText(await (await page(cookie)).text());
    expect(text).toContain(
      "On. Points expire after 12 months without a completed booking. Customers are warned by email 10 days before.",
    );
    expect(text).toContain("In effect since 10 Jan 2027");
    expect(text).toContain("Every points balance matched its ledger");
  });

  it("is closed to roles without read:voucher", async () => {
    expect((await page(await cookieFor("MARKETING"))).status).toBe(403);
  });
});

describe("tier progress (customer page)", () => {
  const history = {
    tiers: tierScale(),
    changes: [
      {
        id: "2",
        fromTier: "BRONZE" as const,
        toTier: "SILVER" as const,
        reason: "points: BOOKING_COMPLETED",
        staffName: "Front Desk",
        createdAt: new Date("2026-05-02T10:00:00Z"),
      },
    ],
  };

  it("marks the lifetime points on the track and says what the next tier needs", () => {
    const html = renderToStaticMarkup(
      createElement(TierProgress, { tier: "SILVER", lifetimePoints: 1250, history }),
    );
    const text = visibleText(html);
    expect(text).toContain("1,250 lifetime points · 1,750 to Gold");
    expect(text).toContain("Points: booking completed");
    expect(text).toContain("2 May 2026 · Front Desk");
    // 1,250 of a 7,500-point track.
    expect(html).toMatch(/data-testid="tier-marker"[^>]*style="left:16.6666/);
    for (const tier of ["BRONZE", "SILVER", "GOLD", "PLATINUM"]) {
      expect(html).toContain(`data-tier="${tier}"`);
    }
  });

  it("pins the marker at the end past the top tier, and explains VIP", () => {
    const html = renderToStaticMarkup(
      createElement(TierProgress, {
        tier: "VIP",
        lifetimePoints: 12000,
        history: { ...history, changes: [] },
      }),
    );
    const text = visibleText(html);
    expect(text).toContain("VIP is set by hand");
    expect(text).toContain("12,000 lifetime points · top tier reached");
    expect(text).toContain("No tier changes yet.");
    expect(html).toMatch(/data-testid="tier-marker"[^>]*style="left:100%/);
  });
});
