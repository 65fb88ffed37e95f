import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

async function signIn(role: "FRONT_DESK" | "MANAGER" | "MARKETING", next = "/") {
  const opened = await e2e.open({ acceptDownloads: true });
  await staffSignIn(opened.page, role, next);
  await opened.page.waitForURL(adminUrl(next));
  return opened;
}

const points = async (page: Page) =>
  Number((await page.getByTestId("customer-points").textContent())!.replace(/\D/g, ""));

describe("staff console", () => {
  it("front desk finds 'jon smth', adds 150 points with a reason, tags him, and sees it in the timeline and the audit log", async () => {
    const { context, page, errors } = await signIn("FRONT_DESK", "/customers");
    await page.getByLabel("Search").pressSequentially("jon smth", { delay: 30 });
    await expect.poll(() => page.locator("tbody tr").first().textContent()).toContain("John Smith");
    await page
      .getByRole("link", { name: /john\.smith/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "John Smith" }).waitFor();
    const before = await points(page);

    await page.getByLabel("Points", { exact: true }).fill("150");
    await page.getByLabel("Reason", { exact: true }).fill("Missed stamp on his paper card");
    await page.getByRole("button", { name: "+ Add points" }).click();
    await page.getByText("Added 150 points.").waitFor();
    await expect.poll(() => points(page)).toBe(before + 150);
    // The form is cleared for the next adjustment.
    await expect(page.getByLabel("Reason", { exact: true }).inputValue()).resolves.toBe("");

    await page.getByLabel("New tag").fill("paper-card");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("list", { name: "Tags" }).getByText("paper-card").waitFor();

    const timeline = page.getByRole("list", { name: "Contact timeline" });
    await timeline.getByText("+150 points · Missed stamp on his paper card").waitFor();
    await timeline.getByText("Tagged “paper-card”").waitFor();
    await screenshot(page, "admin-customer-timeline");
    expect(errors).toEqual([]);
    await context.close();

    // A manager sees both changes, by the front desk, in the audit log.
    const manager = await signIn("MANAGER", "/audit");
    const rows = manager.page.locator("tbody tr");
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const text = (await rows.allTextContents()).slice(0, 5).join("\n");
    expect(text).toMatch(/loyalty\.points_adjusted/);
    expect(text).toMatch(/customer\.tag_added/);
    expect(text).toMatch(/Fiona Front Desk/);
    expect(manager.errors).toEqual([]);
    await manager.context.close();
  });

  it("front desk records a walk-in booking, completes it, and the points appear", async () => {
    const { context, page, errors } = await signIn("FRONT_DESK", "/bookings");
    await page.getByRole("link", { name: "New booking" }).click();
    await page.getByLabel("Email", { exact: true }).fill("walk.in.family@example.com");
    await page.getByLabel("Name", { exact: true }).fill("Walk-In Family");
    await page.getByLabel("Type").selectOption("PARTY");
    await page.getByLabel("Date and time").fill("2026-11-20T16:00");
    await page.getByLabel("Guests").fill("9");
    await page.getByLabel(/Amount/).fill("149,90");
    await page.getByRole("button", { name: "Record booking" }).click();
    await page.getByText("Booking recorded for a new customer").waitFor();

    await page.getByLabel("Customer email or booking ref").fill("walk.in.family@");
    await page.getByText("1 matching bookings").waitFor();
    await page.getByRole("button", { name: /^Complete booking/ }).click();
    await page.getByText("Booking completed. +200 points.").waitFor();
    await screenshot(page, "admin-bookings");

    await page.getByRole("link", { name: "Walk-In Family" }).click();
    await page.getByRole("heading", { name: "Walk-In Family" }).waitFor();
    await expect.poll(() => points(page)).toBe(200);
    await page.getByText("€149.90").first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("creates a customer from the form, with inline errors first", async () => {
    const { context, page, errors } = await signIn("FRONT_DESK", "/customers");
    await page.getByRole("link", { name: "New customer" }).click();
    await page.getByLabel("Email", { exact: true }).fill("new.family@example.com");
    await page.getByLabel("Phone").fill("12");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByText("That is not a valid phone number").waitFor();
    await page.getByLabel("Phone").fill("+381 64 555 1234");
    await page.getByLabel("Name", { exact: true }).fill("New Family");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByRole("heading", { name: "New Family" }).waitFor();
    await page.getByText("Customer created.").waitFor();
    await page.getByText("+381645551234").first().waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("marketing exports the filtered list as a CSV with as many rows as the list says", async () => {
    const { context, page, errors } = await signIn("MARKETING", "/customers?tier=GOLD");
    const header = await page.getByText(/matching customers/).textContent();
    const total = Number(header!.replace(/\D/g, ""));
    expect(total).toBeGreaterThan(0);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Export CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.trimEnd().split("\n");
    expect(lines.length - 1).toBe(total);
    expect(errors).toEqual([]);
    await context.close();
  });
});
