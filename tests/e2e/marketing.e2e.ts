import { describe, expect, it } from "vitest";
import { screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

describe("marketing segments", () => {
  it("builds a segment with a live count and a preview, and saves it", async () => {
    const { context, page, errors } = await e2e.open();
    await staffSignIn(page, "MARKETING", "/marketing/segments");
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
