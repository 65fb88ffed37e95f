import { randomUUID } from "node:crypto";
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { createSession, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { type Env, loadEnv } from "@xplorium/config";
import { schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff,
  type TestDatabase,
} from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RouteServer,
  startRouteServer,
  visibleText,
} from "../../../tests/support/remix-route-server";
import { unzipText } from "../../../tests/support/unzip";
import { PrivacyCard } from "../app/components/customer/privacy-card";
import { loadPrivacyCard } from "../app/components/customer/privacy-card.server";
import * as entry from "../app/entry.server";
import { requireStaff } from "../app/lib/session.server";
import * as root from "../app/root";
import * as dataExport from "../app/routes/customers.$id.data-export";
import * as erase from "../app/routes/customers.$id.erase";

/**
 * The admin's privacy card and its two resource routes over real HTTP. The card is mounted on
 * a stand-in page wired exactly as the customer page should wire it (loader: loadPrivacyCard;
 * JSX: <PrivacyCard …/>), since the customer page itself is the lead's to edit.
 */

let t: TestDatabase;
let env: Env;
let server: RouteServer;

const cardPage = {
  async loader({ request, context, params }: LoaderFunctionArgs) {
    const { api, headers, staff } = await requireStaff(request, context, "read:customer");
    const customer = await api.customers.byId({ id: params.id ?? "" });
    const privacy = await loadPrivacyCard(api, staff.role, params.id ?? "");
    return data({ customer: customer.customer, privacy }, { headers });
  },
  default: function CardPage() {
    const { customer, privacy } = useLoaderData<typeof cardPage.loader>();
    return privacy
      ? createElement(PrivacyCard, { customerId: customer.id, email: customer.email, ...privacy })
      : createElement("p", null, "No privacy card for this role.");
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  env = loadEnv({ NODE_ENV: "test", DATABASE_URL: t.url, PORTAL_URL: "http://portal.test" });
  server = await startRouteServer({
    appPackageJson: new URL("../package.json", import.meta.url),
    entry,
    routes: [
      { id: "root", path: "", module: root },
      { id: "routes/card", parentId: "root", path: "customers/:id", module: cardPage },
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
    loadContext: (ip) => ({ db: t.db, env, app: "admin", nonce: "", requestId: randomUUID(), ip }),
  });
});
afterAll(async () => {
  await server?.close();
  await t?.drop();
});

async function staffCookie(role: StaffRole) {
  const staff = await insertStaff(t.db, { role, name: `${role} person` });
  const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: staff.id });
  return { staff, cookie: `${sessionCookieName("STAFF", { secure: false })}=${token}` };
}

const post = (path: string, cookie: string, fields: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

describe("privacy requests on the customer page", () => {
  it("shows the card to managers and owners only", async () => {
    const c = await insertCustomer(t.db);
    for (const role of ["MANAGER", "OWNER"] as const) {
      const html = await (
        await fetch(`${server.url}/customers/${c.id}`, {
          headers: { cookie: (await staffCookie(role)).cookie },
        })
      ).text();
      const text = visibleText(html);
      expect(text).toContain("Privacy requests");
      expect(text).toContain("Download their data (zip)");
      expect(text).toContain("Erase customer");
    }
    for (const role of ["FRONT_DESK", "MARKETING"] as const) {
      const html = await (
        await fetch(`${server.url}/customers/${c.id}`, {
          headers: { cookie: (await staffCookie(role)).cookie },
        })
      ).text();
      expect(visibleText(html)).toContain("No privacy card for this role.");
    }
  });

  it("a manager downloads the zip; front desk gets 403; a GET leads back to the page", async () => {
    const c = await insertCustomer(t.db, { name: "Vera Export" });
    const { staff, cookie } = await staffCookie("MANAGER");
    const res = await post(`/customers/${c.id}/data-export`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipText(new Uint8Array(await res.arrayBuffer()));
    expect(JSON.parse(files["data.json"]!).profile).toMatchObject({
      id: c.id,
      name: "Vera Export",
    });
    const [request] = await t.db
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
    const back = await fetch(`${server.url}/customers/${c.id}/data-export`, {
      redirect: "manual",
      headers: { cookie },
    });
    expect(back.headers.get("location")).toBe(`/customers/${c.id}`);
    // The card lists the request, with who ran it.
    const html = await (
      await fetch(`${server.url}/customers/${c.id}`, { headers: { cookie } })
    ).text();
    expect(visibleText(html)).toContain("Data export by MANAGER person");
  });

  it("erases only with the typed confirmation, then goes back to the list", async () => {
    const c = await insertCustomer(t.db, { name: "Erin Erase" });
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
    const [still] = await t.db.select().from(schema.customers).where(eq(schema.customers.id, c.id));
    expect(still!.erasedAt).toBeNull();

    const ok = await post(`/customers/${c.id}/erase`, cookie, { confirmation: "DELETE" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/customers?erased=1");
    const [gone] = await t.db.select().from(schema.customers).where(eq(schema.customers.id, c.id));
    expect(gone).toMatchObject({ email: null, name: null });
  });
});
