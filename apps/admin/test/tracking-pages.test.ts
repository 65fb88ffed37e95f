import { randomUUID } from "node:crypto";
import { schema } from "@xplorium/db";
import { insertCustomer, unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as marketingIndex from "../app/routes/_app.marketing._index";
import * as settingsPage from "../app/routes/_app.marketing.settings";
import * as reportPage from "../app/routes/_app.marketing_.campaigns.$id.report";
import { page, useAdminPages } from "./admin-pages";

/** /marketing/campaigns/:id/report and /marketing/settings over real HTTP. */

const pages = useAdminPages({
  env: { TIME_ZONE: "UTC" },
  routes: [
    page("_app.marketing._index", "marketing", marketingIndex, { index: true }),
    page("_app.marketing.settings", "marketing/settings", settingsPage),
    page("_app.marketing_.campaigns.$id.report", "marketing/campaigns/:id/report", reportPage),
  ],
});

const { cookieFor, get, post } = pages;

/** A sent campaign: 4 recipients, 3 delivered (one opened and clicked), 1 hard bounce. */
async function sentCampaign() {
  const [campaign] = await pages.t.db
    .insert(schema.campaigns)
    .values({
      name: `Spring party ${unique()}`,
      subject: "Spring parties are here",
      status: "SENT",
      startedAt: new Date("2026-03-02T10:00:00Z"),
    })
    .returning();
  const statuses = ["DELIVERED", "DELIVERED", "DELIVERED", "BOUNCED"] as const;
  const messages: (typeof schema.emailMessages.$inferSelect)[] = [];
  for (const status of statuses) {
    const customer = await insertCustomer(pages.t.db);
    const [m] = await pages.t.db
      .insert(schema.emailMessages)
      .values({
        kind: "MARKETING",
        template: "campaign",
        campaignId: campaign!.id,
        customerId: customer.id,
        toEmail: customer.email,
        fromEmail: pages.env.EMAIL_FROM,
        subject: "Spring parties are here",
        transport: "RESEND",
        status,
        sentAt: new Date("2026-03-02T10:00:00Z"),
      })
      .returning();
    messages.push(m!);
  }
  const event = (i: number, type: string, minutes: number, extra = {}) => ({
    emailMessageId: messages[i]!.id,
    campaignId: campaign!.id,
    svixId: `msg_${randomUUID()}`,
    type,
    payload: {},
    occurredAt: new Date(Date.parse("2026-03-02T10:00:00Z") + minutes * 60_000),
    ...extra,
  });
  await pages.t.db
    .insert(schema.emailEvents)
    .values([
      event(0, "email.delivered", 1),
      event(1, "email.delivered", 2),
      event(2, "email.delivered", 65),
      event(3, "email.bounced", 3, { bounceType: "HARD" }),
      event(0, "email.opened", 70),
      event(0, "email.clicked", 71, { link: "https://xplorium.example/book-a-party" }),
    ]);
  return campaign!;
}

describe("/marketing/campaigns/:id/report", () => {
  it("shows the tiles with rates, the chart's numbers as a table and the top links", async () => {
    const campaign = await sentCampaign();
    const res = await get(
      `/marketing/campaigns/${campaign.id}/report`,
      await cookieFor("MARKETING"),
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = visibleText(html);
    expect(text).toContain(`Report: ${campaign.name}`);
    expect(text).toContain("Sent 4 of 4 recipients");
    expect(text).toContain("Delivered 3 75% of sent");
    expect(text).toContain("Unique opens 1 33.3% of delivered");
    expect(text).toContain("Unique clicks 1 33.3% of delivered");
    expect(text).toContain("Bounces 1 25% of sent · 1 hard, 0 soft");
    expect(text).toContain("Complaints 0 0% of delivered");
    expect(text).toContain("Unsubscribes 0 0% of delivered");
    // Tracking is off by default: the page says so and links to the setting.
    expect(text).toContain("Open and click tracking is off");
    expect(html).toContain('href="/marketing/settings"');
    // The chart, labelled, and its data as a table: hours 10:00 and 11:00 (UTC here).
    expect(html).toContain('role="img"');
    expect(text).toContain("Events per hour from 2 Mar, 10:00 to 2 Mar, 11:00");
    expect(text).toMatch(/Mon 2 Mar, 10:00 2 0 0 1/);
    expect(text).toMatch(/Mon 2 Mar, 11:00 1 1 1 0/);
    expect(text).toContain("https://xplorium.example/book-a-party 1 1");
  });

  it("shows an empty state for a campaign with no events, and 404 for an unknown id", async () => {
    const [campaign] = await pages.t.db
      .insert(schema.campaigns)
      .values({ name: `Draft ${unique()}`, subject: "Soon", status: "DRAFT" })
      .returning();
    const cookie = await cookieFor("MANAGER");
    const text = visibleText(
      await (await get(`/marketing/campaigns/${campaign!.id}/report`, cookie)).text(),
    );
    expect(text).toContain("No events yet");
    expect(text).toContain("Sent 0 of 0 recipients");
    expect(text).toContain("Delivered 0 — of sent");
    expect((await get(`/marketing/campaigns/${randomUUID()}/report`, cookie)).status).toBe(404);
    expect((await get("/marketing/campaigns/not-an-id/report", cookie)).status).toBe(404);
  });

  it("is for marketing, managers and owners only", async () => {
    const campaign = await sentCampaign();
    const res = await get(
      `/marketing/campaigns/${campaign.id}/report`,
      await cookieFor("FRONT_DESK"),
    );
    expect(res.status).toBe(403);
    const anonymous = await fetch(`${pages.server.url}/marketing/campaigns/${campaign.id}/report`, {
      redirect: "manual",
    });
    expect(anonymous.status).toBe(302);
  });
});

describe("/marketing/settings", () => {
  it("marketing turns open/click tracking on and off, audited; the Marketing page links to it", async () => {
    const cookie = await cookieFor("MARKETING");
    const index = await (await get("/marketing", cookie)).text();
    expect(index).toContain('href="/marketing/settings"');

    const before = visibleText(await (await get("/marketing/settings", cookie)).text());
    expect(before).toContain("Off: opens and clicks are not recorded.");
    expect(before).toContain("Turn tracking on");

    const on = await post("/marketing/settings", cookie, { trackOpensClicks: "true" });
    expect(on.status).toBe(200);
    expect(visibleText(await on.text())).toContain("On: opens and clicks are recorded");
    const [row] = await pages.t.sql`select track_opens_clicks from marketing_settings`;
    expect(row!.track_opens_clicks).toBe(true);
    const after = visibleText(await (await get("/marketing/settings", cookie)).text());
    expect(after).toContain("Turn tracking off");
    expect(after).toContain("by Staff MARKETING");

    await post("/marketing/settings", cookie, { trackOpensClicks: "false" });
    const audits = await pages.t.sql`select details from audit_log
      where action = 'marketing.settings_updated' order by id`;
    expect(audits.map((a) => a.details.after)).toEqual([
      { trackOpensClicks: true },
      { trackOpensClicks: false },
    ]);

    const bad = await post("/marketing/settings", cookie, { trackOpensClicks: "maybe" });
    expect(bad.status).toBe(400);
  });

  it("front desk cannot open it; a manager can change it, the owner too", async () => {
    expect((await get("/marketing/settings", await cookieFor("FRONT_DESK"))).status).toBe(403);
    expect(
      (
        await post("/marketing/settings", await cookieFor("FRONT_DESK"), {
          trackOpensClicks: "true",
        })
      ).status,
    ).toBe(403);
    for (const role of ["MANAGER", "OWNER"] as const) {
      const res = await post("/marketing/settings", await cookieFor(role), {
        trackOpensClicks: "false",
      });
      expect(res.status, role).toBe(200);
    }
  });
});
