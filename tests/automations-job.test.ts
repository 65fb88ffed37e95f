import { requestAutomationRun, setAutomationEnabled } from "@xplorium/core/marketing";
import { schema } from "@xplorium/db";
import { insertStaffActor, type TestDatabase, testDeps, unique } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { CRONTAB } from "@xplorium/worker/tasks";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { readUnsubscribeToken } from "../packages/core/src/consent/unsubscribe";
import { postPoints } from "../packages/core/src/loyalty/ledger";
import type { FakeResend, ResendEmailBody } from "./support/fake-resend";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * The automations job as the worker runs it: "Run now" enqueues `marketing:run-automations`,
 * the worker's real task list claims and queues the emails, and its `email:send` delivers them
 * through the real `resend` SDK to a local fake of the Resend API, with the one-click
 * unsubscribe headers; an opt-out between queueing and delivery still stops the email.
 */

const API_KEY = "re_test_automations";
const w = useWorkerFixture({
  resend: { apiKey: API_KEY },
  env: { PORTAL_URL: "https://my.xplorium.example" },
});
let t: TestDatabase;
let fake: FakeResend;
beforeAll(() => ({ t, resend: fake } = w));
const runJobs = () => w.runJobs();

async function upgradedCustomer(name: string) {
  const [c] = await t.db
    .insert(schema.customers)
    .values({
      email: `job-${unique()}@example.org`,
      name,
      referralCode: `JB${unique().toUpperCase()}`,
      marketingOptIn: true,
    })
    .returning();
  await t.db.transaction((tx) =>
    postPoints(tx, {
      customerId: c!.id,
      delta: 3100,
      reason: "BOOKING_COMPLETED",
      idempotencyKey: `job:${unique()}`,
    }),
  );
  return c!;
}

describe("marketing:run-automations in the worker", () => {
  it("runs hourly", () => {
    expect(CRONTAB).toContain(`15 * * * * ${JOBS.runAutomations}`);
  });

  it("Run now sends the due emails once, with unsubscribe headers, and never after an opt-out", async () => {
    const marketing = await insertStaffActor(t.db, { role: "MARKETING" });
    await setAutomationEnabled(testDeps(t.db, marketing), { kind: "TIER_UPGRADE", enabled: true });
    const ana = await upgradedCustomer("Ana Jovanović");
    const bojan = await upgradedCustomer("Bojan Ilić");

    const manager = await insertStaffActor(t.db, { role: "MANAGER" });
    await requestAutomationRun(testDeps(t.db, manager), { kind: "TIER_UPGRADE" });
    // Queued for Bojan too; he opts out before the worker delivers it.
    await w.runJobs({ only: [JOBS.runAutomations] });
    await t.db
      .update(schema.customers)
      .set({ marketingOptIn: false })
      .where(eq(schema.customers.id, bojan.id));
    await runJobs();

    const delivered = fake.delivered().map((r) => r.body as ResendEmailBody);
    expect(delivered).toHaveLength(1);
    const [mail] = delivered;
    expect(mail!.to).toEqual([ana.email]);
    expect(mail!.subject).toBe("Congratulations, you are now Gold!");
    expect(mail!.html).toContain("Ana");
    const listUnsubscribe = mail!.headers?.["List-Unsubscribe"] ?? "";
    expect(mail!.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const token = /<https:\/\/my\.xplorium\.example\/unsubscribe\/([^>]+)>/.exec(listUnsubscribe);
    expect(readUnsubscribeToken(w.env, token![1]!)).toEqual({
      customerId: ana.id,
      channel: "EMAIL",
    });
    const log = await t.sql`
      select s.customer_id, m.status from automation_sends s
      join email_messages m on m.id = s.email_message_id order by m.status::text`;
    expect(log).toEqual([
      { customer_id: bojan.id, status: "FAILED" },
      { customer_id: ana.id, status: "SENT" },
    ]);

    // Running it again sends nothing new.
    await requestAutomationRun(testDeps(t.db, manager), { kind: "TIER_UPGRADE" });
    await runJobs();
    expect(fake.delivered()).toHaveLength(1);
  });
});
