import { schema } from "@xplorium/db";
import { insertCustomer } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as customerPage from "../app/routes/_app.customers_.$id";
import { page as route, useAdminPages } from "./admin-pages";

/**
 * The customer page's marketing preferences over real HTTP (Remix + the real route modules +
 * tRPC in-process + a real database): the panel, the setConsent action, and who may use it.
 */

const pages = useAdminPages({
  routes: [route("_app.customers_.$id", "customers/:id", customerPage)],
  env: { PORTAL_URL: "http://portal.test" },
});

const { cookieFor } = pages;

const page = (customerId: string, cookie: string) => pages.get(`/customers/${customerId}`, cookie);

const setConsent = (customerId: string, cookie: string, channel: string, granted: boolean) =>
  pages.post(`/customers/${customerId}`, cookie, {
    intent: "setConsent",
    channel,
    granted: String(granted),
  });

const switches = (html: string) =>
  [...html.matchAll(/<button[^>]*role="switch"[^>]*>/g)].map((m) => ({
    label: /aria-label="([^"]+)"/.exec(m[0])?.[1],
    checked: /aria-checked="([^"]+)"/.exec(m[0])?.[1],
  }));

const consentEvents = (customerId: string) =>
  pages.t.db
    .select()
    .from(schema.consentEvents)
    .where(eq(schema.consentEvents.customerId, customerId))
    .orderBy(schema.consentEvents.createdAt);

describe("customer page: marketing preferences", () => {
  it("front desk turns email on (awaiting confirmation) and off again", async () => {
    const cookie = await cookieFor("FRONT_DESK");
    const customer = await insertCustomer(pages.t.db);

    const before = await page(customer.id, cookie);
    expect(before.status).toBe(200);
    const html = await before.text();
    const text = visibleText(html);
    expect(text).toContain("Marketing preferences");
    expect(text).toContain("No consent recorded yet.");
    expect(switches(html)).toEqual([
      { label: "Email marketing", checked: "false" },
      { label: "SMS marketing", checked: "false" },
    ]);

    const on = await setConsent(customer.id, cookie, "EMAIL", true);
    expect(on.status).toBe(200);
    const onHtml = await on.text();
    expect(visibleText(onHtml)).toMatch(/Awaiting confirmation since \d{1,2} \w{3} \d{4}/);
    expect(switches(onHtml)[0]).toEqual({ label: "Email marketing", checked: "true" });
    expect(visibleText(onHtml)).toContain("Email given · awaiting confirmation");
    const [pending] = await consentEvents(customer.id);
    expect(pending).toMatchObject({ action: "GRANTED", state: "PENDING", source: "STAFF" });
    const [flags] = await pages.t.db
      .select({ optIn: schema.customers.marketingOptIn })
      .from(schema.customers)
      .where(eq(schema.customers.id, customer.id));
    expect(flags!.optIn).toBe(false);
    expect(
      await pages.t.db.$count(
        schema.emailMessages,
        eq(schema.emailMessages.customerId, customer.id),
      ),
    ).toBe(1);

    const off = await setConsent(customer.id, cookie, "EMAIL", false);
    expect(off.status).toBe(200);
    const offText = visibleText(await off.text());
    expect(offText).toContain("Email withdrawn");
    expect(offText).toContain("never confirmed (replaced by a later change)");
    expect((await consentEvents(customer.id)).map((e) => e.action)).toEqual([
      "GRANTED",
      "WITHDRAWN",
    ]);
  });

  it("shows a refused input inline and records nothing", async () => {
    const cookie = await cookieFor("MANAGER");
    const customer = await insertCustomer(pages.t.db);
    const res = await setConsent(customer.id, cookie, "FAX", true);
    expect(res.status).toBe(400);
    expect(visibleText(await res.text())).toContain("Choose email or SMS.");
    expect(await consentEvents(customer.id)).toHaveLength(0);
  });

  it("marketing staff see the preferences but cannot change them", async () => {
    const cookie = await cookieFor("MARKETING");
    const customer = await insertCustomer(pages.t.db);
    const res = await page(customer.id, cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(visibleText(html)).toContain("Marketing preferences");
    expect(switches(html)).toEqual([]);
    expect((await setConsent(customer.id, cookie, "EMAIL", true)).status).toBe(403);
    expect(await consentEvents(customer.id)).toHaveLength(0);
  });
});
