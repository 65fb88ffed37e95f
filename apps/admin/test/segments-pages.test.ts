import { unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as segmentsPage from "../app/routes/_app.marketing.segments";
import * as editorPage from "../app/routes/_app.marketing_.segments.$id";
import * as exportRoute from "../app/routes/marketing.segments.$id.export";
import { page, useAdminPages } from "./admin-pages";

/** /marketing/segments and its editor over real HTTP (Remix + tRPC in-process + PostgreSQL). */

const pages = useAdminPages({
  routes: [
    page("_app.marketing.segments", "marketing/segments", segmentsPage),
    page("_app.marketing_.segments.$id", "marketing/segments/:id", editorPage),
    // A resource route outside the signed-in layout.
    {
      id: "routes/marketing.segments.$id.export",
      parentId: "root",
      path: "marketing/segments/:id/export",
      module: exportRoute,
    },
  ],
});

/** The body as text, keeping the byte order mark that Response.text() drops. */
const withBom = (bytes: ArrayBuffer) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

const { cookieFor, get, post } = pages;

describe("/marketing/segments", () => {
  it("marketing saves a segment, edits it, lists it and duplicates it", async () => {
    const cookie = await cookieFor("MARKETING");
    const name = `Party regulars ${unique()}`;
    const filter = { tiers: ["GOLD", "PLATINUM", "VIP"], tagsAny: ["party"], minBookings: 5 };

    const bad = await post("/marketing/segments/new", cookie, {
      intent: "save",
      name: "",
      description: "",
      filter: JSON.stringify(filter),
    });
    expect(bad.status).toBe(400);
    expect(visibleText(await bad.text())).toContain("Give the segment a name");

    const created = await post("/marketing/segments/new", cookie, {
      intent: "save",
      name,
      description: "GOLD+ with 5+ bookings",
      filter: JSON.stringify(filter),
    });
    expect(created.status).toBe(302);
    const location = created.headers.get("location") ?? "";
    const id = /\/marketing\/segments\/([0-9a-f-]{36})\?saved=1$/.exec(location)?.[1];
    expect(id).toBeDefined();
    const [row] = await pages.t.sql`select name, filter from segments where id = ${id!}`;
    expect(row).toEqual({ name, filter });

    const editor = visibleText(await (await get(`/marketing/segments/${id}`, cookie)).text());
    expect(editor).toContain(name);
    expect(editor).toContain("GOLD or PLATINUM or VIP · tagged party · 5+ bookings");

    const saved = await post(`/marketing/segments/${id}`, cookie, {
      intent: "save",
      name,
      description: "",
      filter: JSON.stringify({ ...filter, birthdayMonth: 3 }),
    });
    expect(saved.status).toBe(200);
    const [edited] = await pages.t.sql`select filter from segments where id = ${id!}`;
    expect(edited!.filter).toEqual({ ...filter, birthdayMonth: 3 });

    const list = visibleText(await (await get("/marketing/segments", cookie)).text());
    expect(list).toContain(name);
    expect(list).toContain("birthday in March");

    const dup = await post("/marketing/segments", cookie, { id: id! });
    expect(dup.status).toBe(302);
    expect(dup.headers.get("location")).toMatch(/\?duplicated=1$/);
    const copies = await pages.t.sql`select filter from segments where name = ${`${name} (copy)`}`;
    expect(copies).toHaveLength(1);
  });

  it("deletes a segment after asking once more, unless a draft or scheduled campaign uses it", async () => {
    const cookie = await cookieFor("MARKETING");
    const [seg] = await pages.t.sql`insert into segments (name, filter)
      values (${`Delete me ${unique()}`}, '{"minBookings": 2}') returning id`;
    const [campaign] = await pages.t.sql`insert into campaigns (name, subject, segment_id, status)
      values ('Spring party', 'Hi', ${seg!.id}, 'SCHEDULED') returning id`;

    const list = await (await get("/marketing/segments", cookie)).text();
    expect(list).toContain(`aria-label="Delete Delete me`);

    const refused = await post("/marketing/segments", cookie, { id: seg!.id, intent: "delete" });
    expect(refused.status).toBe(409);
    // The toast's text travels in the action data (it shows once the page hydrates).
    expect(await refused.text()).toContain("“Spring party” still uses this segment");
    expect(await pages.t.sql`select 1 from segments where id = ${seg!.id}`).toHaveLength(1);

    await pages.t.sql`update campaigns set status = 'SENT' where id = ${campaign!.id}`;
    const deleted = await post("/marketing/segments", cookie, { id: seg!.id, intent: "delete" });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain("Segment deleted");
    expect(await pages.t.sql`select 1 from segments where id = ${seg!.id}`).toHaveLength(0);
    const [audit] = await pages.t.sql`select action from audit_log where entity_id = ${seg!.id}
      order by created_at desc limit 1`;
    expect(audit?.action).toBe("segment.deleted");

    const gone = await post("/marketing/segments", cookie, { id: seg!.id, intent: "delete" });
    expect(gone.status).toBe(404);
  });

  it("exports a segment's marketing list as CSV", async () => {
    const cookie = await cookieFor("MARKETING");
    await pages.t.sql`insert into customers (email, name, referral_code, tags, marketing_opt_in)
      values ('csv-in@example.org', 'In', ${`CSV${unique()}`}, '{csvtest}', true),
             ('csv-out@example.org', 'Out', ${`CSV${unique()}`}, '{csvtest}', false)`;
    const created = await post("/marketing/segments/new", cookie, {
      intent: "save",
      name: `CSV ${unique()}`,
      description: "",
      filter: JSON.stringify({ tagsAll: ["csvtest"] }),
    });
    const id = (created.headers.get("location") ?? "").split("/").pop()?.split("?")[0];
    const res = await get(`/marketing/segments/${id}/export`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(withBom(await res.arrayBuffer())).toBe(
      "\uFEFFEmail,Name,Tier\ncsv-in@example.org,In,BRONZE\n",
    );

    const frontDesk = await cookieFor("FRONT_DESK");
    expect((await get(`/marketing/segments/${id}/export`, frontDesk)).status).toBe(403);
  });

  it("front desk cannot open segments", async () => {
    const cookie = await cookieFor("FRONT_DESK");
    expect((await get("/marketing/segments", cookie)).status).toBe(403);
    expect((await post("/marketing/segments/new", cookie, { name: "x" })).status).toBe(403);
  });
});
