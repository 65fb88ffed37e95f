import { DEMO_STAFF } from "@xplorium/core/seed";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { adminUrl, launchBrowser, watchConsole } from "./browser";

type StaffRole = (typeof DEMO_STAFF)[number]["role"];

export interface E2e {
  browser: Browser;
  /** The e2e database the global setup seeded (postgres.js connects on first use). */
  sql: postgres.Sql;
  /** A fresh browser context and page, its console watched (see watchConsole). */
  open(options?: BrowserContextOptions): ReturnType<typeof openPage>;
}

/**
 * A journey file's browser and database handle, opened before its tests and closed after. Call it
 * at the top of the file, before any beforeAll of its own that uses `sql` (vitest runs afterAll
 * hooks in reverse, so the file's own clean-up still has the connection).
 */
export function useE2e(): E2e {
  const e2e = {
    open: (options?: BrowserContextOptions) => openPage(e2e.browser, options),
  } as E2e;
  beforeAll(async () => {
    e2e.browser = await launchBrowser();
    e2e.sql = postgres(process.env.E2E_DATABASE_URL!, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await e2e.browser?.close();
    await e2e.sql?.end({ timeout: 2 });
  });
  return e2e;
}

export async function openPage(browser: Browser, options?: BrowserContextOptions) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = watchConsole(page);
  return { context, page, errors };
}

/** A demo staff member (the seed's accounts) by role. */
export const demoStaff = (role: StaffRole) => DEMO_STAFF.find((s) => s.role === role)!;

/** Fills the staff sign-in form on the page it is on and submits it. */
export async function submitStaffSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * Opens the admin's sign-in page (asking to go on to `next`, when given) and signs in as a demo
 * role or a member of the journey's own. It does not wait: callers wait for where it leads.
 */
export async function staffSignIn(
  page: Page,
  who: StaffRole | { email: string; password: string },
  next?: string,
) {
  const { email, password } = typeof who === "string" ? demoStaff(who) : who;
  await page.goto(adminUrl(next ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in"));
  await submitStaffSignIn(page, email, password);
}
