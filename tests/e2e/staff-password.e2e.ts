import { hashPassword } from "@xplorium/auth";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, useE2e } from "../../tooling/e2e/journey";
import { type Mailbox, openMailbox } from "../../tooling/e2e/mailbox";

/*
 * A staff member's own password, in a browser against the production build: they change it on
 * "Your account" (their other session ends, this one stays), sign out, use "Forgot password?",
 * follow the emailed link (its token leaves the address bar), choose a new password and sign in
 * with it. A member of its own, so the demo accounts other journeys use stay as they are.
 */

const e2e = useE2e();
/** The member's inbox: the reset email is a secret, its body gone from the outbox once sent. */
let inbox: Mailbox;

const EMAIL = `password-journey-${Date.now()}@xplorium.example`;
const NAME = "Petra Password";
const FIRST = "first journey passphrase";
const SECOND = "second journey passphrase";
const THIRD = "third journey passphrase";

beforeAll(async () => {
  await e2e.sql`insert into staff_users (email, name, role, password_hash)
    values (${EMAIL}, ${NAME}, 'FRONT_DESK', ${await hashPassword(FIRST)})`;
  inbox = await openMailbox(e2e.sql, "staff_password", {
    templates: ["staff-password-reset"],
    to: EMAIL,
  });
});
afterAll(async () => {
  await inbox?.close().catch(() => {});
});

/**
 * The journey's own client address (the servers trust X-Forwarded-For from loopback): its
 * sign-ins and password checks count against a per-IP limit of their own, not the one the other
 * journeys share from 127.0.0.1.
 */
const CLIENT = { extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.23" } };

const signIn = (page: Page, password: string) => staffSignIn(page, { email: EMAIL, password });

describe("a staff member's password", () => {
  it("changes it on Your account, then resets a forgotten one by the emailed link and signs in", async () => {
    const { context, page, errors } = await e2e.open(CLIENT);
    // Signed in elsewhere too (another device): changing the password ends that session.
    const { context: elsewhere, page: other } = await e2e.open(CLIENT);
    await signIn(other, FIRST);
    await other.waitForURL(adminUrl("/"));

    await signIn(page, FIRST);
    await page.waitForURL(adminUrl("/"));
    await page.getByRole("link", { name: "Your account" }).click();
    await page.waitForURL(adminUrl("/account"));
    const details = page.getByTestId("account-details");
    await expect(details.textContent()).resolves.toContain(NAME);
    await expect(details.textContent()).resolves.toContain(EMAIL);
    await expect(details.textContent()).resolves.toContain("Front desk");
    await expect(
      page.getByRole("link", { name: "Two-factor sign-in" }).getAttribute("href"),
    ).resolves.toBe("/account/two-factor");

    // A wrong current password is refused under its field.
    await page.getByLabel("Current password").fill("not the password at all");
    await page.getByLabel("New password", { exact: true }).fill(SECOND);
    await page.getByLabel("Confirm new password").fill(SECOND);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your current password is not right.").waitFor();

    await page.getByLabel("Current password").fill(FIRST);
    await page.getByLabel("New password", { exact: true }).fill(SECOND);
    await page.getByLabel("Confirm new password").fill(SECOND);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed. Your other session was signed out.").waitFor();
    await screenshot(page, "admin-account");

    // This session stays; the other one is gone.
    await page.reload();
    await page.waitForURL(adminUrl("/account"));
    await other.reload();
    await other.waitForURL(/\/sign-in/);
    await elsewhere.close();

    // Signed out, the password forgotten.
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL(adminUrl("/forgot-password"));
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByRole("button", { name: "Email me a link" }).click();
    await expect(page.getByTestId("reset-sent").textContent()).resolves.toContain(
      `If ${EMAIL} belongs to a staff account, we've sent a link`,
    );
    await screenshot(page, "admin-forgot-password");

    // The emailed link: the token moves into a cookie and out of the address bar.
    const [link] = await inbox.waitFor(/https?:\/\/\S+\/reset-password\/[a-z0-9]+\.[a-z0-9]+/);
    expect(link.startsWith(adminUrl("/reset-password/"))).toBe(true);
    await page.goto(link);
    await page.waitForURL(adminUrl("/reset-password"));
    const resetCookie = (await context.cookies()).find((c) => c.name.endsWith("xp_password_reset"));
    expect(resetCookie).toMatchObject({ httpOnly: true, path: "/", sameSite: "Lax" });
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await expect(page.locator("body").textContent()).resolves.toContain(EMAIL);
    await screenshot(page, "admin-reset-password");

    await page.getByLabel("New password", { exact: true }).fill(THIRD);
    await page.getByLabel("Confirm new password").fill(THIRD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(adminUrl("/sign-in?reset=done"));
    await page.getByText("Your new password is set. Sign in with it.").waitFor();
    expect((await context.cookies()).some((c) => c.name.endsWith("xp_password_reset"))).toBe(false);

    // The old password no longer works, the new one does.
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(SECOND);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Email or password is incorrect.",
    );
    await page.getByLabel("Password").fill(THIRD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(adminUrl("/"));
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe(NAME);

    // The link worked once.
    await page.goto(link);
    await page.waitForURL(adminUrl("/reset-password"));
    await page
      .getByRole("heading", { name: "This link has expired or was already used" })
      .waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
