import { createSession, hashPassword, sessionCookieName } from "@xplorium/auth";
import { insertCustomer, insertStaff, unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as confirmPage from "../app/routes/_app.confirm-password";
import * as customerPage from "../app/routes/_app.customers_.$id";
import * as mergePage from "../app/routes/_app.customers_.$id_.merge";
import * as apiKeysPage from "../app/routes/_app.settings.api-keys";
import * as staffPage from "../app/routes/_app.staff";
import * as erase from "../app/routes/customers.$id.erase";
import * as customersExport from "../app/routes/customers.export";
import * as segmentExport from "../app/routes/marketing.segments.$id.export";
import { page, useAdminPages } from "./admin-pages";

/**
 * Issue 14, item 11, in the admin's pages over real HTTP: when the password was last entered
 * more than 10 minutes ago, every owner-level form shows "Your password" and one submit
 * confirms it and acts; the CSV exports (links) go through /confirm-password and come back.
 */

const PASSWORD = "correct horse battery staple";
const pages = useAdminPages({
  routes: [
    page("_app.settings.api-keys", "settings/api-keys", apiKeysPage),
    page("_app.staff", "staff", staffPage),
    page("_app.confirm-password", "confirm-password", confirmPage),
    page("_app.customers_.$id", "customers/:id", customerPage),
    page("_app.customers_.$id_.merge", "customers/:id/merge", mergePage),
    {
      id: "routes/customers.$id.erase",
      parentId: "root",
      path: "customers/:id/erase",
      module: erase,
    },
    {
      id: "routes/customers.export",
      parentId: "root",
      path: "customers/export",
      module: customersExport,
    },
    {
      id: "routes/marketing.segments.$id.export",
      parentId: "root",
      path: "marketing/segments/:id/export",
      module: segmentExport,
    },
  ],
});

/** A signed-in owner with a real password whose last password entry was `minutes` ago. */
async function owner(minutes = 11) {
  const staff = await insertStaff(pages.t.db, {
    role: "OWNER",
    passwordHash: await hashPassword(PASSWORD),
  });
  const { id, token } = await createSession(pages.t.db, { kind: "STAFF", staffUserId: staff.id });
  await pages.t.sql`update sessions
    set password_confirmed_at = now() - make_interval(mins => ${minutes}) where id = ${id}`;
  return { staff, cookie: `${sessionCookieName("STAFF", { secure: false })}=${token}` };
}

const text = async (r: Response) => visibleText(await r.text());

describe("owner-level forms ask for the password when it is not recent", () => {
  it("API keys: the field shows, a wrong password is an inline error, the right one creates the key", async () => {
    const o = await owner();
    const fresh = await owner(1);
    expect(await text(await pages.get("/settings/api-keys", o.cookie))).toContain("Your password");
    expect(await text(await pages.get("/settings/api-keys", fresh.cookie))).not.toContain(
      "Your password",
    );

    const name = `Booking site ${unique()}`;
    const fields = { intent: "create", name, scopes: "bookings:write" };
    const without = await pages.post("/settings/api-keys", o.cookie, fields);
    expect(without.status).toBe(403);
    expect(await text(without)).toContain("Confirm your password to continue.");

    const wrong = await pages.post("/settings/api-keys", o.cookie, {
      ...fields,
      yourPassword: "not it",
    });
    expect(wrong.status).toBe(400);
    expect(await text(wrong)).toContain("That password is not right.");
    expect(await pages.t.sql`select 1 from api_keys where name = ${name}`).toHaveLength(0);

    const right = await pages.post("/settings/api-keys", o.cookie, {
      ...fields,
      yourPassword: PASSWORD,
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('data-testid="new-api-key"');
    expect(await pages.t.sql`select 1 from api_keys where name = ${name}`).toHaveLength(1);
    // Confirmed for the next minutes: the field is gone.
    expect(await text(await pages.get("/settings/api-keys", o.cookie))).not.toContain(
      "Your password",
    );
  });

  it("Staff: the confirm box unlocks the row forms; adding a member takes the password inline", async () => {
    const o = await owner();
    const member = await insertStaff(pages.t.db, { role: "FRONT_DESK" });
    const page1 = await text(await pages.get("/staff", o.cookie));
    expect(page1).toContain("Confirm your password");

    const refused = await pages.post("/staff", o.cookie, {
      intent: "role",
      id: member.id,
      role: "MANAGER",
    });
    expect(refused.status).toBe(403);
    expect(await text(refused)).toContain("Confirm your password to continue.");
    const [still] = await pages.t.sql`select role from staff_users where id = ${member.id}`;
    expect(still!.role).toBe("FRONT_DESK");

    const empty = await pages.post("/staff", o.cookie, { intent: "confirm-password" });
    expect(empty.status).toBe(400);
    expect(await text(empty)).toContain("Enter your password.");

    const confirmed = await pages.post("/staff", o.cookie, {
      intent: "confirm-password",
      yourPassword: PASSWORD,
    });
    expect(confirmed.status).toBe(200);
    expect(await text(confirmed)).not.toContain("Confirm your password to continue.");
    const changed = await pages.post("/staff", o.cookie, {
      intent: "role",
      id: member.id,
      role: "MANAGER",
    });
    expect(changed.status).toBe(200);
    const [now] = await pages.t.sql`select role from staff_users where id = ${member.id}`;
    expect(now!.role).toBe("MANAGER");

    const other = await owner();
    const email = `added-${unique()}@example.com`;
    const added = await pages.post("/staff", other.cookie, {
      intent: "create",
      name: "Added Member",
      email,
      role: "FRONT_DESK",
      password: "a long enough password 2026",
      yourPassword: PASSWORD,
    });
    expect(added.status).toBe(200);
    expect(await pages.t.sql`select 1 from staff_users where email = ${email}`).toHaveLength(1);
  });

  it("Erasing from the customer page: the card asks, and one submit confirms and erases", async () => {
    const o = await owner();
    const customer = await insertCustomer(pages.t.db, { email: `erase-${unique()}@example.com` });
    const detail = await pages.get(`/customers/${customer.id}`, o.cookie);
    expect(detail.status).toBe(200);
    // The erase form opens on a click (no JavaScript here): the loader tells the card to ask.
    const loaded = (await customerPage.loader({
      request: new Request(`http://admin.test/customers/${customer.id}`, {
        headers: { cookie: o.cookie },
      }),
      context: {
        db: pages.t.db,
        env: pages.env,
        app: "admin",
        nonce: "",
        requestId: "t",
        ip: null,
      },
      params: { id: customer.id },
    } as unknown as Parameters<typeof customerPage.loader>[0])) as unknown as {
      data: { privacy: { askPassword: boolean; confirmMinutes: number } };
    };
    expect(loaded.data.privacy).toMatchObject({ askPassword: true, confirmMinutes: 10 });

    const refused = await pages.post(`/customers/${customer.id}/erase`, o.cookie, {
      confirmation: "DELETE",
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      ok: false,
      reason: "REAUTH_REQUIRED",
      message: "Confirm your password to continue.",
    });
    const wrong = await pages.post(`/customers/${customer.id}/erase`, o.cookie, {
      confirmation: "DELETE",
      yourPassword: "nope",
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      reason: "REAUTH_REQUIRED",
      reply: { error: { yourPassword: ["That password is not right."] } },
    });
    const [before] = await pages.t.sql`select erased_at from customers where id = ${customer.id}`;
    expect(before!.erased_at).toBeNull();

    const done = await pages.post(`/customers/${customer.id}/erase`, o.cookie, {
      confirmation: "DELETE",
      yourPassword: PASSWORD,
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/customers?erased=1");
  });

  it("Merging: the confirm step shows the field and merges with the right password", async () => {
    const o = await owner();
    const a = await insertCustomer(pages.t.db, { email: `keep-${unique()}@example.com` });
    const b = await insertCustomer(pages.t.db, { email: `drop-${unique()}@example.com` });
    const confirmStep = await pages.get(
      `/customers/${a.id}/merge?with=${b.id}&step=confirm`,
      o.cookie,
    );
    expect(confirmStep.status).toBe(200);
    expect(await text(confirmStep)).toContain("Your password");

    const fields = { survivorId: a.id, mergedId: b.id, with: b.id, step: "confirm" };
    const url = `/customers/${a.id}/merge?with=${b.id}&step=confirm`;
    const refused = await pages.post(url, o.cookie, fields);
    expect(refused.status).toBe(403);
    expect(await text(refused)).toContain("Confirm your password to continue.");
    expect(await pages.t.sql`select 1 from customers where id = ${b.id}`).toHaveLength(1);

    const merged = await pages.post(url, o.cookie, { ...fields, yourPassword: PASSWORD });
    expect(merged.status).toBe(302);
    expect(merged.headers.get("location")).toBe(`/customers/${a.id}?merged=1`);
    expect(await pages.t.sql`select 1 from customers where id = ${b.id}`).toHaveLength(0);
  });
});

describe("the CSV exports go through /confirm-password", () => {
  it("sends a stale session to confirm, and downloads once confirmed", async () => {
    const o = await owner();
    const exportPath = "/customers/export?tier=GOLD";
    const refused = await pages.get(exportPath, o.cookie);
    expect(refused.status).toBe(302);
    const location = refused.headers.get("location") ?? "";
    const target = new URL(location, "http://admin.test");
    expect(target.pathname).toBe("/confirm-password");
    expect(target.searchParams.get("next")).toBe(exportPath);
    expect(target.searchParams.get("back")).toBe("/customers?tier=GOLD");

    const confirmPage1 = await pages.get(location, o.cookie);
    expect(confirmPage1.status).toBe(200);
    const html = await confirmPage1.text();
    expect(visibleText(html)).toContain("Your password");
    expect(html).toContain(`value="${exportPath}"`);

    const wrong = await pages.post("/confirm-password", o.cookie, {
      next: exportPath,
      yourPassword: "nope",
    });
    expect(wrong.status).toBe(400);
    expect(await text(wrong)).toContain("That password is not right.");

    const ok = await pages.post("/confirm-password", o.cookie, {
      next: exportPath,
      yourPassword: PASSWORD,
    });
    expect(ok.status).toBe(200);
    const okText = await ok.text();
    expect(visibleText(okText)).toContain("Password confirmed");
    expect(okText).toContain(`href="${exportPath.replace("&", "&amp;")}"`);

    const csv = await pages.get(exportPath, o.cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
  });

  it("never continues to another site", async () => {
    const o = await owner();
    const r = await pages.post("/confirm-password", o.cookie, {
      next: "//evil.example/steal",
      yourPassword: PASSWORD,
    });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).not.toContain("evil.example");
  });

  it("guards a segment's marketing list the same way", async () => {
    const o = await owner();
    const [segment] = await pages.t.sql`insert into segments (name, filter)
      values (${`Reauth ${unique()}`}, '{}'::jsonb) returning id`;
    const path = `/marketing/segments/${segment!.id}/export`;
    const refused = await pages.get(path, o.cookie);
    expect(refused.status).toBe(302);
    const target = new URL(refused.headers.get("location") ?? "", "http://admin.test");
    expect(target.pathname).toBe("/confirm-password");
    expect(target.searchParams.get("next")).toBe(path);
    const fresh = await owner(2);
    const csv = await pages.get(path, fresh.cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
  });
});
