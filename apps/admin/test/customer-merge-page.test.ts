import { insertCustomer, unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as mergePage from "../app/routes/_app.customers_.$id_.merge";
import { page, useAdminPages } from "./admin-pages";

/**
 * The merge page over real HTTP (Remix + the real route module + tRPC in-process + a real
 * database): pick the other record, compare with choices in the URL, confirm, and the merge
 * keeps what was chosen. The password step is covered in security-reauth-pages.test.ts; a
 * freshly signed-in owner here has entered it just now.
 */

const pages = useAdminPages({
  routes: [page("_app.customers_.$id_.merge", "customers/:id/merge", mergePage)],
});

const text = async (r: Response) => visibleText(await r.text());

describe("/customers/:id/merge", () => {
  it("picks, compares and merges, keeping the chosen values", async () => {
    const cookie = await pages.cookieFor("OWNER");
    await pages.t.sql`update sessions set password_confirmed_at = now()`;
    const name = `Mila ${unique()}`;
    const keep = await insertCustomer(pages.t.db, { email: `keep-${unique()}@example.com`, name });
    const drop = await insertCustomer(pages.t.db, {
      email: `drop-${unique()}@example.com`,
      name: "Someone Else",
    });
    await pages.t.sql`update customers set phone = '+381641112222' where id = ${drop.id}`;

    const pick = await text(await pages.get(`/customers/${keep.id}/merge?q=${drop.email}`, cookie));
    expect(pick).toContain("Find the other record");
    expect(pick).toContain(drop.email);

    const base = `/customers/${keep.id}/merge?with=${drop.id}`;
    const compare = await text(await pages.get(`${base}&name=merged`, cookie));
    expect(compare).toContain("Side by side");
    expect(compare).toContain("Keep the other record instead");
    // Kept, merged, after: the counts added up, the opt-ins carried over.
    expect(compare).toContain("Points history 0 entries 0 entries 0 entries");
    expect(compare).toContain("Email marketing no no no");

    const confirm = await text(await pages.get(`${base}&name=merged&step=confirm`, cookie));
    expect(confirm).toContain("Confirm the merge");
    expect(confirm).toContain(`${drop.email} will be merged into ${keep.email} and removed`);
    expect(confirm).not.toContain("Your password");

    // The confirm step posts to its own address.
    const confirmUrl = `${base}&name=merged&step=confirm`;
    const fields = { survivorId: keep.id, mergedId: drop.id, name: "merged" };
    const elsewhere = await pages.post(confirmUrl, cookie, {
      ...fields,
      survivorId: drop.id,
      mergedId: (await insertCustomer(pages.t.db)).id,
    });
    expect(elsewhere.status).toBe(400);
    expect(await text(elsewhere)).toContain("This merge does not involve this customer.");
    const badChoice = await pages.post(confirmUrl, cookie, {
      ...fields,
      phone: "neither",
    });
    expect(badChoice.status).toBe(400);

    const merged = await pages.post(confirmUrl, cookie, fields);
    expect(merged.status).toBe(302);
    expect(merged.headers.get("location")).toBe(`/customers/${keep.id}?merged=1`);
    const [after] = await pages.t.sql`select name, phone from customers where id = ${keep.id}`;
    // The merged record's name, as chosen; its phone too, as the kept record had none.
    expect(after).toMatchObject({ name: "Someone Else", phone: "+381641112222" });
    expect(await pages.t.sql`select 1 from customers where id = ${drop.id}`).toHaveLength(0);
  });

  it("is the owner's and manager's: front desk gets 403", async () => {
    const cookie = await pages.cookieFor("FRONT_DESK");
    const c = await insertCustomer(pages.t.db);
    expect((await pages.get(`/customers/${c.id}/merge`, cookie)).status).toBe(403);
  });
});
