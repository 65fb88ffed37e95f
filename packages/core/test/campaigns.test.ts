import { loadEnv } from "@xplorium/config";
import { AppError } from "@xplorium/core/errors";
import {
  campaignProgress,
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  scheduleCampaign,
  sendCampaignNow,
  sendCampaignTest,
  updateCampaign,
} from "@xplorium/core/marketing";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor, testDeps } from "@xplorium/db/testing";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";
import { useTestDatabase } from "./support";

let marketer: Awaited<ReturnType<typeof insertStaffActor<"MARKETING">>>;
const env = loadEnv({ NODE_ENV: "test", PORTAL_URL: "http://portal.test" });

const t = useTestDatabase(async () => {
  marketer = await insertStaffActor(t.db, { role: "MARKETING" });
});

const draft = (over: Record<string, unknown> = {}) =>
  createCampaign(testDeps(t.db, marketer), {
    name: "Autumn parties",
    subject: "Hello {{firstName}}",
    preheader: "Book before the holidays",
    bodyMarkdown: "You have **{{points}}** points ({{tier}}).",
    segmentId: null,
    ...over,
  });

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}

const auditOf = (id: string) =>
  t.db
    .select({ action: schema.auditLog.action, details: schema.auditLog.details })
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.entityType, "campaign"), eq(schema.auditLog.entityId, id)))
    .orderBy(schema.auditLog.id);

const jobsFor = (id: string) =>
  t.sql`select run_at, key, max_attempts from graphile_worker.jobs
    where key = ${`campaign:send:${id}`}`;

describe("campaign drafts", () => {
  it("creates a draft for the whole list, audited", async () => {
    const c = await draft();
    expect(c).toMatchObject({
      status: "DRAFT",
      segmentId: null,
      toWholeList: true,
      audience: { kind: "everyone" },
    });
    expect(await auditOf(c.id)).toEqual([
      {
        action: "campaign.created",
        details: expect.objectContaining({ after: expect.any(Object) }),
      },
    ]);
    expect((await listCampaigns({ db: t.db })).map((x) => x.id)).toContain(c.id);
  });

  it("refuses unknown merge tags with an error on the field that has them", async () => {
    const e = await caught(
      draft({ subject: "Hi {{firstname}}", bodyMarkdown: "{{points}} and {{voucher}}" }),
    );
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.fieldErrors?.subject?.[0]).toContain("{{firstname}}");
    expect(e.fieldErrors?.bodyMarkdown?.[0]).toMatch(/^Unknown merge tag: \{\{voucher\}\}\. /);
  });

  it("validates name and subject and refuses an unknown segment", async () => {
    await expect(draft({ name: "" })).rejects.toThrow();
    const e = await caught(draft({ segmentId: "00000000-0000-4000-8000-000000000000" }));
    expect(e.fieldErrors?.segmentId).toBeDefined();
  });

  it("edits only drafts, and audits what changed", async () => {
    const c = await draft();
    const r = await updateCampaign(testDeps(t.db, marketer), {
      id: c.id,
      subject: "New subject {{firstName}}",
      name: c.name,
    });
    expect(r.changed).toBe(true);
    expect(r.campaign.subject).toBe("New subject {{firstName}}");
    const audits = await auditOf(c.id);
    expect(audits.at(-1)).toEqual({
      action: "campaign.updated",
      details: {
        before: { subject: "Hello {{firstName}}" },
        after: { subject: "New subject {{firstName}}" },
      },
    });

    await scheduleCampaign(testDeps(t.db, marketer), {
      id: c.id,
      scheduledAt: new Date(Date.now() + 3_600_000),
    });
    const e = await caught(updateCampaign(testDeps(t.db, marketer), { id: c.id, name: "Later" }));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toContain("scheduled");
    expect((await getCampaign({ db: t.db }, { id: c.id })).name).toBe("Autumn parties");
  });
});

