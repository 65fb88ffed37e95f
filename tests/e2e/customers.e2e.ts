import { describe, expect, it } from "vitest";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

describe("customer list", () => {
  it("finds a family from a typo as you type, sorts and pages, with the view in the URL", async () => {
    const { context, page, errors } = await e2e.open();
    await staffSignIn(page, "FRONT_DESK", "/customers");
    await page.waitForURL(adminUrl("/customers"));
    await expect.poll(() => page.locator("tbody tr").count()).toBe(50);
    await screenshot(page, "admin-customers");

    await page.getByLabel("Search").pressSequentially("jon smth", { delay: 30 });
    await page.waitForURL(/q=jon\+smth/);
    await expect.poll(() => page.locator("tbody tr").first().textContent()).toContain("John Smith");

    // Open him: the row leads to the detail page.
    await page
      .getByRole("link", { name: /john\.smith/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "John Smith" }).waitFor();
    await expect(page.getByTestId("customer-points").textContent()).resolves.toMatch(/\d/);
    // Tag him (normalised to a slug), write a note, then take the tag off again.
    await page.getByLabel("New tag").fill("Birthday Club");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("list", { name: "Tags" }).getByText("birthday-club").waitFor();
    await page.getByLabel("Admin notes").fill("Prefers the quiet corner.");
    await page.getByRole("button", { name: "Save notes" }).click();
    await page.getByText("Notes saved.").waitFor();
    await screenshot(page, "admin-customer-detail");
    await page.getByRole("button", { name: "Remove tag birthday-club" }).click();
    await expect
      .poll(() => page.getByRole("list", { name: "Tags" }).getByText("birthday-club").count())
      .toBe(0);
    await page.reload();
    await expect(page.getByLabel("Admin notes").inputValue()).resolves.toBe(
      "Prefers the quiet corner.",
    );
    await page.goBack();
    await page.waitForURL(/q=jon\+smth/);

    await page.getByRole("link", { name: /^Points/ }).click();
    await page.waitForURL(/sort=points/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("jon smth");

    await page.goto(adminUrl("/customers?sort=points&dir=desc"));
    const firstPage = await page.locator("tbody tr td:nth-child(1)").allTextContents();
    await page.getByRole("link", { name: "Next page →" }).click();
    await page.waitForURL(/cursor=/);
    await expect
      .poll(() => page.locator("tbody tr td:nth-child(1)").first().textContent())
      .not.toBe(firstPage[0]);
    const secondPage = await page.locator("tbody tr td:nth-child(1)").allTextContents();
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((e) => firstPage.includes(e))).toEqual([]);

    const missing = await page.goto(adminUrl("/customers/00000000-0000-4000-8000-000000000000"));
    expect(missing?.status()).toBe(404);
    await page.goto(adminUrl("/customers?q=zzzzqqqq"));
    await page.getByText("No customers match").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
