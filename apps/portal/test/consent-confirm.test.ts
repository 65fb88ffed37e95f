import { setConsentByStaff } from "@xplorium/core/consent";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaff } from "@xplorium/db/testing";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { visibleText as textOf } from "../../../tests/support/remix-route-server";
import * as confirmRoute from "../app/routes/consent.confirm.$token";
import { rootPage, usePortalPages } from "./portal-pages";

/**
 * The portal's confirmation page over real HTTP: Express and Remix's request handler in front
 * of the real root and route modules, tRPC in-process, a real database. No Vite build.
 */

const pages = usePortalPages({
  routes: [rootPage("consent.confirm.$token", "consent/confirm/:token", confirmRoute)],
});
let actor: { type: "staff"; id: string; role: "FRONT_DESK" };
const meta = { ip: "10.8.0.1", userAgent: "vitest", requestId: "portal-consent" };

beforeAll(async () => {
  actor = { type: "staff", id: (await insertStaff(pages.t.db)).id, role: "FRONT_DESK" };
});

/** A pending staff grant and the confirmation link from its stored email. */
async function pendingGrant(channel: "EMAIL" | "SMS" = "EMAIL") {
  const customer = await insertCustomer(pages.t.db);
  await setConsentByStaff(
    { db: pages.t.db, actor, meta, config: pages.env },
    {
      customerId: customer.id,
      channel,
      granted: true,
    },
  );
  const [email] = await pages.t.db
    .select({ html: schema.emailMessages.html })
    .from(schema.emailMessages)
    .where(
      and(
        eq(schema.emailMessages.customerId, customer.id),
        eq(schema.emailMessages.template, "consent-confirm"),
      ),
    );
  const link = new RegExp(`href="(${pages.url}/consent/confirm/[^"]+)"`).exec(email!.html!)?.[1];
  expect(link, "a confirmation link in the email").toBeDefined();
  return { customer, link: link! };
}

const optedIn = async (customerId: string) =>
  (
    await pages.t.db
      .select({ email: schema.customers.marketingOptIn, sms: schema.customers.smsOptIn })
      .from(schema.customers)
      .where(eq(schema.customers.id, customerId))
  )[0]!;

const post = (url: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: pages.url },
    body: "",
  });

describe("portal consent confirmation page", () => {
  it("GET shows the wording and one button without confirming; POST confirms", async () => {
    const { customer, link } = await pendingGrant();

    // A mail scanner (or the person) opening the link twice changes nothing.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(link);
      expect(res.status).toBe(200);
      const html = await res.text();
      const text = textOf(html);
      expect(text).toContain("Please confirm you want Xplorium emails");
      expect(text).toContain("Send me news, offers and birthday treats from Xplorium by email.");
      expect(html.match(/<form[^>]*method="post"/g)).toHaveLength(1);
      expect(html.match(/<button/g)).toHaveLength(1);
      expect(text).toContain("Yes, confirm");
    }
    expect(await optedIn(customer.id)).toEqual({ email: false, sms: false });

    const res = await post(link);
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Thank you, you're subscribed");
    expect(await optedIn(customer.id)).toEqual({ email: true, sms: false });

    // The second POST and a later GET both say it is already done.
    const again = await post(link);
    expect(again.status).toBe(200);
    expect(textOf(await again.text())).toContain("Already confirmed");
    const later = await fetch(link);
    expect(later.status).toBe(200);
    expect(textOf(await later.text())).toContain("Already confirmed");
  });

  it("answers a forged link with 404 on GET and POST and confirms nothing", async () => {
    const { customer, link } = await pendingGrant("SMS");
    const forged = `${link.slice(0, -2)}${link.endsWith("AA") ? "BB" : "AA"}`;
    const get = await fetch(forged);
    expect(get.status).toBe(404);
    expect(textOf(await get.text())).toContain("This link does not work");
    const res = await post(forged);
    expect(res.status).toBe(404);
    expect(textOf(await res.text())).toContain("not valid");
    expect(await optedIn(customer.id)).toEqual({ email: false, sms: false });
    // Junk of any length is simply not valid.
    expect((await fetch(`${pages.url}/consent/confirm/${"x".repeat(400)}`)).status).toBe(404);
  });

  it("answers an expired link with 410 and a withdrawn one with 409", async () => {
    const expired = await pendingGrant();
    await pages.t
      .sql`update consent_events set created_at = created_at - interval '8 days' where customer_id = ${expired.customer.id}`;
    const res = await fetch(expired.link);
    expect(res.status).toBe(410);
    expect(textOf(await res.text())).toContain("This link has expired");
    expect((await post(expired.link)).status).toBe(410);
    expect(await optedIn(expired.customer.id)).toEqual({ email: false, sms: false });

    const withdrawn = await pendingGrant();
    await setConsentByStaff(
      { db: pages.t.db, actor, meta, config: pages.env },
      {
        customerId: withdrawn.customer.id,
        channel: "EMAIL",
        granted: false,
      },
    );
    const get = await fetch(withdrawn.link);
    expect(get.status).toBe(409);
    expect(textOf(await get.text())).toContain("no longer valid");
    expect((await post(withdrawn.link)).status).toBe(409);
    expect(await optedIn(withdrawn.customer.id)).toEqual({ email: false, sms: false });
  });
});
