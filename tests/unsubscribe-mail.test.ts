import { createCaller, createContext } from "@xplorium/api";
import type { Env } from "@xplorium/config";
import { unsubscribe } from "@xplorium/core/consent";
import { enqueueJob, schema } from "@xplorium/db";
import { insertCustomer, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordConsentChange } from "../packages/core/src/consent/consent";
import { readUnsubscribeToken, unsubscribeToken } from "../packages/core/src/consent/unsubscribe";
import type { FakeResend, ResendEmailBody } from "./support/fake-resend";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * Marketing mail and the unsubscribe link through the real send path: email_messages row +
 * graphile-worker job → the worker's own `email:send` task → the real `resend` SDK → a local fake
 * of the Resend API. Marketing carries the RFC 8058 headers and stops at the opt-out;
 * transactional mail (the sign-in code) still reaches an unsubscribed customer.
 */

const API_KEY = "re_test_unsubscribe";
const w = useWorkerFixture({
  resend: { apiKey: API_KEY },
  env: { PORTAL_URL: "https://my.xplorium.example" },
});
let t: TestDatabase;
let fake: FakeResend;
let env: Env;
beforeAll(() => ({ t, env, resend: fake } = w));
beforeEach(() => fake.reset());

/** Runs every due `email:send` job once with the worker's real task. */
const runJobs = () => w.runJobs({ only: [JOBS.sendEmail] });

/** A marketing email as the campaign sender would store it: a MARKETING row and its job. */
async function queueMarketing(customer: { id: string; email: string | null }) {
  return t.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(schema.emailMessages)
      .values({
        kind: "MARKETING",
        template: "campaign",
        customerId: customer.id,
        toEmail: customer.email,
        fromEmail: env.EMAIL_FROM,
        subject: "Summer party weekend",
        html: "<p>Parties all weekend</p>",
        text: "Parties all weekend",
        transport: "RESEND",
      })
      .returning({ id: schema.emailMessages.id });
    await enqueueJob(tx, JOBS.sendEmail, { emailMessageId: row!.id });
    return row!.id;
  });
}

const sentTo = (address: string) =>
  fake
    .delivered()
    .map((r) => r.body as ResendEmailBody)
    .filter((b) => (Array.isArray(b.to) ? b.to : [b.to]).includes(address));

async function message(id: string) {
  const [row] = await t.db
    .select()
    .from(schema.emailMessages)
    .where(eq(schema.emailMessages.id, id));
  return row!;
}

describe("marketing mail and the unsubscribe link", () => {
  it("marketing carries List-Unsubscribe; after unsubscribing it stops, and the sign-in code still arrives", async () => {
    const customer = await insertCustomer(t.db);
    const email = customer.email!;
    await t.db.transaction((tx) =>
      recordConsentChange(tx, env, {
        customerId: customer.id,
        channel: "EMAIL",
        granted: true,
        source: "PORTAL",
        confirmed: true,
      }),
    );

    // 1. A marketing email goes out with the one-click headers for this customer.
    const first = await queueMarketing(customer);
    await runJobs();
    const [marketing] = sentTo(email);
    expect(marketing).toBeDefined();
    const token = unsubscribeToken(env, { customerId: customer.id, channel: "EMAIL" });
    expect(marketing!.headers).toEqual({
      "List-Unsubscribe": `<https://my.xplorium.example/unsubscribe/${token}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect((await message(first)).status).toBe("SENT");

    // 2. The customer unsubscribes with the link from those headers.
    const link = /^<(.+)>$/.exec(marketing!.headers!["List-Unsubscribe"]!)![1]!;
    const fromHeader = new URL(link).pathname.split("/")[2]!;
    expect(readUnsubscribeToken(env, fromHeader)).toEqual({
      customerId: customer.id,
      channel: "EMAIL",
    });
    const meta = { ip: "10.9.0.1", userAgent: "Gmail one-click", requestId: "unsub" };
    expect((await unsubscribe({ db: t.db, meta, config: env }, { token: fromHeader })).status).toBe(
      "unsubscribed",
    );

    // 3. Marketing queued afterwards (or before, still waiting) is not sent.
    fake.reset();
    const second = await queueMarketing(customer);
    await runJobs();
    expect(sentTo(email)).toHaveLength(0);
    expect(await message(second)).toMatchObject({
      status: "FAILED",
      error: "Not sent: the customer has opted out of marketing email",
    });

    // 4. A sign-in code is transactional: it reaches the unsubscribed customer, without the
    //    marketing headers.
    const ctx = await createContext({
      db: t.db,
      env,
      app: "portal",
      request: new Request(new URL("/api/trpc", env.PORTAL_URL), {
        headers: { "user-agent": "vitest" },
      }),
      resHeaders: new Headers(),
      ip: "10.9.0.2",
      requestId: "code",
    });
    await createCaller(ctx).auth.customer.requestCode({ email });
    await runJobs();
    const codes = sentTo(email);
    expect(codes).toHaveLength(1);
    expect(codes[0]!.subject).toBe("Your Xplorium sign-in code");
    expect(codes[0]!.text).toMatch(/\b\d{6}\b/);
    expect(codes[0]!.headers?.["List-Unsubscribe"]).toBeUndefined();
    const [stored] = await t.db
      .select()
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.template, "sign-in-code"));
    expect(stored).toMatchObject({ kind: "TRANSACTIONAL", status: "SENT", toEmail: email });
  });

  it("marketing to an erased customer or one who never opted in is not sent", async () => {
    const never = await insertCustomer(t.db);
    const erased = await insertCustomer(t.db);
    const neverId = await queueMarketing(never);
    const erasedId = await queueMarketing(erased);
    await t.sql`update customers set marketing_opt_in = true, erased_at = now() where id = ${erased.id}`;
    await runJobs();
    expect(fake.delivered()).toHaveLength(0);
    expect(await message(neverId)).toMatchObject({
      status: "FAILED",
      error: "Not sent: the customer has opted out of marketing email",
    });
    expect(await message(erasedId)).toMatchObject({
      status: "FAILED",
      error: "Not sent: the customer was erased",
    });
  });
});
