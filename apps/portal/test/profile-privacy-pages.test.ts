import { schema } from "@xplorium/db";
import { insertCustomer } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CONSENT_WORDING } from "../../../packages/core/src/consent/consent";
import { BIRTH_DATE_LOCKED_MESSAGE } from "../../../packages/core/src/customers/portal-profile";
import { visibleText as textOf } from "../../../tests/support/remix-route-server";
import { unzipText } from "../../../tests/support/unzip";
import * as privacyPage from "../app/routes/_account.privacy";
import * as profilePage from "../app/routes/_account.profile";
import * as deleted from "../app/routes/account-deleted";
import * as download from "../app/routes/privacy.download";
import { accountPage, rootPage, usePortalPages } from "./portal-pages";

/**
 * The portal's Profile and Privacy pages over real HTTP: Express and Remix's request handler in
 * front of the real root, account layout and route modules, tRPC in-process, a real database.
 */

const pages = usePortalPages({
  routes: [
    accountPage("_account.profile", "profile", profilePage),
    accountPage("_account.privacy", "privacy", privacyPage),
    rootPage("privacy.download", "privacy/download", download),
    rootPage("account-deleted", "account-deleted", deleted),
  ],
});

async function signedIn(name = "Ana Petrović") {
  const customer = await insertCustomer(pages.t.db, { name });
  return { customer, cookie: await pages.cookieFor(customer.id) };
}

const { get } = pages;
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  pages.post(path, fields, cookie);

const customerRow = async (id: string) =>
  (await pages.t.db.select().from(schema.customers).where(eq(schema.customers.id, id)))[0]!;

describe("/profile", () => {
  it("asks to sign in first", async () => {
    const res = await get("/profile");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Fprofile");
  });

  it("shows the details, saves them, and explains what is wrong next to the field", async () => {
    const { customer, cookie } = await signedIn();
    const page = await get("/profile", cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(textOf(html)).toContain(customer.email!);
    expect(html).toContain('value="Ana Petrović"');
    expect(html).toMatch(
      /<input[^>]*type="date"[^>]*name="birthDate"|<input[^>]*name="birthDate"[^>]*type="date"/,
    );

    const bad = await post("/profile", cookie, {
      name: "Ana Petrović",
      phone: "12",
      preferredContactMethod: "EMAIL",
      birthDate: "",
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(textOf(badHtml)).toContain("That is not a valid phone number");
    expect(badHtml).toContain('aria-invalid="true"');

    const ok = await post("/profile", cookie, {
      name: "Ana Jovanović",
      phone: "+381 64 123 4567",
      preferredContactMethod: "SMS",
      birthDate: "2018-05-21",
    });
    expect(ok.status).toBe(200);
    expect(await customerRow(customer.id)).toMatchObject({
      name: "Ana Jovanović",
      phone: "+381641234567",
      preferredContactMethod: "SMS",
      birthDate: "2018-05-21",
    });

    // Set once: the field is gone, the date is shown with how to get it corrected.
    const locked = textOf(await (await get("/profile", cookie)).text());
    expect(locked).toContain("21 May 2018");
    expect(locked).toContain("ask us at the front desk");
    // A crafted post with another date is refused next to the field.
    const again = await post("/profile", cookie, {
      name: "Ana Jovanović",
      phone: "+381641234567",
      preferredContactMethod: "SMS",
      birthDate: "2018-06-01",
    });
    expect(again.status).toBe(403);
    expect(textOf(await again.text())).toContain(BIRTH_DATE_LOCKED_MESSAGE);
    expect((await customerRow(customer.id)).birthDate).toBe("2018-05-21");
  });
});

describe("/privacy", () => {
  it("shows each toggle with its wording; a toggle records a PORTAL consent event", async () => {
    const { customer, cookie } = await signedIn();
    const html = await (await get("/privacy", cookie)).text();
    const text = textOf(html);
    expect(text).toContain(CONSENT_WORDING.EMAIL.text);
    expect(text).toContain(CONSENT_WORDING.SMS.text);
    expect(html.match(/role="switch"[^>]*aria-checked="false"/g)).toHaveLength(2);
    expect(text).toContain("Download my data");
    expect(text).toContain("Delete my account");

    const res = await post("/privacy", cookie, {
      intent: "consent",
      channel: "EMAIL",
      granted: "true",
      wordingVersion: CONSENT_WORDING.EMAIL.version,
    });
    expect(res.status).toBe(200);
    expect((await customerRow(customer.id)).marketingOptIn).toBe(true);
    const [event] = await pages.t.db
      .select()
      .from(schema.consentEvents)
      .where(eq(schema.consentEvents.customerId, customer.id));
    expect(event).toMatchObject({
      channel: "EMAIL",
      action: "GRANTED",
      state: "CONFIRMED",
      source: "PORTAL",
      wording: CONSENT_WORDING.EMAIL.text,
    });
    const after = await (await get("/privacy", cookie)).text();
    expect(after).toMatch(
      /role="switch"[^>]*aria-checked="true"[^>]*aria-label="Marketing emails"/,
    );
    expect(textOf(after)).toContain("Marketing emails turned on by you, here");
  });

  it("downloads one zip by POST; the GET only leads back to the page", async () => {
    const { customer, cookie } = await signedIn();
    expect((await get("/privacy/download", cookie)).headers.get("location")).toBe("/privacy");
    const res = await post("/privacy/download", cookie, {});
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="xplorium-my-data-/,
    );
    const files = unzipText(new Uint8Array(await res.arrayBuffer()));
    expect(JSON.parse(files["data.json"]!).profile).toMatchObject({
      id: customer.id,
      email: customer.email,
    });
    expect(files["bookings.csv"]).toBeDefined();
    expect(files["points.csv"]).toBeDefined();
    const [request] = await pages.t.db
      .select()
      .from(schema.gdprRequests)
      .where(eq(schema.gdprRequests.customerId, customer.id));
    expect(request).toMatchObject({ type: "EXPORT", source: "PORTAL", status: "COMPLETED" });
    // Signed out: to sign-in, not a file.
    expect((await post("/privacy/download", "", {})).status).toBe(302);
  });

  it("deletes the account only with the typed confirmation, then signs out", async () => {
    const { customer, cookie } = await signedIn();
    const wrong = await post("/privacy", cookie, { intent: "delete", confirmation: "yes" });
    expect(wrong.status).toBe(400);
    expect(textOf(await wrong.text())).toContain("That does not match");
    expect((await customerRow(customer.id)).erasedAt).toBeNull();

    const res = await post("/privacy", cookie, {
      intent: "delete",
      confirmation: customer.email!,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account-deleted");
    expect(res.headers.getSetCookie().join("\n")).toMatch(/xp_customer_session=;.*Max-Age=0/i);
    expect(await customerRow(customer.id)).toMatchObject({ email: null, name: null });
    expect((await customerRow(customer.id)).erasedAt).toBeInstanceOf(Date);

    const page = await get("/account-deleted");
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain("Your account has been deleted");
    // The old cookie opens nothing.
    expect((await get("/privacy", cookie)).status).toBe(302);
  });
});
