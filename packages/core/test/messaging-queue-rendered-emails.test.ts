import { createHash } from "node:crypto";
import { schema } from "@xplorium/db";
import { createTestDatabase, insertCustomer, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueRenderedEmails } from "../src/messaging/queue";

/** The set-based queueRenderedEmail: one INSERT and one bulk enqueue for many emails. */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const hash = (email: string) => createHash("sha256").update(email, "utf8").digest("hex");

describe("queueRenderedEmails", () => {
  it("stores every email in input order, enqueues one delivery each, and none to a suppressed address", async () => {
    const customers = await Promise.all([1, 2, 3].map(() => insertCustomer(t.db)));
    await t.db
      .insert(schema.suppressions)
      .values({ emailHash: hash(customers[1]!.email!), reason: "COMPLAINT" });
    const ids = await t.db.transaction((tx) =>
      queueRenderedEmails(
        tx,
        customers.map((c, i) => ({
          kind: "MARKETING" as const,
          template: "automation:test",
          rendered: { subject: `Hello ${i}`, html: `<p>${i}</p>`, text: `${i}` },
          // The suppression check normalises the address as the sync does.
          to: i === 1 ? ` ${c.email!.toUpperCase()} ` : c.email!,
          from: "Xplorium <hello@xplorium.example>",
          customerId: c.id,
          transport: "OUTBOX" as const,
        })),
      ),
    );
    expect(ids).toHaveLength(3);
    const rows = await t.sql`
      select id, subject, to_email, status, html, error from email_messages
      where id = any(${ids}::uuid[])`;
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    expect(ids.map((id) => byId.get(id)!.subject)).toEqual(["Hello 0", "Hello 1", "Hello 2"]);
    expect(byId.get(ids[0]!)).toMatchObject({ status: "QUEUED", to_email: customers[0]!.email });
    expect(byId.get(ids[1]!)).toMatchObject({
      status: "FAILED",
      to_email: null,
      html: null,
      error: "Not sent: the address is suppressed (complaint)",
    });
    const jobs = await t.sql`
      select p.payload->>'emailMessageId' as id, p.max_attempts from graphile_worker.jobs j
      join graphile_worker._private_jobs p on p.id = j.id
      where j.task_identifier = ${JOBS.sendEmail} order by id`;
    expect(jobs).toEqual([ids[0]!, ids[2]!].sort().map((id) => ({ id, max_attempts: 8 })));
  });

  it("does nothing for no emails", async () => {
    expect(await queueRenderedEmails(t.db, [])).toEqual([]);
  });
});
