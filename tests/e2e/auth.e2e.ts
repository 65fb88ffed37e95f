import { DEMO_CUSTOMER_EMAIL, DEMO_STAFF } from "@xplorium/core/seed";
import type { Browser, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminUrl,
  launchBrowser,
  portalUrl,
  screenshot,
  watchConsole,
} from "../../tooling/e2e/browser";
import { openMailbox } from "../../tooling/e2e/mailbox";

const owner = DEMO_STAFF.find((s) => s.role === "OWNER")!;
let browser: Browser;
let sql: postgres.Sql;

beforeAll(async () => {
  browser = await launchBrowser();
  // biome-ignore lint/style/noProcessEnv: set by the e2e global setup
  sql = postgres(process.env.E2E_DATABASE_URL!, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await browser?.close();
  await sql?.end({ timeout: 2 });
});

async function staffSignIn(page: Page, email: string, password: string) {
  await page.goto(adminUrl("/sign-in"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("staff", () => {
  it("signs in, sees the console, and signs out", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchConsole(page);

    await page.goto(adminUrl("/staff"));
    await page.waitForURL(/\/sign-in\?next=%2Fstaff/);
    await screenshot(page, "admin-sign-in");

    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Email or password is incorrect.",
    );

    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(adminUrl("/staff"));
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe(owner.name);
    await expect(
      page.getByTestId("staff-row-frontdesk@xplorium.example").isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, "admin-staff");

    // The sign-in itself is in the audit log.
    await page.goto(adminUrl("/audit?action=auth.staff.sign_in"));
    await expect.poll(() => page.locator("tbody tr").first().textContent()).toContain(owner.name);
    await screenshot(page, "admin-audit");

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "__Host-xp_staff_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.secure).toBe(true);
    expect(session?.sameSite).toBe("Lax");

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(adminUrl("/"));
    await page.waitForURL(/\/sign-in/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the staff page only to owners", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const frontDesk = DEMO_STAFF.find((s) => s.role === "FRONT_DESK")!;
    await staffSignIn(page, frontDesk.email, frontDesk.password);
    await page.waitForURL(adminUrl("/"));
    await expect(page.getByRole("link", { name: "Staff" }).count()).resolves.toBe(0);
    const res = await page.goto(adminUrl("/staff"));
    expect(res?.status()).toBe(403);
    await context.close();
  });
});

describe("customer", () => {
  it("signs in to the portal with the emailed code, which no staff screen shows", async () => {
    const customer = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const portal = await customer.newPage();
    const errors = watchConsole(portal);
    await portal.goto(portalUrl("/"));
    await portal.waitForURL(/\/sign-in/);
    await screenshot(portal, "portal-sign-in");
    const inbox = await openMailbox(sql, "auth_journey", {
      templates: ["sign-in-code"],
      to: DEMO_CUSTOMER_EMAIL,
    });
    await portal.getByLabel("Email").fill(DEMO_CUSTOMER_EMAIL);
    await portal.getByRole("button", { name: "Email me a sign-in code" }).click();
    await portal.getByLabel("6-digit code").waitFor();
    // The family's inbox has the code.
    const code = (await inbox.waitFor(/\b(\d{6})\b/))[1];
    await inbox.close();
    expect(code).toMatch(/^\d{6}$/);

    // Staff with outbox access see that it was sent, not the code (production mode).
    const staff = await browser.newContext();
    const admin = await staff.newPage();
    const marketing = DEMO_STAFF.find((s) => s.role === "MARKETING")!;
    await staffSignIn(admin, marketing.email, marketing.password);
    await admin.waitForURL(adminUrl("/"));
    await admin.goto(adminUrl(`/marketing/outbox?to=${encodeURIComponent(DEMO_CUSTOMER_EMAIL)}`));
    const first = admin.locator("details").first();
    await first.locator("summary").click();
    await expect(first.locator("summary").textContent()).resolves.toContain("Sign-in code sent");
    await expect(first.getByTestId("outbox-text").textContent()).resolves.toBe("");
    expect(await admin.content()).not.toContain(code);
    await screenshot(admin, "admin-outbox");
    await staff.close();

    await portal.getByLabel("6-digit code").fill("000000" === code ? "111111" : "000000");
    await portal.getByRole("button", { name: "Sign in" }).click();
    await expect(portal.getByRole("alert").textContent()).resolves.toContain("not right");
    await portal.getByLabel("6-digit code").fill(code!);
    await portal.getByRole("button", { name: "Sign in" }).click();
    await portal.waitForURL(portalUrl("/"));
    await expect(portal.getByTestId("greeting").textContent()).resolves.toContain("Ana");
    await expect(portal.getByTestId("points-balance").textContent()).resolves.toMatch(/\d/);
    await screenshot(portal, "portal-home");

    // A customer session never opens the admin.
    const adminPage = await customer.newPage();
    await adminPage.goto(adminUrl("/"));
    await adminPage.waitForURL(/\/sign-in/);
    expect(errors).toEqual([]);
    await customer.close();
  });
});

describe("outbox", () => {
  it("notices new mail through /api/trpc while the page is open", async () => {
    const staff = await browser.newContext();
    const admin = await staff.newPage();
    const errors = watchConsole(admin);
    const marketing = DEMO_STAFF.find((s) => s.role === "MARKETING")!;
    await staffSignIn(admin, marketing.email, marketing.password);
    await admin.waitForURL(adminUrl("/"));
    await admin.goto(adminUrl(`/marketing/outbox?to=${encodeURIComponent(DEMO_CUSTOMER_EMAIL)}`));
    const before = await admin.locator("details").count();

    const customer = await browser.newContext();
    const portal = await customer.newPage();
    await portal.goto(portalUrl("/sign-in"));
    await portal.getByLabel("Email").fill(DEMO_CUSTOMER_EMAIL);
    await portal.getByRole("button", { name: "Email me a sign-in code" }).click();
    await portal.getByLabel("6-digit code").waitFor();

    await admin.getByText("New emails have arrived.").waitFor({ timeout: 20_000 });
    await admin.getByRole("button", { name: "Show them" }).click();
    await expect.poll(() => admin.locator("details").count()).toBe(before + 1);
    expect(errors).toEqual([]);
    await customer.close();
    await staff.close();
  });
});