describe("scheduling, sending now and cancelling", () => {
  it("schedules for a future time with its job at that time; moving it moves the job", async () => {
    const c = await draft();
    const at = new Date(Date.now() + 2 * 3_600_000);
    const scheduled = await scheduleCampaign(testDeps(t.db, marketer), {
      id: c.id,
      scheduledAt: at,
    });
    expect(scheduled).toMatchObject({ status: "SCHEDULED", scheduledAt: at });
    let jobs = await jobsFor(c.id);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0]!.run_at).getTime()).toBe(at.getTime());

    const later = new Date(at.getTime() + 3_600_000);
    await scheduleCampaign(testDeps(t.db, marketer), { id: c.id, scheduledAt: later });
    jobs = await jobsFor(c.id);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0]!.run_at).getTime()).toBe(later.getTime());
    expect((await auditOf(c.id)).map((a) => a.action)).toEqual([
      "campaign.created",
      "campaign.scheduled",
      "campaign.scheduled",
    ]);
  });

  it("refuses a time in the past", async () => {
    const c = await draft();
    const e = await caught(
      scheduleCampaign(testDeps(t.db, marketer), {
        id: c.id,
        scheduledAt: new Date(Date.now() - 1000),
      }),
    );
    expect(e.fieldErrors?.scheduledAt).toBeDefined();
    expect(await jobsFor(c.id)).toHaveLength(0);
  });

  it("sends now: due at once", async () => {
    const c = await draft();
    const r = await sendCampaignNow(testDeps(t.db, marketer), { id: c.id });
    expect(r.status).toBe("SCHEDULED");
    const [job] = await jobsFor(c.id);
    expect(new Date(job!.run_at).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses to send a campaign whose segment was deleted (never widens to everyone)", async () => {
    const [segment] = await t.db
      .insert(schema.segments)
      .values({ name: "Soon gone", filter: { tiers: ["GOLD"] } })
      .returning();
    const c = await draft({ segmentId: segment!.id });
    await t.db.delete(schema.segments).where(eq(schema.segments.id, segment!.id));
    expect((await getCampaign({ db: t.db }, { id: c.id })).audience.kind).toBe("segmentDeleted");
    const e = await caught(sendCampaignNow(testDeps(t.db, marketer), { id: c.id }));
    expect(e.fieldErrors?.segmentId).toBeDefined();
    expect(await jobsFor(c.id)).toHaveLength(0);
  });

  it("cancels only scheduled or sending campaigns", async () => {
    const c = await draft();
    expect((await caught(cancelCampaign(testDeps(t.db, marketer), { id: c.id }))).code).toBe(
      "CONFLICT",
    );
    await sendCampaignNow(testDeps(t.db, marketer), { id: c.id });
    const cancelled = await cancelCampaign(testDeps(t.db, marketer), { id: c.id });
    expect(cancelled.status).toBe("CANCELLED");
    expect((await caught(cancelCampaign(testDeps(t.db, marketer), { id: c.id }))).code).toBe(
      "CONFLICT",
    );
    expect((await caught(sendCampaignNow(testDeps(t.db, marketer), { id: c.id }))).code).toBe(
      "CONFLICT",
    );
    expect((await auditOf(c.id)).map((a) => a.action)).toEqual([
      "campaign.created",
      "campaign.send_now",
      "campaign.cancelled",
    ]);
  });

  it("reports progress from the campaign's counters", async () => {
    const c = await draft();
    await t.db
      .update(schema.campaigns)
      .set({ status: "SENDING", recipientCount: 200, sentCount: 100, failedCount: 10 })
      .where(eq(schema.campaigns.id, c.id));
    expect(await campaignProgress({ db: t.db }, { id: c.id })).toMatchObject({
      status: "SENDING",
      recipientCount: 200,
      sentCount: 100,
      failedCount: 10,
      remaining: 90,
      percent: 55,
    });
  });
});

