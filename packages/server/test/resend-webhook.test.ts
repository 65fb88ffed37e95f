import { randomUUID } from "node:crypto";
import type { Env } from "@xplorium/config";
import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { RESEND_WEBHOOK_LIMITS } from "@xplorium/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEnv } from "../../api/test/support";
import { signWebhook } from "../../core/src/tracking/webhook-signature";
import {
  newWebhookSecret,
  postWebhook,
  resendEvent,
  startAdminServer,
} from "./resend-webhook-support";

/**
 * POST /api/webhooks/resend over real HTTP through the admin's edge: the Svix signature over
 * the raw body (valid, wrong, tampered, stale, from the future, rotated), the replay guard on
 * svix-id, the answers for a bad payload, an unconfigured secret and the rate limits.
 */

const SECRET = newWebhookSecret();
let t: TestDatabase;
let env: Env;
let server: { url: string; close: () => Promise<void> };
let unconfigured: { url: string; close: () => Promise<void> };
const logged: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  env = testEnv(t.url, { RESEND_WEBHOOK_SECRET: SECRET });
  server = await startAdminServer(t.db, env);
  unconfigured = await startAdminServer(t.db, testEnv(t.url), { log: (m) => logged.push(m) });
});
afterAll(async () => {
  await server?.close();
  await unconfigured?.close();
  await t?.drop();
});

/** A sent email the events can match, by the email_id tag. */
async function sentEmail() {
  const [row] = await t.db
    .insert(schema.emailMessages)
    .values({
      kind: "TRANSACTIONAL",
      template: "sign-in-code",
      toEmail: `hook-${randomUUID()}@example.com`,
      fromEmail: env.EMAIL_FROM,
      subject: "Your code",
      html: "<p>123456</p>",
      text: "123456",
      transport: "RESEND",
      status: "SENT",
      sentAt: new Date(),
      providerMessageId: randomUUID(),
    })
    .returning();
  return row!;
}

const delivered = (msg: { id: string; providerMessageId: string | null; toEmail: string | null }) =>
  resendEvent("email.delivered", {
    email_id: msg.providerMessageId,
    to: [msg.toEmail],
    tags: [{ name: "email_id", value: msg.id }],
  });

const eventsFor = (svixId: string) =>
  t.sql`select type, email_message_id from email_events where svix_id = ${svixId}`;
const statusOf = async (id: string) =>
  (await t.sql`select status from email_messages where id = ${id}`)[0]!.status as string;

