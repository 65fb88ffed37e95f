import { createSession, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaff } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import { unzipText } from "../../../tests/support/unzip";
import * as customerPage from "../app/routes/_app.customers_.$id";
import * as dataExport from "../app/routes/customers.$id.data-export";
import * as erase from "../app/routes/customers.$id.erase";
import { page, useAdminPages } from "./admin-pages";

/**
 * The customer page's privacy card and its two resource routes over real HTTP (Remix + the
 * real route modules + tRPC in-process + a real database).
 */

const pages = useAdminPages({
  routes: [
    page("_app.customers_.$id", "customers/:id", customerPage),
    {
      id: "routes/customers.$id.data-export",
      parentId: "root",
      path: "customers/:id/data-export",
      module: dataExport,
    },
    {
      id: "routes/customers.$id.erase",
      parentId: "root",
      path: "customers/:id/erase",
      module: erase,
    },
  ],
  env: { PORTAL_URL: "http://portal.test" },
});

/** A signed-in member with a name the card shows as who ran a request. */
async function staffCookie(role: StaffRole) {
  const staff = await insertStaff(pages.t.db, { role, name: `${role} person` });
  const { token } = await createSession(pages.t.db, { kind: "STAFF", staffUserId: staff.id });
  return { staff, cookie: `${sessionCookieName("STAFF", { secure: false })}=${token}` };
}

const post = (path: string, cookie: string, fields: Record<string, string> = {}) =>
  pages.post(path, cookie, fields);
const { get } = pages;

describe("privacy requests on the customer page", () => {
  it("shows the card to managers and owners only", async () => {
    const c = await insertCustomer(pages.t.db);
    for (const role of ["MANAGER", "OWNER"] as const) {
      const html = await (await get(`/customers/${c.id}`, (await staffCookie(role)).cookie)).text();
      const text = visibleText(html);
      expect(text).toContain("Privacy requests");
      expect(text).toContain("Download their data (zip)");
      expect(text).toContain("Erase customer");
    }
    for (const role of ["FRONT_DESK", "MARKETING"] as const) {
      const res = await get(`/customers/${c.id}`, (await staffCookie(role)).cookie);
      expect(res.status).toBe(200);
      const text = visibleText(await res.text());
      expect(text).not.toContain("Privacy requests");
      expect(text).not.toContain("Download their data (zip)");
      expect(text).not.toContain("Erase customer");
    }
  });

  it("a manager downloads the zip; front desk gets 403; a GET leads back to the page", async () => {
    const c = await insertCustomer(pages.t.db, { name: "Vera Export" });
    const { staff, cookie } = await staffCookie("MANAGER");
    const res = await post(`/customers/${c.id}/data-export`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipText(new Uint8Array(await res.arrayBuffer()));
    expect(JSON.parse(files["data.json"]!).profile).toMatchObject({
      id: c.id,
      name: "Vera Export",
    });
    const [request] = await pages.t.db
      .select()
      .from(schema.gdprRequests)
      .where(eq(schema.gdprRequests.customerId, c.id));
    expect(request).toMatchObject({
      type: "EXPORT",
      source: "STAFF",
      requestedByStaffId: staff.id,
    });

    const desk = await staffCookie("FRONT_DESK");
    expect((await post(`/customers/${c.id}/data-export`, desk.cookie)).status).toBe(403);
    const back = await get(`/customers/${c.id}/data-export`, cookie);
    expect(back.headers.get("location")).toBe(`/customers/${c.id}`);
    // The card lists the request, with who ran it.
    const html = await (await get(`/customers/${c.id}`, cookie)).text();
    expect(visibleText(html)).toContain("Data export by MANAGER person");
  });

  it("erases only with the typed confirmation, then goes back to the list", async () => {
    const c = await insertCustomer(pages.t.db, { name: "Erin Erase" });
    const { cookie } = await staffCookie("OWNER");
    const wrong = await post(`/customers/${c.id}/erase`, cookie, { confirmation: "Erin" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That does not match");
    // As the card's fetcher asks (single fetch): the same refusal, the same status.
    const viaFetcher = await post(`/customers/${c.id}/erase.data`, cookie, {
      confirmation: "Erin",
    });
    expect(viaFetcher.status).toBe(400);
    expect(await viaFetcher.text()).toContain("That does not match");
    const desk = await staffCookie("FRONT_DESK");
    expect(
      (await post(`/customers/${c.id}/erase`, desk.cookie, { confirmation: "DELETE" })).status,
    ).toBe(403);
    const [still] = await pages.t.db
      .select()
      .from(schema.customers)
      .where(eq(schema.customers.id, c.id));
    expect(still!.erasedAt).toBeNull();

    const ok = await post(`/customers/${c.id}/erase`, cookie, { confirmation: "DELETE" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/customers?erased=1");
    const [gone] = await pages.t.db
      .select()
      .from(schema.customers)
      .where(eq(schema.customers.id, c.id));
    expect(gone).toMatchObject({ email: null, name: null });
  });
});
