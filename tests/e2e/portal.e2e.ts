import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unsubscribeUrl } from "../../packages/core/src/consent/unsubscribe";
import { nextTier } from "../../packages/core/src/loyalty/rules";
import { portalUrl, screenshot } from "../../tooling/e2e/browser";
import { useE2e } from "../../tooling/e2e/journey";
import { openMailbox } from "../../tooling/e2e/mailbox";

const e2e = useE2e();

/** The same signing key and portal origin as the servers the global setup started. */
const CONFIG = {
  SESSION_SECRET: "e2e-session-secret-0123456789abcdefghijklmnop",
  PORTAL_URL: "http://localhost:3201",
};

const tierName = (t: string) => t.charAt(0) + t.slice(1).toLowerCase();

describe("a family's portal", () => {
  it("signs in by code, sees tier and progress, redeems, downloads their data, unsubscribes from a mail link, deletes the account, and leaves no trace", async () => {
    // A seeded, opted-in family with enough points, not used by other journeys.
    const [family] = await e2e.sql<
      {
        id: string;
        email: string;
        name: string;
        phone: string | null;
        loyalty_points: number;
        lifetime_points: number;
        loyalty_tier: string;
      }[]
    >`select id, email, name, phone, loyalty_points, lifetime_points, loyalty_tier from customers
      where erased_at is null and marketing_opt_in and loyalty_points >= 600 and loyalty_tier <> 'VIP'
        and email not in ('parent@example.com', 'john.smith.1@example.com')
      order by email limit 1`;
    expect(family).toBeDefined();
    const f = family!;

    const { context, page, errors } = await e2e.open({
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
    });
    await page.goto(portalUrl("/sign-in"));
    // Their inbox: the outbox keeps no sign-in code's body in production (issue 14).
    const inbox = await openMailbox(e2e.sql, "portal_journey", {
      templates: ["sign-in-code"],
      to: f.email,
    });
    await page.getByLabel("Email").fill(f.email);
    await page.getByRole("button", { name: "Email me a sign-in code" }).click();
    const signInCode = (await inbox.waitFor(/\b(\d{6})\b/))[1]!;
    await inbox.close();
    await page.getByLabel("6-digit code").fill(signInCode);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(portalUrl("/"));

    // The right tier and progress.
    await expect(page.getByTestId("points-balance").textContent()).resolves.toBe(
      f.loyalty_points.toLocaleString("en-GB"),
    );
    const next = nextTier(f.lifetime_points);
    const progress = await page.getByTestId("tier-progress").textContent();
    if (next) {
      expect(progress).toContain(
        `${next.pointsNeeded.toLocaleString("en-GB")} points to ${tierName(next.tier)}`,
      );
    }

    // Redeem a reward and see the voucher.
    await page
      .getByRole("navigation", { name: "My account" })
      .getByRole("link", { name: "Rewards" })
      .click();
    await page.getByRole("link", { name: "Redeem Free beverage" }).click();
    await page.getByRole("button", { name: "Yes, redeem Free beverage" }).click();
    await page.getByTestId("voucher-code").waitFor();
    const code = (await page.getByTestId("voucher-code").textContent())!.trim();
    expect(code).toMatch(/^XP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    await page.getByTestId("voucher-qr").waitFor();
    await screenshot(page, "portal-voucher");

    // Download my data: one zip.
    await page
      .getByRole("navigation", { name: "My account" })
      .getByRole("link", { name: "Privacy" })
      .click();
    // Marketing SMS on, from the privacy page: a confirmed PORTAL consent event with the wording.
    const sms = page.getByRole("switch", { name: "Marketing SMS" });
    const smsWasOn = (await sms.getAttribute("aria-checked")) === "true";
    await sms.click();
    await expect
      .poll(() => page.getByRole("switch", { name: "Marketing SMS" }).getAttribute("aria-checked"))
      .toBe(smsWasOn ? "false" : "true");
    const [smsEvent] = await e2e.sql`select action, state, source, wording from consent_events
      where customer_id = ${f.id} and channel = 'SMS' order by created_at desc limit 1`;
    expect(smsEvent).toMatchObject({
      action: smsWasOn ? "WITHDRAWN" : "GRANTED",
      state: "CONFIRMED",
      source: "PORTAL",
    });
    expect(String(smsEvent!.wording).length).toBeGreaterThan(10);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download my data" }).click(),
    ]);
    const zip = readFileSync((await download.path())!);
    expect(zip.subarray(0, 2).toString()).toBe("PK");
    // File names sit uncompressed in the zip's directory (the contents are unit-tested).
    for (const name of ["data.json", "bookings.csv", "points.csv"]) {
      expect(zip.includes(Buffer.from(name))).toBe(true);
    }
    await screenshot(page, "portal-privacy");

    // The unsubscribe link a marketing email carries, opened by someone not signed in.
    const {
      context: stranger,
      page: mail,
      errors: mailErrors,
    } = await e2e.open({ viewport: { width: 390, height: 844 } });
    await mail.goto(unsubscribeUrl(CONFIG, { customerId: f.id, channel: "EMAIL" }));
    const [{ opted } = { opted: null }] =
      await e2e.sql`select marketing_opt_in as opted from customers where id = ${f.id}`;
    expect(opted).toBe(true); // opening the link changes nothing
    await mail.getByRole("button", { name: "Unsubscribe" }).click();
    await mail
      .getByText(/unsubscribed/i)
      .first()
      .waitFor();
    const [after] = await e2e.sql`select marketing_opt_in from customers where id = ${f.id}`;
    expect(after!.marketing_opt_in).toBe(false);
    expect(mailErrors).toEqual([]);
    await stranger.close();

    // Delete the account.
    await page.reload();
    await page.getByLabel(/To confirm, type your email address/).fill(f.email);
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(portalUrl("/account-deleted"));
    await page.getByRole("heading", { name: "Your account has been deleted" }).waitFor();
    // Let the router finish (revalidation, route discovery) before the test navigates away, so a
    // fetch the test cuts off is not reported as the app's error (seen once on CI's 2 cores).
    await page.waitForLoadState("networkidle");
    await screenshot(page, "portal-account-deleted");
    expect(errors).toEqual([]);
    await page.goto(portalUrl("/"));
    await page.waitForURL(/\/sign-in/);
    // Leaving the page may cut off a fetch of Remix's own router (an "AbortError" from its
    // navigate; seen twice on CI's 2 cores despite the wait above): that is the test's doing.
    expect(errors.filter((e) => !e.startsWith("AbortError"))).toEqual([]);
    await context.close();

    // No trace of their identity in any text column of any table, once the worker has sent the
    // goodbye email (whose copy of the address is then dropped).
    const needles = [f.email, f.name, ...(f.phone ? [f.phone] : [])];
    const columns = await e2e.sql<
      { table_schema: string; table_name: string; column_name: string }[]
    >`
      select c.table_schema, c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t using (table_schema, table_name)
      where c.table_schema in ('public', 'graphile_worker') and t.table_type = 'BASE TABLE'
        and c.data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')`;
    let found: string[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      found = [];
      for (const col of columns) {
        const rows = await e2e.sql.unsafe(
          `select count(*)::int as n from "${col.table_schema}"."${col.table_name}"
           where position(lower($1) in lower("${col.column_name}"::text)) > 0
              or position(lower($2) in lower("${col.column_name}"::text)) > 0
              or ($3::text is not null and position($3 in "${col.column_name}"::text) > 0)`,
          [needles[0]!, needles[1]!, needles[2] ?? null],
        );
        if (rows[0]!.n > 0) found.push(`${col.table_schema}.${col.table_name}.${col.column_name}`);
      }
      if (found.length === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toEqual([]);
    const [erased] =
      await e2e.sql`select email, name, phone, erased_at from customers where id = ${f.id}`;
    expect(erased).toMatchObject({ email: null, name: null, phone: null });
    expect(erased!.erased_at).not.toBeNull();
  });
});
