import { randomUUID } from "node:crypto";
import type { Env } from "@xplorium/config";
import { deliverEmail, queueEmail } from "@xplorium/core/messaging";
import { updateTrackingSettings } from "@xplorium/core/tracking";
import { schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertCustomer,
  insertStaffActor,
  type TestDatabase,
  testDeps,
  unique,
} from "@xplorium/db/testing";
import { resendTransport } from "@xplorium/email";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeResend,
  type ResendEmailBody,
  startFakeResend,
} from "../../../tests/support/fake-resend";
import { testEnv } from "../../api/test/support";
import { emailSuppressionHash } from "../../core/src/privacy/suppression-hash";
import {
  newWebhookSecret,
  postWebhook,
  resendEvent,
  startAdminServer,
} from "./resend-webhook-support";

/**
 * What Resend's events do, end to end: a real send through the `resend` SDK (against the local
 * fake API) carries the tracking tags; signed events posted to the admin's webhook find the
 * message by its email_id tag (or Resend's id), move its status forward only, and a hard
 * bounce or a complaint keeps the address from ever being mailed again.
 */

const SECRET = newWebhookSecret();
const API_KEY = "re_test_tracking";
let t: TestDatabase;
let env: Env;
let fake: FakeResend;
let server: { url: string; close: () => Promise<void> };
let previousBaseUrl: string | undefined;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeResend();
  previousBaseUrl = process.env.RESEND_BASE_URL;
  process.env.RESEND_BASE_URL = fake.url;
  env = testEnv(t.url, {
    RESEND_WEBHOOK_SECRET: SECRET,
    RESEND_API_KEY: API_KEY,
    RESEND_BASE_URL: fake.url,
  });
  server = await startAdminServer(t.db, env);
});
afterAll(async () => {
  if (previousBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
  else process.env.RESEND_BASE_URL = previousBaseUrl;
  await server?.close();
  await fake?.close();
  await t?.drop();
});
beforeEach(() => fake.reset());

const post = (body: unknown, svixId?: string) =>
  postWebhook(server.url, { body, secret: SECRET, ...(svixId ? { svixId } : {}) });

async function setTracking(on: boolean) {
  const actor = await insertStaffActor(t.db, { role: "MARKETING" });
  await updateTrackingSettings(testDeps(t.db, actor), { trackOpensClicks: on });
}

/** A campaign and one recipient's MARKETING row, as the campaign sender stores them once sent. */
async function campaignEmail(opts: { optedIn?: boolean } = {}) {
  const customer = await insertCustomer(t.db);
  if (opts.optedIn) {
    await t.sql`update customers set marketing_opt_in = true where id = ${customer.id}`;
    await t.sql`insert into consent_events (customer_id, channel, action, state, source,
        wording_version, confirmed_at)
      values (${customer.id}, 'EMAIL', 'GRANTED', 'CONFIRMED', 'PORTAL', 'v1', now())`;
  }
  const [campaign] = await t.db
    .insert(schema.campaigns)
    .values({ name: `Spring ${unique()}`, subject: "Spring parties", status: "SENDING" })
    .returning();
  const [msg] = await t.db
    .insert(schema.emailMessages)
    .values({
      kind: "MARKETING",
      template: "campaign",
      campaignId: campaign!.id,
      customerId: customer.id,
      toEmail: customer.email,
      fromEmail: env.EMAIL_FROM,
      subject: "Spring parties",
      html: "<p>Hi</p>",
      text: "Hi",
      transport: "RESEND",
      status: "SENT",
      sentAt: new Date(),
      providerMessageId: randomUUID(),
    })
    .returning();
  return { customer, campaign: campaign!, msg: msg! };
}

type Msg = Awaited<ReturnType<typeof campaignEmail>>["msg"];
const tags = (msg: Msg) => [
  { name: "email_id", value: msg.id },
  { name: "customer_id", value: msg.customerId },
  { name: "campaign_id", value: msg.campaignId },
];
const event = (type: string, msg: Msg, extra: Record<string, unknown> = {}) =>
  resendEvent(type, {
    email_id: msg.providerMessageId,
    to: [msg.toEmail],
    tags: tags(msg),
    ...extra,
  });

const statusOf = async (id: string) =>
  (await t.sql`select status, error from email_messages where id = ${id}`)[0]!;
const suppressionOf = async (email: string) =>
  (
    await t.sql`select reason from suppressions where email_hash = ${emailSuppressionHash(email)}`
  )[0]?.reason ?? null;

/** A transactional email queued to the address (a sign-in code), not yet delivered. */
async function queueCode(customer: { id: string; email: string | null }) {
  return t.db.transaction((tx) =>
    queueEmail(tx, {
      template: "sign-in-code",
      props: {
        name: "Ana",
        code: "123456",
        magicLink: "https://x.example/l",
        expiresInMinutes: 10,
      },
      to: customer.email!,
      from: env.EMAIL_FROM,
      customerId: customer.id,
      transport: "RESEND",
    }),
  );
}

describe("sending carries the tracking tags", () => {
  it("deliverEmail tags a single email with email_id and customer_id, and its events find it", async () => {
    const customer = await insertCustomer(t.db);
    const id = await queueCode(customer);
    expect(await deliverEmail(t.db, id, resendTransport(API_KEY))).toBe("sent");
    const sent = fake.delivered();
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as ResendEmailBody;
    expect(body.tags).toEqual([
      { name: "email_id", value: id },
      { name: "customer_id", value: customer.id },
    ]);
    const [row] = await t.sql`select provider_message_id from email_messages where id = ${id}`;
    expect(row!.provider_message_id).toBe(sent[0]!.responseId);

    // Resend echoes the tags back (an array in its docs).
    for (const type of ["email.sent", "email.delivered"]) {
      const res = await post(
        resendEvent(type, { email_id: sent[0]!.responseId, to: body.to, tags: body.tags }),
      );
      expect(res.status).toBe(200);
    }
    expect((await statusOf(id)).status).toBe("DELIVERED");
  });

  it("a campaign row's send carries campaign_id too", async () => {
    const { msg } = await campaignEmail({ optedIn: true });
    await t.sql`update email_messages set status = 'QUEUED', sent_at = null,
      provider_message_id = null where id = ${msg.id}`;
    const outcome = await deliverEmail(t.db, msg.id, resendTransport(API_KEY), {
      marketingHeaders: () => ({ "List-Unsubscribe": "<https://x.example/u>" }),
    });
    expect(outcome).toBe("sent");
    expect((fake.delivered()[0]!.body as ResendEmailBody).tags).toEqual(tags(msg));
  });

  it("a webhook that overtakes the worker's own update keeps its status; the send time is still written", async () => {
    const customer = await insertCustomer(t.db);
    const id = await queueCode(customer);
    // Resend's `delivered` lands before the worker records the send.
    await post(
      resendEvent("email.delivered", {
        email_id: randomUUID(),
        tags: [{ name: "email_id", value: id }],
      }),
    );
    expect((await statusOf(id)).status).toBe("DELIVERED");
    // The job, retried after a crash, sees the row on its way and sends nothing twice.
    expect(await deliverEmail(t.db, id, resendTransport(API_KEY))).toBe("already-sent");
    expect(fake.delivered()).toHaveLength(0);
  });
});

describe("recording Resend's events", () => {
  it("matches by the email_id tag, by tags as an object, and by Resend's id without tags", async () => {
    const a = await campaignEmail();
    const byArray = await post(event("email.delivered", a.msg));
    const b = await campaignEmail();
    const byObject = await post(
      resendEvent("email.delivered", {
        email_id: "not-resends-id",
        tags: { email_id: b.msg.id, campaign_id: b.campaign.id },
      }),
    );
    const c = await campaignEmail();
    const byProviderId = await post(
      resendEvent("email.delivered", { email_id: c.msg.providerMessageId }),
    );
    for (const [res, m] of [
      [byArray, a.msg],
      [byObject, b.msg],
      [byProviderId, c.msg],
    ] as const) {
      expect(res.status).toBe(200);
      const [row] = await t.sql`select email_message_id, campaign_id from email_events
        where svix_id = ${res.svixId}`;
      expect(row).toEqual({ email_message_id: m.id, campaign_id: m.campaignId });
      expect((await statusOf(m.id)).status).toBe("DELIVERED");
    }
  });

  it("stores an event for an email it does not know, unmatched", async () => {
    const res = await post(resendEvent("email.delivered", { email_id: randomUUID() }));
    expect(res.status).toBe(200);
    const [row] = await t.sql`select email_message_id, campaign_id, payload from email_events
      where svix_id = ${res.svixId}`;
    expect(row!.email_message_id).toBeNull();
    expect(row!.campaign_id).toBeNull();
  });

  it("records each event type, and a status only ever moves forward", async () => {
    const { msg } = await campaignEmail();
    const steps: [string, string][] = [
      ["email.sent", "SENT"],
      ["email.delivery_delayed", "SENT"],
      ["email.delivered", "DELIVERED"],
      ["email.sent", "DELIVERED"], // late
      ["email.complained", "COMPLAINED"],
      ["email.delivered", "COMPLAINED"], // late
      ["email.bounced", "COMPLAINED"], // late, and soft: nothing moves back
    ];
    for (const [type, status] of steps) {
      const res = await post(
        event(type, msg, type === "email.bounced" ? { bounce: { type: "Transient" } } : {}),
      );
      expect(res.status, type).toBe(200);
      expect((await statusOf(msg.id)).status, type).toBe(status);
    }
    const types = await t.sql`select type from email_events where email_message_id = ${msg.id}
      order by created_at, id`;
    expect(types.map((r) => r.type).sort()).toEqual(steps.map(([type]) => type).sort());
  });

  it("email.failed and email.suppressed mark an unsent message FAILED with the reason", async () => {
    const a = await campaignEmail();
    await post(event("email.failed", a.msg, { failed: { reason: "reached_daily_quota" } }));
    expect(await statusOf(a.msg.id)).toEqual({
      status: "FAILED",
      error: "Resend could not send it: reached_daily_quota",
    });
    const b = await campaignEmail();
    await post(
      event("email.suppressed", b.msg, { suppressed: { type: "OnAccountSuppressionList" } }),
    );
    expect((await statusOf(b.msg.id)).status).toBe("FAILED");
  });
});

describe("bounces and complaints", () => {
  it("a hard bounce suppresses the address for all mail", async () => {
    const { customer, msg } = await campaignEmail({ optedIn: true });
    const earlier = await queueCode(customer); // queued before the bounce, not yet delivered
    const res = await post(
      event("email.bounced", msg, {
        bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 no such user" },
      }),
    );
    expect(res.status).toBe(200);
    expect(await statusOf(msg.id)).toEqual({
      status: "BOUNCED",
      error: "Bounced (hard: Permanent / General)",
    });
    expect(await suppressionOf(customer.email!)).toBe("HARD_BOUNCE");
    const [stored] =
      await t.sql`select bounce_type from email_events where svix_id = ${res.svixId}`;
    expect(stored!.bounce_type).toBe("HARD");

    // Nothing reaches the address any more, transactional mail included.
    const later = await queueCode(customer);
    expect((await statusOf(later)).status).toBe("FAILED");
    expect(await deliverEmail(t.db, earlier, resendTransport(API_KEY))).toBe("suppressed");
    expect(fake.delivered()).toHaveLength(0);
    // A bounce is not an opt-out: consent is untouched.
    const [c] = await t.sql`select marketing_opt_in from customers where id = ${customer.id}`;
    expect(c!.marketing_opt_in).toBe(true);
  });

  it("a soft bounce does not suppress", async () => {
    const { customer, msg } = await campaignEmail();
    for (const bounce of [
      { type: "Transient", subType: "MailboxFull" },
      { type: "Undetermined" },
      undefined,
    ]) {
      const res = await post(event("email.bounced", msg, bounce ? { bounce } : {}));
      expect(res.status).toBe(200);
      const [row] = await t.sql`select bounce_type from email_events where svix_id = ${res.svixId}`;
      expect(row!.bounce_type).toBe("SOFT");
    }
    expect((await statusOf(msg.id)).status).toBe("BOUNCED");
    expect(await suppressionOf(customer.email!)).toBeNull();
    const id = await queueCode(customer);
    expect((await statusOf(id)).status).toBe("QUEUED");
    expect(await deliverEmail(t.db, id, resendTransport(API_KEY))).toBe("sent");
  });

  it("a complaint suppresses the address and withdraws marketing consent as a consent event", async () => {
    const { customer, msg } = await campaignEmail({ optedIn: true });
    const earlier = await queueCode(customer);
    const res = await post(event("email.complained", msg));
    expect(res.status).toBe(200);
    expect((await statusOf(msg.id)).status).toBe("COMPLAINED");
    expect(await suppressionOf(customer.email!)).toBe("COMPLAINT");
    const [c] = await t.sql`select marketing_opt_in from customers where id = ${customer.id}`;
    expect(c!.marketing_opt_in).toBe(false);
    const consent = await t.sql`select action, state, source from consent_events
      where customer_id = ${customer.id} order by created_at desc limit 1`;
    expect(consent).toEqual([{ action: "WITHDRAWN", state: "CONFIRMED", source: "COMPLAINT" }]);
    const audit = await t.sql`select action from audit_log where entity_id = ${customer.id}`;
    expect(audit.map((a) => a.action)).toContain("customer.complained");
    // Suppression blocks everything, not only marketing.
    expect(await deliverEmail(t.db, earlier, resendTransport(API_KEY))).toBe("suppressed");
    expect(fake.delivered()).toHaveLength(0);

    // The same complaint again (Resend retries): nothing more happens.
    await post(event("email.complained", msg), res.svixId);
    const events = await t.sql`select 1 from consent_events where customer_id = ${customer.id}`;
    expect(events).toHaveLength(2);
  });

  it("a complaint about an email it cannot match still suppresses the address and finds the customer", async () => {
    const customer = await insertCustomer(t.db);
    await t.sql`update customers set marketing_opt_in = true where id = ${customer.id}`;
    const res = await post(
      resendEvent("email.complained", {
        email_id: randomUUID(),
        to: [customer.email!.toUpperCase()],
      }),
    );
    expect(res.status).toBe(200);
    expect(await suppressionOf(customer.email!)).toBe("COMPLAINT");
    const [c] = await t.sql`select marketing_opt_in from customers where id = ${customer.id}`;
    expect(c!.marketing_opt_in).toBe(false);
    // The stored event keeps no address.
    const [row] = await t.sql`select payload from email_events where svix_id = ${res.svixId}`;
    expect(JSON.stringify(row!.payload)).not.toContain("@");
  });
});

describe("open and click tracking is a setting", () => {
  it("off (the default): opens and clicks are dropped, nothing stored about the person", async () => {
    const { msg } = await campaignEmail();
    const opened = await post(event("email.opened", msg));
    const clicked = await post(
      event("email.clicked", msg, {
        click: {
          link: "https://xplorium.example/party",
          ipAddress: "203.0.113.9",
          userAgent: "Mail",
        },
      }),
    );
    for (const res of [opened, clicked]) {
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ recorded: false, outcome: "not-tracked" });
    }
    const rows = await t.sql`select type from email_events where email_message_id = ${msg.id}
      or svix_id in (${opened.svixId}, ${clicked.svixId})`;
    expect(rows).toEqual([]);
  });

  it("on: opens and clicks are stored with the link (unsubscribe token cut off), never the IP or user agent", async () => {
    await setTracking(true);
    try {
      const { msg } = await campaignEmail();
      await post(event("email.opened", msg));
      const links = [
        "https://xplorium.example/party?utm_source=email",
        `https://my.xplorium.example/unsubscribe/${msg.customerId}.email.c2lnbmF0dXJl`,
      ];
      for (const link of links) {
        await post(
          event("email.clicked", msg, {
            click: { link, ipAddress: "203.0.113.9", userAgent: "Mail/1.0", timestamp: "x" },
          }),
        );
      }
      const rows = await t.sql`select type, link, payload from email_events
        where email_message_id = ${msg.id} order by type, link`;
      expect(rows.map((r) => [r.type, r.link])).toEqual([
        ["email.clicked", "https://my.xplorium.example/unsubscribe"],
        ["email.clicked", "https://xplorium.example/party?utm_source=email"],
        ["email.opened", null],
      ]);
      const payloads = JSON.stringify(rows.map((r) => r.payload));
      for (const secret of ["203.0.113.9", "Mail/1.0", msg.toEmail!, "c2lnbmF0dXJl"]) {
        expect(payloads).not.toContain(secret);
      }
    } finally {
      await setTracking(false);
    }
  });

  it("a transactional email's clicked link is never stored (it may carry a sign-in token)", async () => {
    await setTracking(true);
    try {
      const customer = await insertCustomer(t.db);
      const id = await queueCode(customer);
      const res = await post(
        resendEvent("email.clicked", {
          email_id: randomUUID(),
          tags: [{ name: "email_id", value: id }],
          click: { link: "https://my.xplorium.example/auth/link?token=secret-token" },
        }),
      );
      const [row] =
        await t.sql`select link, payload from email_events where svix_id = ${res.svixId}`;
      expect(row!.link).toBeNull();
      expect(JSON.stringify(row!.payload)).not.toContain("secret-token");
    } finally {
      await setTracking(false);
    }
  });
});
