import { unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import { parseVenueTime, venueTimeValue } from "../app/lib/form-values";
import * as marketingIndex from "../app/routes/_app.marketing._index";
import * as listPage from "../app/routes/_app.marketing.campaigns";
import * as campaignPage from "../app/routes/_app.marketing_.campaigns.$id";
import * as trpcRoute from "../app/routes/api.trpc.$";
import { page, useAdminPages } from "./admin-pages";

/** /marketing/campaigns and the campaign page over real HTTP (Remix + tRPC in-process + PostgreSQL). */

const pages = useAdminPages({
  env: { TIME_ZONE: "Europe/Belgrade" },
  routes: [
    page("_app.marketing._index", "marketing", marketingIndex, { index: true }),
    page("_app.marketing.campaigns", "marketing/campaigns", listPage),
    page("_app.marketing_.campaigns.$id", "marketing/campaigns/:id", campaignPage),
    { id: "routes/api.trpc.$", parentId: "root", path: "api/trpc/*", module: trpcRoute },
  ],
});

const { cookieFor, get, post } = pages;
const textOf = async (res: Response) => visibleText(await res.text());

async function createDraft(cookie: string, name = `Autumn ${unique()}`) {
  const res = await post("/marketing/campaigns/new", cookie, {
    intent: "save",
    name,
    segmentId: "everyone",
    subject: "Hi {{firstName}}",
    preheader: "Parties this autumn",
    bodyMarkdown: "You have **{{points}}** points.",
  });
  expect(res.status).toBe(302);
  const id = /\/marketing\/campaigns\/([0-9a-f-]{36})\?saved=1$/.exec(
    res.headers.get("location") ?? "",
  )?.[1];
  expect(id).toBeDefined();
  return { id: id!, name };
}

describe("/marketing/campaigns", () => {
  it("marketing writes a draft with inline errors, then finds it in the list", async () => {
    const cookie = await cookieFor("MARKETING");
    const noAudience = await post("/marketing/campaigns/new", cookie, {
      intent: "save",
      name: "No audience",
      segmentId: "",
      subject: "x",
      bodyMarkdown: "y",
    });
    expect(noAudience.status).toBe(400);
    expect(await textOf(noAudience)).toContain(
      "Choose a segment, or everyone on the marketing list",
    );

    const badTag = await post("/marketing/campaigns/new", cookie, {
      intent: "save",
      name: "Bad tag",
      segmentId: "everyone",
      subject: "Hello {{nickname}}",
      bodyMarkdown: "y",
    });
    expect(badTag.status).toBe(400);
    const badHtml = await badTag.text();
    expect(visibleText(badHtml)).toContain("Unknown merge tag: {{nickname}}");
    // What was typed stays in the form.
    expect(badHtml).toContain('value="Bad tag"');

    const { id, name } = await createDraft(cookie);
    const [row] = await pages.t
      .sql`select status, to_whole_list, subject from campaigns where id = ${id}`;
    expect(row).toEqual({ status: "DRAFT", to_whole_list: true, subject: "Hi {{firstName}}" });

    const list = await textOf(await get("/marketing/campaigns", cookie));
    expect(list).toContain(name);
    expect(list).toContain("Everyone on the marketing list");
    expect(list).toContain("Draft");

    const page = await (await get(`/marketing/campaigns/${id}`, cookie)).text();
    expect(page).toContain('sandbox=""');
    expect(page).toContain("{{pointsToNextTier}}");
    const text = visibleText(page);
    expect(text).not.toContain("Full report"); // a draft has no results yet
    expect(text).toContain(name);
    expect(text).toContain("Send a test");
    expect(text).toContain("Send now…");

    const saved = await post(`/marketing/campaigns/${id}`, cookie, {
      intent: "save",
      name,
      segmentId: "everyone",
      subject: "Hi again {{firstName}}",
      preheader: "",
      bodyMarkdown: "Changed",
    });
    expect(saved.status).toBe(200);
    expect((await pages.t.sql`select subject from campaigns where id = ${id}`)[0]!.subject).toBe(
      "Hi again {{firstName}}",
    );
  });

  it("shows a started campaign's results from the webhooks, with a link to the full report", async () => {
    const cookie = await cookieFor("MARKETING");
    const [c] = await pages.t
      .sql`insert into campaigns (name, subject, status, started_at, to_whole_list)
      values (${`Results ${unique()}`}, 'Hi', 'SENDING', now(), true) returning id`;
    const [cust] = await pages.t.sql`insert into customers (email, referral_code, marketing_opt_in)
      values (${`results-${unique()}@example.org`}, ${`RS${unique()}`}, true) returning id`;
    await pages.t
      .sql`insert into email_messages (kind, template, campaign_id, customer_id, to_email,
        from_email, subject, transport, status, sent_at)
      values ('MARKETING', 'campaign', ${c!.id}, ${cust!.id}, 'x@example.org', 'a@example.org',
        'Hi', 'RESEND', 'DELIVERED', now())`;
    const text = visibleText(await (await get(`/marketing/campaigns/${c!.id}`, cookie)).text());
    expect(text).toContain("Results");
    expect(text).toContain("Full report");
    expect(text).toMatch(/Delivered\s*1\s*100(\.0)?% of sent/);
  });

  it("sends a test to the given addresses", async () => {
    const cookie = await cookieFor("MARKETING");
    const { id } = await createDraft(cookie);
    const tooMany = await post(`/marketing/campaigns/${id}`, cookie, {
      intent: "sendTest",
      to: "a@x.org b@x.org c@x.org d@x.org e@x.org f@x.org",
    });
    expect(tooMany.status).toBe(400);
    expect(await textOf(tooMany)).toContain("at most 5 addresses");

    const res = await post(`/marketing/campaigns/${id}`, cookie, {
      intent: "sendTest",
      to: "me@example.org, boss@example.org",
      customerId: "",
    });
    expect(res.status).toBe(200);
    const rows = await pages.t.sql`select to_email, subject, kind from email_messages
      where template = 'campaign-test' order by to_email`;
    expect(rows).toEqual([
      { to_email: "boss@example.org", subject: "[Test] Hi Ana", kind: "TRANSACTIONAL" },
      { to_email: "me@example.org", subject: "[Test] Hi Ana", kind: "TRANSACTIONAL" },
    ]);
  });

  it("schedules in venue time, freezes the email, shows progress, and cancels", async () => {
    const cookie = await cookieFor("MARKETING");
    const { id, name } = await createDraft(cookie);
    const at = venueTimeValue(new Date(Date.now() + 3 * 24 * 3_600_000), pages.env.TIME_ZONE);
    const past = await post(`/marketing/campaigns/${id}`, cookie, {
      intent: "schedule",
      scheduledAt: "2020-01-01T10:00",
    });
    expect(past.status).toBe(400);
    expect(await textOf(past)).toContain("Choose a time at least a minute from now");

    const res = await post(`/marketing/campaigns/${id}`, cookie, {
      intent: "schedule",
      scheduledAt: at,
    });
    expect(res.status).toBe(200);
    const [row] = await pages.t.sql`select status, scheduled_at from campaigns where id = ${id}`;
    expect(row!.status).toBe("SCHEDULED");
    expect(new Date(row!.scheduled_at).getTime()).toBe(
      parseVenueTime(at, pages.env.TIME_ZONE)!.getTime(),
    );

    const edit = await post(`/marketing/campaigns/${id}`, cookie, {
      intent: "save",
      name: "Changed later",
      segmentId: "everyone",
      subject: "x",
      bodyMarkdown: "y",
    });
    expect(edit.status).toBe(409);
    expect(await textOf(edit)).toContain("Only a draft can be edited");

    const page = visibleText(await (await get(`/marketing/campaigns/${id}`, cookie)).text());
    expect(page).toContain("Scheduled");
    expect(page).toContain("Progress");
    expect(page).toContain("Cancel campaign");
    expect(page).toContain("Reschedule");
    expect(page).toContain(`(${pages.env.TIME_ZONE})`);

    const list = await textOf(await get("/marketing/campaigns", cookie));
    expect(list).toMatch(new RegExp(`${name}.*Scheduled.*Sends`));

    const cancelled = await post(`/marketing/campaigns/${id}`, cookie, { intent: "cancel" });
    expect(cancelled.status).toBe(200);
    expect((await pages.t.sql`select status from campaigns where id = ${id}`)[0]!.status).toBe(
      "CANCELLED",
    );
    const again = await post(`/marketing/campaigns/${id}`, cookie, { intent: "cancel" });
    expect(again.status).toBe(409);
  });

  it("sends now after confirmation, and the list shows its progress", async () => {
    const cookie = await cookieFor("MANAGER");
    const { id, name } = await createDraft(cookie);
    const res = await post(`/marketing/campaigns/${id}`, cookie, { intent: "sendNow" });
    expect(res.status).toBe(200);
    const [job] = await pages.t.sql`select run_at from graphile_worker.jobs
      where key = ${`campaign:send:${id}`}`;
    expect(new Date(job!.run_at).getTime()).toBeLessThanOrEqual(Date.now());
    // The worker's progress, as it would be part way through.
    await pages.t.sql`update campaigns set status = 'SENDING', recipient_count = 400,
      sent_count = 100, failed_count = 2, started_at = now() where id = ${id}`;
    const list = await textOf(await get("/marketing/campaigns", cookie));
    expect(list).toContain(name);
    expect(list).toContain("Sending");
    expect(list).toContain("100 of 400 sent · 2 not sent");
  });

  it("previews over /api/trpc with a real customer's values, escaped", async () => {
    const cookie = await cookieFor("MARKETING");
    const [customer] = await pages.t.sql`insert into customers (email, name, referral_code)
      values (${`preview-${unique()}@example.org`}, '<b>Mila</b>', ${`PRV${unique()}`}) returning id`;
    const input = {
      json: {
        subject: "Hi {{firstName}}",
        bodyMarkdown: "Dear {{firstName}}",
        customerId: customer!.id,
      },
    };
    const res = await fetch(
      `${pages.server.url}/api/trpc/campaigns.preview?input=${encodeURIComponent(JSON.stringify(input))}`,
      { headers: { cookie } },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { json: { html: string } } } };
    expect(body.result.data.json.html).toContain("Dear &lt;b&gt;Mila&lt;/b&gt;");
  });

  it("is linked from Marketing and the sidebar; front desk cannot open it", async () => {
    const cookie = await cookieFor("MARKETING");
    const marketing = await (await get("/marketing", cookie)).text();
    expect(marketing).toContain('href="/marketing/campaigns"');
    expect(visibleText(marketing)).toContain("Open campaigns");
    // The sidebar lights one entry: the longest that prefixes the path.
    const current = (html: string) =>
      [...html.matchAll(/<a [^>]*aria-current="page"[^>]*>.*?<\/a>/g)].map((m) =>
        visibleText(m[0]).trim(),
      );
    expect(current(marketing)).toEqual(["Marketing"]);
    expect(current(await (await get("/marketing/campaigns/new", cookie)).text())).toEqual([
      "Campaigns",
    ]);

    const frontDesk = await cookieFor("FRONT_DESK");
    expect((await get("/marketing/campaigns", frontDesk)).status).toBe(403);
    expect((await get("/marketing/campaigns/new", frontDesk)).status).toBe(403);
    expect(
      (await post("/marketing/campaigns/new", frontDesk, { intent: "save", name: "x" })).status,
    ).toBe(403);
  });
});

describe("venue time in the schedule field", () => {
  it("writes and reads datetime-local values in the venue's zone, across daylight saving", () => {
    const winter = new Date("2026-12-01T14:00:00Z");
    expect(venueTimeValue(winter, "Europe/Belgrade")).toBe("2026-12-01T15:00");
    const summer = new Date("2026-07-01T13:00:00Z");
    expect(venueTimeValue(summer, "Europe/Belgrade")).toBe("2026-07-01T15:00");
    expect(parseVenueTime(venueTimeValue(summer, "Europe/Belgrade"), "Europe/Belgrade")).toEqual(
      summer,
    );
  });
});
