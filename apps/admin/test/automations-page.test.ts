import { runAutomations } from "@xplorium/core/marketing";
import { schema } from "@xplorium/db";
import { unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as marketingIndex from "../app/routes/_app.marketing._index";
import * as automationsPage from "../app/routes/_app.marketing.automations";
import { page, useAdminPages } from "./admin-pages";

/** /marketing/automations over real HTTP (Remix + tRPC in-process + PostgreSQL). */

const pages = useAdminPages({
  env: { TIME_ZONE: "Europe/Belgrade" },
  routes: [
    page("_app.marketing._index", "marketing", marketingIndex, { index: true }),
    page("_app.marketing.automations", "marketing/automations", automationsPage),
  ],
});

const { cookieFor, get, post } = pages;

const automation = async (kind: string) =>
  (await pages.t.sql`select * from marketing_automations where kind = ${kind}`)[0]!;
const audits = (action: string) =>
  pages.t
    .sql`select entity_id, details from audit_log where action = ${action} order by created_at`;

describe("/marketing/automations", () => {
  it("is linked from Marketing and shows the three automations, off, with a sandboxed preview", async () => {
    const cookie = await cookieFor("MARKETING");
    const index = await (await get("/marketing", cookie)).text();
    expect(index).toContain('href="/marketing/automations"');

    const res = await get("/marketing/automations", cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = visibleText(html);
    for (const label of ["Birthday", "Win-back", "Tier upgrade"]) expect(text).toContain(label);
    expect(text).toContain("A birthday is coming up, Ana!");
    expect(text).toContain("Days before the birthday");
    expect(text).toContain("Days between win-back emails");
    expect(text.match(/Switch on/g)?.length).toBe(3);
    // Marketing edits and switches, but "Run now" is for managers.
    expect(text).not.toContain("Run now");
    const frames = html.match(/<iframe[^>]*>/g) ?? [];
    expect(frames).toHaveLength(3);
    for (const frame of frames) {
      expect(frame).toContain('sandbox=""');
      expect(frame).toMatch(/srcDoc="[^"]*Ana/i);
    }
    expect(text).toContain("Nothing sent yet");
  });

  it("saves the template and settings, with inline errors for unknown tags and bad numbers", async () => {
    const cookie = await cookieFor("MARKETING");
    const before = await automation("BIRTHDAY");
    const fields = {
      intent: "save",
      kind: "BIRTHDAY",
      subject: "Happy birthday {{firstName}}",
      preheader: "",
      bodyMarkdown: "Hi {{firstName}}, you have {{points}} points and {{balance}} left.",
      daysBefore: "10",
    };
    const unknown = await post("/marketing/automations", cookie, fields);
    expect(unknown.status).toBe(400);
    const unknownHtml = await unknown.text();
    expect(visibleText(unknownHtml)).toContain("Unknown merge tag {{balance}}");
    // What was typed stays in the form.
    expect(unknownHtml).toContain('value="Happy birthday {{firstName}}"');
    expect((await automation("BIRTHDAY")).subject).toBe(before.subject);

    const badDays = await post("/marketing/automations", cookie, {
      ...fields,
      bodyMarkdown: "Hi {{firstName}}!",
      daysBefore: "90",
    });
    expect(badDays.status).toBe(400);
    expect(visibleText(await badDays.text())).toContain("At most 60 days.");

    const saved = await post("/marketing/automations", cookie, {
      ...fields,
      bodyMarkdown: "Hi {{firstName}}!",
    });
    expect(saved.status).toBe(200);
    expect(await automation("BIRTHDAY")).toMatchObject({
      subject: "Happy birthday {{firstName}}",
      preheader: "",
      body_markdown: "Hi {{firstName}}!",
      days_before: 10,
      enabled: false,
    });
    const [audit] = await audits("automation.updated");
    expect(audit).toMatchObject({
      entity_id: "BIRTHDAY",
      details: {
        before: { subject: before.subject, daysBefore: 7 },
        after: { subject: "Happy birthday {{firstName}}", daysBefore: 10 },
      },
    });
    const page = visibleText(await (await get("/marketing/automations", cookie)).text());
    expect(page).toContain("Happy birthday Ana");
  });

  it("switches an automation on and off; managers can run it now, marketing cannot", async () => {
    const marketing = await cookieFor("MARKETING");
    const on = await post("/marketing/automations", marketing, {
      intent: "enable",
      kind: "WIN_BACK",
    });
    expect(on.status).toBe(200);
    expect(await automation("WIN_BACK")).toMatchObject({ enabled: true });
    expect((await audits("automation.enabled")).map((a) => a.entity_id)).toEqual(["WIN_BACK"]);

    expect(
      (await post("/marketing/automations", marketing, { intent: "run", kind: "WIN_BACK" })).status,
    ).toBe(403);

    const manager = await cookieFor("MANAGER");
    const page = visibleText(await (await get("/marketing/automations", manager)).text());
    expect(page.match(/Run now/g)?.length).toBe(1);
    const off = await post("/marketing/automations", manager, {
      intent: "run",
      kind: "TIER_UPGRADE",
    });
    expect(off.status).toBe(412);
    expect(visibleText(await off.text())).toContain("Tier upgrade is off: switch it on first.");
    const run = await post("/marketing/automations", manager, { intent: "run", kind: "WIN_BACK" });
    expect(run.status).toBe(200);
    const jobs = await pages.t.sql`
      select p.payload, p.key from graphile_worker.jobs j
      join graphile_worker._private_jobs p on p.id = j.id
      where j.task_identifier = 'marketing:run-automations'`;
    expect(jobs).toEqual([
      { payload: { kind: "WIN_BACK" }, key: "marketing:run-automations:WIN_BACK" },
    ]);

    await post("/marketing/automations", marketing, { intent: "disable", kind: "WIN_BACK" });
    expect(await automation("WIN_BACK")).toMatchObject({ enabled: false });
  });

  it("shows the send log a page at a time", async () => {
    const cookie = await cookieFor("MARKETING");
    await post("/marketing/automations", cookie, { intent: "enable", kind: "TIER_UPGRADE" });
    // Upgrades after it was switched on; the run a minute later.
    const when = new Date(Date.now() + 1000);
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `Log Customer ${String(i).padStart(2, "0")} ${unique()}`;
      names.push(name);
      const [c] = await pages.t.db
        .insert(schema.customers)
        .values({
          email: `log-${unique()}@example.org`,
          name,
          referralCode: `LG${unique().toUpperCase()}`,
          marketingOptIn: true,
          loyaltyTier: "SILVER",
        })
        .returning();
      await pages.t.db.insert(schema.tierChanges).values({
        customerId: c!.id,
        fromTier: "BRONZE",
        toTier: "SILVER",
        reason: "test",
        createdAt: when,
      });
    }
    const [r] = await runAutomations(
      { db: pages.t.db, config: pages.env, now: new Date(when.getTime() + 60_000) },
      { only: "TIER_UPGRADE" },
    );
    expect(r!.sent).toBe(12);

    const first = await (await get("/marketing/automations", cookie)).text();
    const rows = first.match(/data-testid="automation-log-TIER_UPGRADE"/g) ?? [];
    expect(rows).toHaveLength(10);
    expect(visibleText(first)).toContain("12 in all");
    expect(visibleText(first)).toContain("Queued");
    const older = /href="([^"]*\?TIER_UPGRADE\.after=[^"]+)"/.exec(first)?.[1];
    expect(older).toMatch(/^\/marketing\/automations\?/);
    const second = await (await get(older!.replaceAll("&amp;", "&"), cookie)).text();
    expect(second.match(/data-testid="automation-log-TIER_UPGRADE"/g)).toHaveLength(2);
    expect(visibleText(second)).toContain("Newest");
    const shown = names.filter((n) => first.includes(n) || second.includes(n));
    expect(shown).toHaveLength(12);
  });

  it("front desk cannot open automations", async () => {
    const cookie = await cookieFor("FRONT_DESK");
    expect((await get("/marketing/automations", cookie)).status).toBe(403);
    expect(
      (await post("/marketing/automations", cookie, { intent: "enable", kind: "BIRTHDAY" })).status,
    ).toBe(403);
  });
});
