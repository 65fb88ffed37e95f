import { DEMO_STAFF } from "@xplorium/core/seed";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl, launchBrowser, screenshot, watchConsole } from "../../tooling/e2e/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("marketing segments", () => {
  it("builds a segment with a live count and a preview, and saves it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchConsole(page);
    const marketing = DEMO_STAFF.find((s) => s.role === "MARKETING")!;
    await page.goto(adminUrl("/sign-in?next=%2Fmarketing%2Fsegments"));
    await page.getByLabel("Email").fill(marketing.email);
    await page.getByLabel("Password").fill(marketing.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "New segment" }).click();
    const count = page.locator("output[aria-live]");
    await expect.poll(() => count.textContent()).toMatch(/^[\d,]+ customers$/);
    const everyone = Number((await count.textContent())!.replace(/\D/g, ""));

    await page.getByLabel("Name", { exact: true }).fill("Gold families");
    await page.getByRole("checkbox", { name: "GOLD" }).check();
    await expect
      .poll(async () => Number((await count.textContent())!.replace(/\D/g, "")))
      .toBeLessThan(everyone);
    await page.getByRole("button", { name: "Save segment" }).click();
    await page.getByRole("heading", { name: "Gold families" }).waitFor();
    await screenshot(page, "admin-segment");
    expect(errors).toEqual([]);
    await context.close();
  });
});
