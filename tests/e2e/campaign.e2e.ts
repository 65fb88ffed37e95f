import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../../packages/core/src/tracking/webhook-signature";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { E2E_WEBHOOK_SECRET } from "../../tooling/e2e/global-setup";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

/** The venue's wall-clock time (the e2e servers run with the default Europe/Belgrade). */
function venueMinute(at: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Belgrade",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

/** Plays Resend: one signed webhook for an email, as its servers would post it. */
async function webhook(type: string, emailId: string, extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: `re_${randomUUID()}`,
      created_at: new Date().toISOString(),
      tags: { email_id: emailId },
      ...extra,
    },
  });
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const res = await fetch(adminUrl("/api/webhooks/resend"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(timestamp),
      "svix-signature": signWebhook(E2E_WEBHOOK_SECRET, { id, timestamp, body }),
    },
    body,
  });
  expect(res.status).toBe(200);
}

describe("a marketing campaign", () => {
  it("builds 'GOLD+ party regulars with 5+ bookings', previews it, sends it on schedule, and sees the webhooks' counts arrive", async () => {
    const { context, page, errors } = await e2e.open({ viewport: { width: 1400, height: 1000 } });
    await staffSignIn(page, "MARKETING", "/marketing/settings");

    // Open and click tracking is off until marketing turns it on.
    await page.getByRole("button", { name: "Turn tracking on" }).click();
    await page.getByRole("button", { name: "Turn tracking off" }).waitFor();

    // The segment.
    await page.goto(adminUrl("/marketing/segments/new"));
    const count = page.locator("output[aria-live]");
    await expect.poll(() => count.textContent()).toMatch(/^[\d,]+ customers$/);
    await page.getByLabel("Name", { exact: true }).fill("GOLD+ party regulars");
    for (const tier of ["GOLD", "PLATINUM", "VIP"]) {
      await page.getByRole("checkbox", { name: tier }).check();
    }
    await page.getByLabel("Tagged with any of").fill("party-regular");
    await page.getByLabel("At least this many bookings").fill("5");
    await page.getByLabel("Email marketing").selectOption({ label: "Opted in" });
    const [expected] = await e2e.sql<{ n: number }[]>`select count(*)::int as n from customers c
      where erased_at is null and marketing_opt_in and loyalty_tier in ('GOLD', 'PLATINUM', 'VIP')
        and tags && '{party-regular}' and total_bookings >= 5
        and not exists (select 1 from suppressions s where s.email_hash =
          encode(sha256(convert_to(c.email, 'UTF8')), 'hex'))`;
    const audience = expected!.n;
    expect(audience).toBeGreaterThan(0);
    await expect
      .poll(async () => Number((await count.textContent())!.replace(/\D/g, "")))
      .toBe(audience);
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.getByRole("heading", { name: "GOLD+ party regulars" }).waitFor();

    // The campaign: a draft with merge tags, previewed as a real member of the segment.
    await page.goto(adminUrl("/marketing/campaigns/new"));
    await page.getByLabel("Name", { exact: true }).fill("Party season");
    await page.getByLabel("Audience").selectOption({ label: "GOLD+ party regulars" });
    await page.getByLabel("Subject").fill("{{firstName}}, your party perks");
    await page.getByLabel("Preheader").fill("You are {{tier}} with {{points}} points");
    await page
      .getByLabel("Body (Markdown)")
      .fill("# Hello {{firstName}}!\n\nAs a **{{tier}}** member you have {{points}} points.");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/marketing\/campaigns\/[0-9a-f-]{36}/);
    const campaignId = /campaigns\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    const [member] = await e2e.sql<
      { email: string; name: string }[]
    >`select email, name from customers
      where loyalty_tier in ('GOLD', 'PLATINUM', 'VIP') and tags && '{party-regular}'
        and total_bookings >= 5 and marketing_opt_in and erased_at is null and name is not null
      order by email limit 1`;
    await page.getByLabel("Preview as a customer").fill(member!.email);
    await page
      .getByRole("button", { name: new RegExp(member!.email.replace(/[.+]/g, "\\$&")) })
      .click();
    const firstName = member!.name.split(/\s+/)[0]!;
    await expect
      .poll(() => page.getByTestId("preview-subject").textContent())
      .toBe(`${firstName}, your party perks`);
    await expect
      .poll(() => page.frameLocator('iframe[title="Email preview"]').locator("h1").textContent())
      .toBe(`Hello ${firstName}!`);
    await screenshot(page, "admin-campaign-editor");

    // A test send to two colleagues: the saved version, subject marked "[Test]".
    const testForm = page.getByRole("form", { name: "Send a test" });
    await testForm.getByLabel("To").fill("ana@xplorium.example, marko@xplorium.example");
    await testForm.getByRole("button", { name: "Send test" }).click();
    await expect
      .poll(async () =>
        (
          await e2e.sql<{ to_email: string }[]>`select to_email from email_messages
            where template = 'campaign-test' and subject like '[Test]%party perks'
            order by to_email`
        ).map((r) => r.to_email),
      )
      .toEqual(["ana@xplorium.example", "marko@xplorium.example"]);

    // Scheduled for the first whole minute at least 90 s away (the form is minute-precise and
    // refuses anything under a minute ahead).
    const at = new Date(Math.ceil((Date.now() + 90_000) / 60_000) * 60_000);
    await page.getByLabel("Send at").fill(venueMinute(at));
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    await expect.poll(() => page.getByTestId("campaign-status").textContent()).toBe("Scheduled");

    // The worker starts it at its time; the page follows its progress to the end.
    await expect
      .poll(() => page.getByTestId("campaign-status").textContent(), {
        timeout: 240_000,
        interval: 2_000,
      })
      .toBe("Sent");
    const rows = await e2e.sql<
      { id: string; status: string }[]
    >`select id, status from email_messages
      where campaign_id = ${campaignId} order by id`;
    expect(rows).toHaveLength(audience);
    expect(rows.every((r) => r.status === "SENT")).toBe(true);

    // Resend's webhooks arrive: every email delivered, two opened, one of those clicked (twice,
    // counted once), and one event replayed (counted once).
    for (const r of rows) await webhook("email.delivered", r.id);
    const opened = rows.slice(0, Math.min(2, rows.length));
    for (const r of opened) await webhook("email.opened", r.id);
    await webhook("email.clicked", opened[0]!.id, {
      click: { link: "https://xplorium.example/party" },
    });
    await webhook("email.clicked", opened[0]!.id, {
      click: { link: "https://xplorium.example/party" },
    });

    await page.goto(adminUrl(`/marketing/campaigns/${campaignId}/report`));
    // A stat tile's number: the first <dd> after its <dt>.
    const tile = (label: string) =>
      page
        .locator("dl > div")
        .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
        .locator("dd")
        .first()
        .textContent();
    await expect.poll(() => tile("Delivered")).toBe(audience.toLocaleString("en"));
    expect(await tile("Unique opens")).toBe(String(opened.length));
    expect(await tile("Unique clicks")).toBe("1");
    await page.getByText("https://xplorium.example/party").first().waitFor();
    await screenshot(page, "admin-campaign-report-live");
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);
});
