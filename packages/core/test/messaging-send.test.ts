import { createHash } from "node:crypto";
import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { type EmailTransport, type OutgoingEmail, outboxTransport } from "@xplorium/email";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverEmail } from "../src/messaging/deliver";
import { queueEmail } from "../src/messaging/queue";
import { dropUndeliveredErasureEmails } from "../src/messaging/retention";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const props = (code = "042913") => ({
  name: "Ana Petrović",
  code,
  magicLink: "http://portal.test/auth/link?token=abc.def",
  expiresInMinutes: 10,
});

let n = 0;
const queue = (transport: "RESEND" | "OUTBOX" = "OUTBOX", to = `r${++n}@example.com`) =>
  queueEmail(t.db, {
    template: "sign-in-code",
    props: props(),
    to,
    from: "Xplorium <hello@xplorium.example>",
    transport,
  });

async function message(id: string) {
  const [row] = await t.db
    .select()
    .from(schema.emailMessages)
    .where(eq(schema.emailMessages.id, id));
  return row!;
}

async function jobsFor(id: string) {
  return t.sql`
    select j.id from graphile_worker.jobs j join graphile_worker._private_jobs p on p.id = j.id
    where j.task_identifier = ${JOBS.sendEmail} and p.payload->>'emailMessageId' = ${id}`;
}

/** A transport that records what it was asked to send and answers as told. */
function recordingTransport(answer: Awaited<ReturnType<EmailTransport["send"]>>) {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    name: "RESEND",
    async send(email) {
      sent.push(email);
      return answer;
    },
  };
  return { transport, sent };
}

describe("queueEmail", () => {
  it("stores the rendered email and enqueues its delivery", async () => {
    const id = await queue("RESEND", "queued@example.com");
    expect(await message(id)).toMatchObject({
      status: "QUEUED",
      transport: "RESEND",
      kind: "TRANSACTIONAL",
      template: "sign-in-code",
      toEmail: "queued@example.com",
      subject: "Your Xplorium sign-in code",
      sentAt: null,
    });
    expect(await jobsFor(id)).toHaveLength(1);
  });

  it("stores and enqueues nothing when the caller's transaction rolls back", async () => {
    const before = await t.db.$count(schema.emailMessages);
    const [{ jobs: jobsBefore }] =
      (await t.sql`select count(*)::int as jobs from graphile_worker.jobs`) as unknown as [
        { jobs: number },
      ];
    let queuedId: string | undefined;
    await expect(
      t.db.transaction(async (tx) => {
        queuedId = await queueEmail(tx, {
          template: "sign-in-code",
          props: props(),
          to: "rollback@example.com",
          from: "Xplorium <hello@xplorium.example>",
          transport: "OUTBOX",
        });
        throw new Error("caller failed after queueing");
      }),
    ).rejects.toThrow("caller failed");
    expect(queuedId).toBeDefined();
    expect(await t.db.$count(schema.emailMessages)).toBe(before);
    const [{ jobs }] =
      (await t.sql`select count(*)::int as jobs from graphile_worker.jobs`) as unknown as [
        { jobs: number },
      ];
    expect(jobs).toBe(jobsBefore);
  });
});

describe("deliverEmail", () => {
  it("outbox transport: marks the row sent; a second run is a no-op", async () => {
    const id = await queue("OUTBOX");
    expect(await deliverEmail(t.db, id, outboxTransport)).toBe("sent");
    const row = await message(id);
    expect(row.status).toBe("SENT");
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.providerMessageId).toBeNull();
    expect(await deliverEmail(t.db, id, outboxTransport)).toBe("already-sent");
  });

  it("hands the stored email to the transport and keeps the provider id", async () => {
    const id = await queue("RESEND", "provider@example.com");
    const { transport, sent } = recordingTransport({ ok: true, providerMessageId: "prov-123" });
    expect(await deliverEmail(t.db, id, transport)).toBe("sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      id,
      to: "provider@example.com",
      subject: "Your Xplorium sign-in code",
    });
    expect(sent[0]!.html).toContain("042913");
    // A sign-in code's body is not kept once it is delivered.
    expect(await message(id)).toMatchObject({
      status: "SENT",
      providerMessageId: "prov-123",
      html: null,
      text: null,
    });
    // Never sent twice.
    expect(await deliverEmail(t.db, id, transport)).toBe("already-sent");
    expect(sent).toHaveLength(1);
  });

  it("reports a missing message", async () => {
    expect(await deliverEmail(t.db, "00000000-0000-4000-8000-000000000000", outboxTransport)).toBe(
      "missing",
    );
  });

  it("fails, without sending, when the recipient was erased before delivery", async () => {
    const id = await queue("RESEND");
    await t.db
      .update(schema.emailMessages)
      .set({ toEmail: null, html: null, text: null })
      .where(eq(schema.emailMessages.id, id));
    const { transport, sent } = recordingTransport({ ok: true, providerMessageId: "x" });
    expect(await deliverEmail(t.db, id, transport)).toBe("failed");
    expect(sent).toHaveLength(0);
    expect(await message(id)).toMatchObject({
      status: "FAILED",
      error: "Recipient erased before delivery",
    });
  });

  it("a permanent failure marks the row FAILED; a retryable one throws and leaves it QUEUED", async () => {
    const permanent = await queue("RESEND");
    const rejecting = recordingTransport({
      ok: false,
      error: "validation_error: bad address",
      retryable: false,
    });
    expect(await deliverEmail(t.db, permanent, rejecting.transport)).toBe("failed");
    expect(await message(permanent)).toMatchObject({
      status: "FAILED",
      error: "validation_error: bad address",
    });

    const transient = await queue("RESEND");
    const flaky = recordingTransport({
      ok: false,
      error: "internal_server_error",
      retryable: true,
    });
    await expect(deliverEmail(t.db, transient, flaky.transport)).rejects.toThrow(/not delivered/);
    expect(await message(transient)).toMatchObject({ status: "QUEUED", error: null });
  });
});

