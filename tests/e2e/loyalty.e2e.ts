import { describe, expect, it } from "vitest";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

describe("loyalty at the counter", () => {
  it("front desk redeems a reward for a family, then looks the pasted code up and marks it used once", async () => {
    const { context, page, errors } = await e2e.open();
    await staffSignIn(page, "FRONT_DESK", "/customers?q=parent%40example.com");
    await page
      .getByRole("link", { name: /parent@example\.com/ })
      .first()
      .click();
    await page.getByRole("heading", { name: "Ana Petrović" }).waitFor();
    const before = Number(
      (await page.getByTestId("customer-points").textContent())!.replace(/\D/g, ""),
    );

    const redeem = page.getByRole("form", { name: "Redeem a reward for this customer" });
    await redeem.getByRole("combobox").selectOption({ label: "Free beverage · 500 points" });
    await redeem.getByRole("button", { name: "Redeem" }).click();
    const issued = page.getByText(
      /^Issued XP-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}: Free beverage/,
    );
    await issued.waitFor();
    const code = /XP-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec((await issued.textContent())!)![0];
    await expect
      .poll(async () =>
        Number((await page.getByTestId("customer-points").textContent())!.replace(/\D/g, "")),
      )
      .toBe(before - 500);

    // At the counter: the code as a parent reads it out, lower case with spaces.
    await page.goto(adminUrl("/loyalty/vouchers"));
    await page.getByLabel("Voucher code").fill(code.toLowerCase().replaceAll("-", " "));
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByText("Ana Petrović").first().waitFor();
    await page.getByRole("link", { name: "Mark used", exact: true }).click();
    await page.getByRole("button", { name: "Yes, mark used" }).click();
    await page.getByText(`${code} used: Free beverage`).waitFor();
    await screenshot(page, "admin-voucher-used");
    // Once only: looking it up again offers no second use.
    await page.getByLabel("Voucher code").fill(code);
    await page.getByRole("button", { name: "Look up" }).click();
    await page.getByText("by Fiona Front Desk").waitFor();
    expect(await page.getByRole("link", { name: "Mark used", exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
