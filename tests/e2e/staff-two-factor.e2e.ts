import { hashPassword } from "@xplorium/auth";
import { Secret, TOTP } from "otpauth";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { adminUrl, screenshot } from "../../tooling/e2e/browser";
import { staffSignIn, submitStaffSignIn, useE2e } from "../../tooling/e2e/journey";

/*
 * Two-factor sign-in for staff, in a browser against the production build (CSP with a nonce,
 * __Host- cookies): a member sets it up on /account/two-factor reading the key from the page as
 * they would type it into an app, keeps the recovery codes, signs out, signs in with password +
 * the app's code (back to the page they asked for), then once with a recovery code. A member of
 * its own, not an owner: the demo accounts other journeys use stay without two-factor.
 */

const e2e = useE2e();

const EMAIL = `two-factor-journey-${Date.now()}@xplorium.example`;
const NAME = "Tara Twofactor";
const PASSWORD = "two factor journey passphrase";

beforeAll(async () => {
  await e2e.sql`insert into staff_users (email, name, role, password_hash)
    values (${EMAIL}, ${NAME}, 'FRONT_DESK', ${await hashPassword(PASSWORD)})`;
});

/** The journey's own client address, so its sign-ins count against a per-IP limit of their own. */
const CLIENT = { extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.42" } };

/** What the authenticator app shows `steps` periods from now. */
const appCode = (secret: string, steps = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });

async function password(page: Page, path: string) {
  await page.goto(adminUrl(path));
  await page.waitForURL(/\/sign-in/);
  await submitStaffSignIn(page, EMAIL, PASSWORD);
  await page.getByRole("heading", { name: "Two-factor sign-in" }).waitFor();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

const challengeCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === "__Host-xp_staff_2fa");

describe("staff two-factor sign-in", () => {
  it("sets it up from the page, then signs in with the app's code and once with a recovery code", async () => {
    const { context, page, errors } = await e2e.open(CLIENT);

    // Signed in with the password alone (two-factor is off), to the account page.
    await staffSignIn(page, { email: EMAIL, password: PASSWORD });
    await page.waitForURL(adminUrl("/"));
    await page.getByRole("link", { name: "Your account" }).click();
    await page.waitForURL(adminUrl("/account"));
    await page.getByTestId("two-factor-link").click();
    await page.waitForURL(adminUrl("/account/two-factor"));

    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const qr = page.getByRole("img", {
      name: "QR code that adds Xplorium CRM to an authenticator app",
    });
    await qr.waitFor();
    // Drawn on the server as a data: image, which the CSP allows: it really rendered.
    await expect
      .poll(() => qr.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    // The key as a member types it into their app by hand.
    const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await screenshot(page, "admin-two-factor-setup");

    const field = page.getByLabel("2. The 6-digit code the app shows now");
    await expect(field.getAttribute("autocomplete")).resolves.toBe("one-time-code");
    await expect(field.getAttribute("inputmode")).resolves.toBe("numeric");
    await field.fill("000000" === appCode(secret) ? "111111" : "000000");
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await page.getByText("That code is not right.").waitFor();
    await field.fill(appCode(secret));
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();

    await page.getByTestId("recovery-codes").waitFor();
    const recoveryCodes = await page.getByTestId("recovery-code").allTextContents();
    expect(recoveryCodes).toHaveLength(10);
    await screenshot(page, "admin-two-factor-recovery-codes");
    await page.getByTestId("recovery-codes-saved").click();
    await page.waitForURL(adminUrl("/account"));
    await page.goto(adminUrl("/account/two-factor"));
    await expect(page.getByTestId("two-factor-status").textContent()).resolves.toContain(
      "10 of 10 recovery codes left",
    );
    // Shown once: never again on the page.
    await expect(page.getByTestId("recovery-code").count()).resolves.toBe(0);
    await signOut(page);

    // Password, then the app's code (the next one: the setup's code is spent), back to /customers.
    await password(page, "/customers");
    const challenge = await challengeCookie(context);
    expect(challenge?.httpOnly).toBe(true);
    expect(challenge?.secure).toBe(true);
    expect(challenge?.sameSite).toBe("Strict");
    await expect(
      context.cookies().then((all) => all.some((c) => c.name === "__Host-xp_staff_session")),
    ).resolves.toBe(false);
    await screenshot(page, "admin-two-factor-sign-in");
    const code = page.getByLabel("6-digit code");
    await expect(code.getAttribute("autocomplete")).resolves.toBe("one-time-code");
    await code.fill(appCode(secret, 1) === "123456" ? "654321" : "123456");
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.getByText("That code is not right.").waitFor();
    await code.fill(appCode(secret, 1));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL(adminUrl("/customers"));
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe(NAME);
    expect(await challengeCookie(context)).toBeUndefined();
    await signOut(page);

    // Lost the phone: a recovery code, once.
    await password(page, "/");
    await page.getByText("Lost your phone? Use a recovery code").click();
    await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
    await page.getByRole("button", { name: "Sign in with a recovery code" }).click();
    await page.waitForURL(adminUrl("/"));
    await expect(page.getByTestId("signed-in-as").textContent()).resolves.toBe(NAME);
    await page.goto(adminUrl("/account/two-factor"));
    await expect(page.getByTestId("two-factor-status").textContent()).resolves.toContain(
      "9 of 10 recovery codes left",
    );

    const [row] =
      await e2e.sql`select totp_secret, totp_enabled_at from staff_users where email = ${EMAIL}`;
    expect(row?.totp_enabled_at).toBeInstanceOf(Date);
    expect(String(row?.totp_secret)).not.toContain(secret);
    expect(errors).toEqual([]);
    await context.close();
  });
});