describe("POST /api/webhooks/resend: signature", () => {
  it("records a correctly signed event and answers 200", async () => {
    const msg = await sentEmail();
    const res = await postWebhook(server.url, { body: delivered(msg), secret: SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      received: true,
      recorded: true,
      outcome: "recorded",
    });
    expect(await eventsFor(res.svixId)).toEqual([
      { type: "email.delivered", email_message_id: msg.id },
    ]);
    expect(await statusOf(msg.id)).toBe("DELIVERED");
  });

  it("refuses a signature made with another secret, or garbage, with 401 and stores nothing", async () => {
    const msg = await sentEmail();
    for (const attempt of [
      { secret: newWebhookSecret() },
      { secret: SECRET, signature: "v1,bm90IGEgc2lnbmF0dXJl" },
      { secret: SECRET, signature: "v1," },
      { secret: SECRET, signature: "v2,whatever" },
      { secret: SECRET, signature: "garbage" },
    ]) {
      const res = await postWebhook(server.url, { body: delivered(msg), ...attempt });
      expect(res.status, JSON.stringify(attempt)).toBe(401);
      expect(res.text).toBe("The webhook signature does not match.");
      expect(await eventsFor(res.svixId)).toEqual([]);
    }
    expect(await statusOf(msg.id)).toBe("SENT");
  });

  it("refuses a body changed after signing (401)", async () => {
    const msg = await sentEmail();
    const original = JSON.stringify(delivered(msg));
    // The same event, but now claiming a complaint; and the same JSON re-spaced.
    const forged = original.replace("email.delivered", "email.complained");
    for (const body of [forged, JSON.stringify(JSON.parse(original), null, 1)]) {
      const res = await postWebhook(server.url, { body, signedBody: original, secret: SECRET });
      expect(res.status).toBe(401);
      expect(await eventsFor(res.svixId)).toEqual([]);
    }
    expect(await statusOf(msg.id)).toBe("SENT");
    expect(await t.sql`select 1 from suppressions`).toEqual([]);
  });

  it("refuses timestamps more than 5 minutes old or ahead (401), accepts one inside the window", async () => {
    const msg = await sentEmail();
    const now = Math.floor(Date.now() / 1000);
    const old = await postWebhook(server.url, {
      body: delivered(msg),
      secret: SECRET,
      timestamp: now - 6 * 60,
    });
    expect(old.status).toBe(401);
    expect(old.text).toBe("The webhook timestamp is more than 5 minutes old.");
    const ahead = await postWebhook(server.url, {
      body: delivered(msg),
      secret: SECRET,
      timestamp: now + 6 * 60,
    });
    expect(ahead.status).toBe(401);
    expect(ahead.text).toBe("The webhook timestamp is more than 5 minutes in the future.");
    const notNumber = await postWebhook(server.url, {
      body: delivered(msg),
      secret: SECRET,
      headers: { "svix-timestamp": "yesterday" },
    });
    expect(notNumber.status).toBe(401);
    expect(await statusOf(msg.id)).toBe("SENT");

    const late = await postWebhook(server.url, {
      body: delivered(msg),
      secret: SECRET,
      timestamp: now - 4 * 60,
    });
    expect(late.status).toBe(200);
    expect(await statusOf(msg.id)).toBe("DELIVERED");
  });

  it("records a replayed svix-id once, answering 200 each time", async () => {
    const msg = await sentEmail();
    const body = delivered(msg);
    const svixId = `msg_${randomUUID()}`;
    const first = await postWebhook(server.url, { body, secret: SECRET, svixId });
    // Resend's retry: same id, new timestamp and signature. Then the captured request again.
    const retry = await postWebhook(server.url, {
      body,
      secret: SECRET,
      svixId,
      timestamp: Math.floor(Date.now() / 1000) + 1,
    });
    const replay = await postWebhook(server.url, { body, secret: SECRET, svixId });
    expect([first.status, retry.status, replay.status]).toEqual([200, 200, 200]);
    expect(JSON.parse(first.text).outcome).toBe("recorded");
    expect(JSON.parse(retry.text).outcome).toBe("duplicate");
    expect(JSON.parse(replay.text).outcome).toBe("duplicate");
    expect(await eventsFor(svixId)).toHaveLength(1);
  });

  it("accepts one valid signature among several (secret rotation)", async () => {
    const msg = await sentEmail();
    const body = JSON.stringify(delivered(msg));
    const svixId = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const wrong = signWebhook(newWebhookSecret(), { id: svixId, timestamp, body });
    const right = signWebhook(SECRET, { id: svixId, timestamp, body });
    const res = await postWebhook(server.url, {
      body,
      secret: SECRET,
      svixId,
      timestamp,
      signature: `${wrong} ${right}`,
    });
    expect(res.status).toBe(200);
  });

  it("answers 400 when the signature headers are missing", async () => {
    const msg = await sentEmail();
    const res = await postWebhook(server.url, {
      body: delivered(msg),
      secret: SECRET,
      headers: { "svix-signature": "" },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Missing webhook signature headers");
  });

  it("needs no Origin: a cross-site POST passes the edge, the signature decides", async () => {
    const msg = await sentEmail();
    const headers = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    const signed = await postWebhook(server.url, { body: delivered(msg), secret: SECRET, headers });
    expect(signed.status).toBe(200);
    const unsigned = await postWebhook(server.url, {
      body: delivered(msg),
      secret: newWebhookSecret(),
      headers,
    });
    expect(unsigned.status).toBe(401);
    // Only that path: the rest of the admin still refuses cross-site writes.
    const elsewhere = await fetch(`${server.url}/api/trpc/tracking.updateSettings`, {
      method: "POST",
      headers,
      body: "{}",
    });
    expect(elsewhere.status).toBe(403);
  });
});

describe("POST /api/webhooks/resend: payloads and configuration", () => {
  it("answers 400 with a clear message for a signed body that is not a usable event", async () => {
    const notJson = await postWebhook(server.url, { body: "{not json", secret: SECRET });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toBe("The webhook body is not valid JSON.");

    const noType = await postWebhook(server.url, { body: { data: {} }, secret: SECRET });
    expect(noType.status).toBe(400);
    expect(noType.text).toContain("not a Resend event");

    const noEmailId = await postWebhook(server.url, {
      body: resendEvent("email.bounced", { to: ["a@example.com"] }),
      secret: SECRET,
    });
    expect(noEmailId.status).toBe(400);
    expect(noEmailId.text).toContain("data.email_id is missing");

    const noData = await postWebhook(server.url, {
      body: { type: "email.delivered", created_at: new Date().toISOString() },
      secret: SECRET,
    });
    expect(noData.status).toBe(400);
    expect(noData.text).toContain("data must be an object");
    for (const r of [notJson, noType, noEmailId, noData]) {
      expect(await eventsFor(r.svixId)).toEqual([]);
    }
  });

  it("accepts and ignores event types it does not record", async () => {
    for (const type of ["contact.created", "domain.updated", "email.scheduled", "email.unknown"]) {
      const res = await postWebhook(server.url, {
        body: { type, created_at: new Date().toISOString(), data: { id: "x" } },
        secret: SECRET,
      });
      expect(res.status, type).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ received: true, recorded: false, ignored: type });
      expect(await eventsFor(res.svixId)).toEqual([]);
    }
  });

  it("answers 503 and says why when RESEND_WEBHOOK_SECRET is not set", async () => {
    const msg = await sentEmail();
    const res = await postWebhook(unconfigured.url, { body: delivered(msg), secret: SECRET });
    expect(res.status).toBe(503);
    expect(res.text).toBe("Resend webhooks are not configured here.");
    expect(logged.at(-1)).toContain("RESEND_WEBHOOK_SECRET is not set");
    expect(await eventsFor(res.svixId)).toEqual([]);
  });

  it("refuses a body over 256 KB with 413", async () => {
    const res = await postWebhook(server.url, {
      body: JSON.stringify({ type: "email.sent", padding: "x".repeat(300_000) }),
      secret: SECRET,
    });
    expect(res.status).toBe(413);
  });

  it("rate-limits failed verifications per IP in PostgreSQL: 429 with Retry-After", async () => {
    const msg = await sentEmail();
    const ip = "192.0.2.7";
    const wrong = newWebhookSecret();
    const { limit } = RESEND_WEBHOOK_LIMITS.invalidPerIp;
    for (let i = 0; i < limit; i++) {
      const res = await postWebhook(server.url, { body: delivered(msg), secret: wrong, ip });
      expect(res.status).toBe(401);
    }
    const limited = await postWebhook(server.url, { body: delivered(msg), secret: wrong, ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Valid events from that address still go through: the general limit is separate.
    const valid = await postWebhook(server.url, { body: delivered(msg), secret: SECRET, ip });
    expect(valid.status).toBe(200);
  });

  it("rate-limits every request per IP: over the limit, 429 before verifying", async () => {
    const msg = await sentEmail();
    const ip = "192.0.2.8";
    await t.sql`insert into rate_limit_buckets (key, count, reset_at)
      values (${`resend-webhook:ip:${ip}`}, ${RESEND_WEBHOOK_LIMITS.perIp.limit},
              now() + interval '30 seconds')`;
    const res = await postWebhook(server.url, { body: delivered(msg), secret: SECRET, ip });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await eventsFor(res.svixId)).toEqual([]);
    const other = await postWebhook(server.url, { body: delivered(msg), secret: SECRET });
    expect(other.status).toBe(200);
  });
});
