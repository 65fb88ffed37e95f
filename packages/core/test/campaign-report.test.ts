import { randomUUID } from "node:crypto";
import { loadEnv } from "@xplorium/config";
import {
  campaignReport,
  updateTrackingSettings,
  verifyWebhookSignature,
} from "@xplorium/core/tracking";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor, testDeps, unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { signWebhook } from "../src/tracking/webhook-signature";
import { useTestDatabase } from "./support";

/**
 * campaignReport against a hand-built campaign whose every number is worked out below, plus the
 * webhook signature rules and the RESEND_WEBHOOK_SECRET format check as plain functions.
 */

const TZ = "Europe/Belgrade";
const reportOf = (campaignId: string) =>
  campaignReport({ db: t.db, config: { TIME_ZONE: TZ } }, { campaignId });
const T0 = new Date("2026-03-02T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const t = useTestDatabase();

async function campaign(startedAt: Date | null = T0) {
  const [row] = await t.db
    .insert(schema.campaigns)
    .values({ name: `Report ${unique()}`, subject: "Spring", status: "SENT", startedAt })
    .returning();
  return row!;
}

async function message(
  campaignId: string | null,
  customerId: string,
  status: (typeof schema.emailStatus.enumValues)[number],
  sentAt: Date | null,
) {
  const [row] = await t.db
    .insert(schema.emailMessages)
    .values({
      kind: "MARKETING",
      template: "campaign",
      campaignId,
      customerId,
      toEmail: `r-${unique()}@example.com`,
      fromEmail: "x@example.com",
      subject: "Spring",
      transport: "RESEND",
      status,
      sentAt,
    })
    .returning();
  return row!;
}

async function ev(
  msg: { id: string; campaignId: string | null },
  type: string,
  occurredAt: Date,
  extra: { bounceType?: "HARD" | "SOFT"; link?: string } = {},
) {
  await t.db.insert(schema.emailEvents).values({
    emailMessageId: msg.id,
    campaignId: msg.campaignId,
    svixId: `msg_${randomUUID()}`,
    type,
    payload: {},
    occurredAt,
    bounceType: extra.bounceType ?? null,
    link: extra.link ?? null,
  });
}

async function withdraw(
  customerId: string,
  when: Date,
  source: "UNSUBSCRIBE_LINK" | "PORTAL" | "COMPLAINT",
) {
  await t.sql`insert into consent_events (customer_id, channel, action, state, source,
      wording_version, confirmed_at, created_at)
    values (${customerId}, 'EMAIL', 'WITHDRAWN', 'CONFIRMED', ${source}, 'v1', ${when.toISOString()}, ${when.toISOString()})`;
}

describe("campaignReport", () => {
  it("counts a hand-built campaign exactly", async () => {
    const c = await campaign();
    const other = await campaign();
    const cs = [];
    for (let i = 0; i < 11; i++) cs.push(await insertCustomer(t.db));
    // m1–m6 delivered, m7 delivered then complained, m8 hard bounce, m9 soft bounce,
    // m10 never sent (opted out at send time), m11 still queued.
    const m: Awaited<ReturnType<typeof message>>[] = [];
    const statuses = [
      "DELIVERED",
      "DELIVERED",
      "DELIVERED",
      "DELIVERED",
      "DELIVERED",
      "DELIVERED",
      "COMPLAINED",
      "BOUNCED",
      "BOUNCED",
      "FAILED",
      "QUEUED",
    ] as const;
    for (let i = 0; i < 11; i++) {
      m.push(await message(c.id, cs[i]!.id, statuses[i]!, i < 9 ? at(i) : null));
    }
    // Delivered: 4 in the 10:00 hour, 3 in the 11:00 hour.
    for (const i of [0, 1, 2, 3]) await ev(m[i]!, "email.delivered", at(5));
    for (const i of [4, 5, 6]) await ev(m[i]!, "email.delivered", at(70));
    // Bounces at 10:20: one hard, one soft.
    await ev(m[7]!, "email.bounced", at(20), { bounceType: "HARD" });
    await ev(m[8]!, "email.bounced", at(20), { bounceType: "SOFT" });
    // Opens: m1 twice, m2 and m3 once → 3 unique, 4 in all (12:30 ×3, 13:05 ×1).
    await ev(m[0]!, "email.opened", at(150));
    await ev(m[1]!, "email.opened", at(150));
    await ev(m[2]!, "email.opened", at(150));
    await ev(m[0]!, "email.opened", at(185));
    // Clicks: m1 on A twice, m2 on A and B → 2 unique clickers, 4 in all (12:40 ×3, 14:00 ×1).
    const A = "https://xplorium.example/party";
    const B = "https://xplorium.example/cafe";
    await ev(m[0]!, "email.clicked", at(160), { link: A });
    await ev(m[0]!, "email.clicked", at(160), { link: A });
    await ev(m[1]!, "email.clicked", at(160), { link: A });
    await ev(m[1]!, "email.clicked", at(240), { link: B });
    // The complaint at 15:00.
    await ev(m[6]!, "email.complained", at(300));
    // Another campaign's events never count here.
    const foreign = await message(other.id, cs[10]!.id, "DELIVERED", at(1));
    await ev(foreign, "email.opened", at(150));
    await ev(foreign, "email.clicked", at(150), { link: A });

    // Unsubscribes: c1 after its email (counts); c2 before its email (no); c3 after a later
    // marketing email (that one's, not ours); c4 by the link before its next email (counts);
    // c7's withdrawal is its complaint (counted as a complaint, not an unsubscribe).
    await withdraw(cs[0]!.id, at(600), "PORTAL");
    await withdraw(cs[1]!.id, at(-60), "UNSUBSCRIBE_LINK");
    await message(null, cs[2]!.id, "DELIVERED", at(24 * 60));
    await withdraw(cs[2]!.id, at(48 * 60), "UNSUBSCRIBE_LINK");
    await withdraw(cs[3]!.id, at(60), "UNSUBSCRIBE_LINK");
    await message(null, cs[3]!.id, "DELIVERED", at(24 * 60));
    await withdraw(cs[6]!.id, at(300), "COMPLAINT");

    const report = await reportOf(c.id);
    expect(report.campaign).toMatchObject({ id: c.id, name: c.name, status: "SENT" });
    expect(report.trackingEnabled).toBe(false);
    expect(report.totals).toEqual({
      recipients: 11,
      sent: 9,
      delivered: 7,
      uniqueOpens: 3,
      uniqueClicks: 2,
      opens: 4,
      clicks: 4,
      bounces: 2,
      hardBounces: 1,
      softBounces: 1,
      complaints: 1,
      unsubscribes: 2,
      failed: 1,
      queued: 1,
    });
    expect(report.rates).toEqual({
      delivered: 7 / 9,
      opened: 3 / 7,
      clicked: 2 / 7,
      bounced: 2 / 9,
      complained: 1 / 7,
      unsubscribed: 2 / 7,
    });
    expect(report.series.bucket).toBe("hour");
    const hour = (h: number) => new Date(`2026-03-02T${String(h).padStart(2, "0")}:00:00Z`);
    const zero = { delivered: 0, opened: 0, clicked: 0, bounced: 0, complained: 0 };
    expect(report.series.points).toEqual([
      { ...zero, at: hour(10), delivered: 4, bounced: 2 },
      { ...zero, at: hour(11), delivered: 3 },
      { ...zero, at: hour(12), opened: 3, clicked: 3 },
      { ...zero, at: hour(13), opened: 1 },
      { ...zero, at: hour(14), clicked: 1 },
      { ...zero, at: hour(15), complained: 1 },
    ]);
    expect(report.topLinks).toEqual([
      { link: A, clicks: 3, uniqueClicks: 2 },
      { link: B, clicks: 1, uniqueClicks: 1 },
    ]);
  });

  it("switches to days in the venue's time zone when the events span more than a week", async () => {
    const c = await campaign();
    const customer = await insertCustomer(t.db);
    const msg = await message(c.id, customer.id, "DELIVERED", T0);
    await ev(msg, "email.delivered", at(1));
    // 23:30 UTC on 2 March is 00:30 on 3 March in Belgrade (UTC+1).
    await ev(msg, "email.opened", new Date("2026-03-02T23:30:00Z"));
    await ev(msg, "email.opened", new Date("2026-03-11T09:00:00Z"));
    const report = await reportOf(c.id);
    expect(report.series.bucket).toBe("day");
    const points = report.series.points;
    expect(points).toHaveLength(10); // 2–11 March
    expect(points[0]).toMatchObject({
      at: new Date("2026-03-01T23:00:00Z"),
      delivered: 1,
      opened: 0,
    });
    expect(points[1]).toMatchObject({ at: new Date("2026-03-02T23:00:00Z"), opened: 1 });
    expect(points[9]).toMatchObject({ at: new Date("2026-03-10T23:00:00Z"), opened: 1 });
    expect(points.reduce((n, p) => n + p.opened, 0)).toBe(2);
  });

  it("reports a campaign with nothing sent yet as zeros with no rates and an empty chart", async () => {
    const c = await campaign(null);
    const report = await reportOf(c.id);
    expect(report.totals.sent).toBe(0);
    expect(report.rates).toEqual({
      delivered: null,
      opened: null,
      clicked: null,
      bounced: null,
      complained: null,
      unsubscribed: null,
    });
    expect(report.series.points).toEqual([]);
    expect(report.topLinks).toEqual([]);
  });

  it("says whether tracking is on, and an unknown campaign is NOT_FOUND", async () => {
    const c = await campaign();
    const actor = await insertStaffActor(t.db, { role: "MANAGER" });
    await updateTrackingSettings(testDeps(t.db, actor), { trackOpensClicks: true });
    expect((await reportOf(c.id)).trackingEnabled).toBe(true);
    await updateTrackingSettings(testDeps(t.db, actor), { trackOpensClicks: false });
    const audits = await t.sql`select details from audit_log
      where action = 'marketing.settings_updated' order by id`;
    expect(audits.map((a) => a.details)).toEqual([
      { before: { trackOpensClicks: false }, after: { trackOpensClicks: true } },
      { before: { trackOpensClicks: true }, after: { trackOpensClicks: false } },
    ]);
    // Saving the same value again changes and audits nothing.
    await updateTrackingSettings(testDeps(t.db, actor), { trackOpensClicks: false });
    expect(
      await t.sql`select 1 from audit_log where action = 'marketing.settings_updated'`,
    ).toHaveLength(2);
    await expect(reportOf(randomUUID())).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("webhook signature (Svix, as Resend signs)", () => {
  const secret = `whsec_${Buffer.from("0123456789abcdef0123456789").toString("base64")}`;
  const now = new Date("2026-03-02T10:00:00Z");
  const ts = Math.floor(now.getTime() / 1000);
  const body = Buffer.from('{"type":"email.sent","data":{"email_id":"x"}}');
  const headers = (over: Partial<Record<"id" | "timestamp" | "signature", string>> = {}) => {
    const id = over.id ?? "msg_1";
    const timestamp = over.timestamp ?? String(ts);
    return {
      id,
      timestamp,
      signature: over.signature ?? signWebhook(secret, { id, timestamp: Number(timestamp), body }),
    };
  };

  it("matches Svix's published test vector", () => {
    // From the Svix/Standard Webhooks libraries' test suites.
    const vector = verifyWebhookSignature(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      {
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: "1614265330",
        signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
      },
      Buffer.from('{"test": 2432232314}'),
      new Date(1614265330 * 1000),
    );
    expect(vector.ok).toBe(true);
  });

  it("accepts a good signature and refuses every way of getting it wrong", () => {
    expect(verifyWebhookSignature(secret, headers(), body, now)).toMatchObject({
      ok: true,
      id: "msg_1",
    });
    const reason = (h: ReturnType<typeof headers>, b = body, n = now) => {
      const v = verifyWebhookSignature(secret, h, b, n);
      return v.ok ? "ok" : v.reason;
    };
    expect(
      reason(headers(), Buffer.from('{"type":"email.complained","data":{"email_id":"x"}}')),
    ).toBe("bad-signature");
    expect(reason({ ...headers(), id: "msg_2" })).toBe("bad-signature");
    expect(reason(headers({ signature: "v1,AAAA" }))).toBe("bad-signature");
    expect(reason({ ...headers(), signature: "" })).toBe("missing-headers");
    expect(reason(headers(), body, new Date(now.getTime() + 301_000))).toBe("too-old");
    expect(reason(headers(), body, new Date(now.getTime() - 301_000))).toBe("too-new");
    expect(reason(headers(), body, new Date(now.getTime() + 299_000))).toBe("ok");
    expect(reason(headers({ timestamp: "1e9" }))).toBe("bad-timestamp");
  });
});

describe("RESEND_WEBHOOK_SECRET", () => {
  it("must look like Resend's signing secret", () => {
    const ok = loadEnv({
      NODE_ENV: "test",
      RESEND_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    });
    expect(ok.RESEND_WEBHOOK_SECRET).toBe("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    for (const bad of ["secret", "whsec_", "whsec_not base64!", "whsec_c2hvcnQ=", "re_123"]) {
      expect(() => loadEnv({ NODE_ENV: "test", RESEND_WEBHOOK_SECRET: bad }), bad).toThrow(
        /RESEND_WEBHOOK_SECRET must be the signing secret Resend shows/,
      );
    }
    expect(loadEnv({ NODE_ENV: "test" }).RESEND_WEBHOOK_SECRET).toBeUndefined();
  });
});