describe("preview", () => {
  it("uses the sample values without a customer", async () => {
    const p = await previewCampaign(
      { db: t.db },
      {
        subject: "Hi {{firstName}}",
        bodyMarkdown: "You are {{tier}} with {{points}} points",
      },
    );
    expect(p.subject).toBe("Hi Ana");
    expect(p.html).toContain("You are Silver with 1,250 points");
    expect(p.customer).toBeNull();
    expect(p.fieldErrors).toEqual({});
  });

  it("personalises with a real customer and escapes what they typed", async () => {
    const c = await insertCustomer(t.db, { name: `<img src=x onerror=alert(1)> "Bo" & co` });
    const p = await previewCampaign(
      { db: t.db },
      {
        subject: "Hi {{firstName}}",
        bodyMarkdown: "Dear **{{firstName}}**, {{points}} points",
        customerId: c.id,
      },
    );
    expect(p.customer?.id).toBe(c.id);
    expect(p.html).not.toContain("<img src=x");
    expect(p.html).toContain("&lt;img");
    // The subject is a header, not HTML: the name as is.
    expect(p.subject).toBe("Hi <img");
  });

  it("still renders with unknown merge tags, and names them", async () => {
    const p = await previewCampaign(
      { db: t.db },
      { subject: "x", bodyMarkdown: "Hi {{nickname}}" },
    );
    expect(p.html).toContain("Hi ");
    expect(p.fieldErrors.bodyMarkdown?.[0]).toContain("{{nickname}}");
  });

  it("escapes raw HTML in the body (Markdown without HTML)", async () => {
    const p = await previewCampaign(
      { db: t.db },
      {
        subject: "x",
        bodyMarkdown: "<script>alert(1)</script>",
      },
    );
    expect(p.html).not.toContain("<script>alert(1)");
    expect(p.html).toContain("&lt;script&gt;");
  });
});

describe("test sends", () => {
  it("queues the saved campaign to up to 5 addresses as [Test] transactional mail, audited", async () => {
    const c = await draft();
    await t.db.insert(schema.suppressions).values({
      emailHash: emailSuppressionHash("bounced@example.org"),
      reason: "HARD_BOUNCE",
    });
    const r = await sendCampaignTest(testDeps(t.db, marketer, { config: env }), {
      id: c.id,
      to: ["me@example.org", " Boss@Example.org ", "bounced@example.org"],
    });
    expect(r).toEqual({
      queued: 3,
      to: ["me@example.org", "boss@example.org", "bounced@example.org"],
    });
    const rows = await t.db
      .select()
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.template, "campaign-test"));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.kind).toBe("TRANSACTIONAL");
      expect(row.campaignId).toBeNull();
      expect(row.subject).toBe("[Test] Hello Ana");
    }
    // A suppressed address gets nothing, test or not.
    expect(rows.find((x) => x.status === "FAILED")?.toEmail).toBeNull();
    expect(rows.filter((x) => x.status === "QUEUED").map((x) => x.html)).toEqual([
      expect.stringContaining("You have <strong>1,250</strong> points (Silver)."),
      expect.stringContaining("You have <strong>1,250</strong> points (Silver)."),
    ]);
    expect((await auditOf(c.id)).at(-1)).toMatchObject({ action: "campaign.test_sent" });
  });

  it("takes 1 to 5 valid addresses", async () => {
    const c = await draft();
    await expect(
      sendCampaignTest(testDeps(t.db, marketer, { config: env }), { id: c.id, to: [] }),
    ).rejects.toThrow();
    await expect(
      sendCampaignTest(testDeps(t.db, marketer, { config: env }), {
        id: c.id,
        to: ["a@x.org", "b@x.org", "c@x.org", "d@x.org", "e@x.org", "f@x.org"],
      }),
    ).rejects.toThrow();
    await expect(
      sendCampaignTest(testDeps(t.db, marketer, { config: env }), {
        id: c.id,
        to: ["not an address"],
      }),
    ).rejects.toThrow();
  });
});
