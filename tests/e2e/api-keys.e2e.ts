import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";

const e2e = useE2e();

async function signIn(page: Page, role: "OWNER" | "MANAGER") {
  await staffSignIn(page, role);
  await page.waitForURL(adminUrl("/"));
}

/** The booking site's call: the key alone, no cookie, no Origin, through the production edge. */
const whoami = (key: string) =>
  fetch(adminUrl("/api/trpc/apiKeys.whoami"), { headers: { authorization: `Bearer ${key}` } });

describe("API keys", () => {
  it("an owner creates a key, sees it once, the booking site uses it, and revoking stops it", async () => {
    const { context, page, errors } = await e2e.open();
    await signIn(page, "OWNER");
    await page.getByRole("link", { name: "API keys" }).click();
    await page.waitForURL(adminUrl("/settings/api-keys"));

    await page.getByLabel("Name").fill("Booking site");
    await page.getByRole("button", { name: "Create key" }).click();
    const box = page.getByTestId("new-api-key");
    await box.getByText("You will not see this key again").waitFor();
    const key = await page.getByLabel("New API key").inputValue();
    expect(key).toMatch(/^xp_[a-z2-9]{8}_[a-z2-9]{32}$/);
    await page.locator("tbody tr", { hasText: "Booking site" }).waitFor();
    await screenshot(page, "admin-api-key-created");

    const ok = await whoami(key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      result: { data: { json: { type: "apiKey", name: "Booking site" } } },
    });

    // Gone after a reload: only the prefix is listed.
    await page.reload();
    expect(await page.getByTestId("new-api-key").count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    const row = page.locator("tbody tr", { hasText: "Booking site" });
    await row.getByText(`xp_${key.slice(3, 11)}_…`).waitFor();

    await row.getByRole("link", { name: "Revoke…" }).click();
    await page.getByText("Anything using this key stops working immediately.").waitFor();
    await screenshot(page, "admin-api-key-revoke");
    await page.getByRole("button", { name: "Revoke key" }).click();
    await page.getByText(/^Revoked /).waitFor();
    expect(new URL(page.url()).search).toBe("");
    expect((await whoami(key)).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("managers do not see or open the page", async () => {
    const { context, page } = await e2e.open();
    await signIn(page, "MANAGER");
    expect(await page.getByRole("link", { name: "API keys" }).count()).toBe(0);
    const res = await page.goto(adminUrl("/settings/api-keys"));
    expect(res?.status()).toBe(403);
    await context.close();
  });
});