const suppress = (address: string, reason: "HARD_BOUNCE" | "COMPLAINT" | "ERASURE" | "MANUAL") =>
  t.db.insert(schema.suppressions).values({
    emailHash: createHash("sha256").update(address.trim().toLowerCase(), "utf8").digest("hex"),
    reason,
  });

describe("suppressed addresses are never mailed", () => {
  it("queueEmail stores a FAILED row without the address or body, and enqueues nothing", async () => {
    await suppress("bounced@example.com", "HARD_BOUNCE");
    const id = await queue("RESEND", " Bounced@Example.com ");
    expect(await message(id)).toMatchObject({
      status: "FAILED",
      toEmail: null,
      html: null,
      text: null,
      error: "Not sent: the address is suppressed (hard bounce)",
      subject: "Your Xplorium sign-in code",
    });
    expect(await jobsFor(id)).toHaveLength(0);
  });

  it("deliverEmail refuses an address suppressed after it was queued", async () => {
    const id = await queue("RESEND", "complains-later@example.com");
    await suppress("complains-later@example.com", "COMPLAINT");
    const { transport, sent } = recordingTransport({ ok: true, providerMessageId: "x" });
    expect(await deliverEmail(t.db, id, transport)).toBe("suppressed");
    expect(sent).toHaveLength(0);
    expect(await message(id)).toMatchObject({
      status: "FAILED",
      error: "Not sent: the address is suppressed (complaint)",
    });
  });
});

describe("the erasure confirmation", () => {
  const queueErased = (to: string, transport: "RESEND" | "OUTBOX" = "RESEND") =>
    queueEmail(t.db, {
      template: "account-erased",
      props: { erasedOn: "24 November 2026", requestedBy: "CUSTOMER" },
      to,
      from: "Xplorium <hello@xplorium.example>",
      transport,
    });

  it("goes out although its address was then suppressed for ERASURE, and keeps no copy of it", async () => {
    const id = await queueErased("leaving@example.com");
    await suppress("leaving@example.com", "ERASURE");
    const { transport, sent } = recordingTransport({ ok: true, providerMessageId: "gone-1" });
    expect(await deliverEmail(t.db, id, transport)).toBe("sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe("leaving@example.com");
    expect(await message(id)).toMatchObject({
      status: "SENT",
      toEmail: null,
      html: null,
      text: null,
      providerMessageId: "gone-1",
    });
    // A retry of the job finds nothing to do.
    expect(await deliverEmail(t.db, id, transport)).toBe("already-sent");
  });

  it("is still stopped by a bounce or complaint, and drops the address then too", async () => {
    const id = await queueErased("bounced-leaver@example.com");
    await suppress("bounced-leaver@example.com", "HARD_BOUNCE");
    const { transport, sent } = recordingTransport({ ok: true, providerMessageId: "x" });
    expect(await deliverEmail(t.db, id, transport)).toBe("suppressed");
    expect(sent).toHaveLength(0);
    expect(await message(id)).toMatchObject({ status: "FAILED", toEmail: null, html: null });
  });

  it("drops the address on a permanent failure; after a day of retries, the purge drops it", async () => {
    const permanent = await queueErased("rejected-leaver@example.com");
    const rejecting = recordingTransport({
      ok: false,
      error: "validation_error",
      retryable: false,
    });
    expect(await deliverEmail(t.db, permanent, rejecting.transport)).toBe("failed");
    expect(await message(permanent)).toMatchObject({ status: "FAILED", toEmail: null });

    const stuck = await queueErased("stuck-leaver@example.com");
    const fresh = await queueErased("fresh-leaver@example.com");
    const other = await queue("RESEND", "not-a-leaver@example.com");
    await t.sql`update email_messages set created_at = now() - interval '25 hours'
                where id in (${stuck}, ${other})`;
    expect(await dropUndeliveredErasureEmails(t.db)).toBe(1);
    expect(await message(stuck)).toMatchObject({
      status: "FAILED",
      toEmail: null,
      html: null,
      text: null,
      error: "Not delivered in time; address dropped",
    });
    expect(await message(fresh)).toMatchObject({
      status: "QUEUED",
      toEmail: "fresh-leaver@example.com",
    });
    // Other templates are none of its business.
    expect(await message(other)).toMatchObject({
      status: "QUEUED",
      toEmail: "not-a-leaver@example.com",
    });
  });
});
