import { DEMO_CUSTOMER_EMAIL } from "@xplorium/core/seed";
import { describe, expect, it } from "vitest";
import { adminUrl, portalUrl, screenshot } from "../../tooling/e2e/browser";
import { demoStaff, staffSignIn, submitStaffSignIn, useE2e } from "../../tooling/e2e/journey";
import { openMailbox } from "../../tooling/e2e/mailbox";

const owner = demoStaff("OWNER");
const e2e = useE2e();

describe("staff", () => {
  it("signs in, sees the console, and signs out", async () => {
    const { context, page, errors } = await e2e.open();

    await page.goto(adminUrl("/staff"));
    await page.waitForURL(/\/sign-in\?next=%2Fstaff/);
    await screenshot(page, "admin-sign-in");

    await submitStaffSignIn(page, owner.email, "not-the-password");
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
    const { context, page } = await e2e.open();
    await staffSignIn(page, "FRONT_DESK");
    await page.waitForURL(adminUrl("/"));
    await expect(page.getByRole("link", { name: "Staff" }).count()).resolves.toBe(0);
    const res = await page.goto(adminUrl("/staff"));
    expect(res?.status()).toBe(403);
    await context.close();
  });
});

describe("customer", () => {
  it("signs in to the portal with the emailed code, which no staff screen shows", async () => {
    const {
      context: customer,
      page: portal,
      errors,
    } = await e2e.open({
      viewport: { width: 390, height: 844 },
    });
    await portal.goto(portalUrl("/"));
    await portal.waitForURL(/\/sign-in/);
    await screenshot(portal, "portal-sign-in");
    const inbox = await openMailbox(e2e.sql, "auth_journey", {
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
    const { context: staff, page: admin } = await e2e.open();
    await staffSignIn(admin, "MARKETING");
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
    const { context: staff, page: admin, errors } = await e2e.open();
    await staffSignIn(admin, "MARKETING");
    await admin.waitForURL(adminUrl("/"));
    await admin.goto(adminUrl(`/marketing/outbox?to=${encodeURIComponent(DEMO_CUSTOMER_EMAIL)}`));
    const before = await admin.locator("details").count();

    const { context: customer, page: portal } = await e2e.open();
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
