import type { TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { SECRET_TEMPLATES } from "@xplorium/email";
import { CRONTAB, createTaskList, dropExpiredSecretBodiesTask } from "@xplorium/worker/tasks";
import { beforeAll, describe, expect, it } from "vitest";
import { graphileWorker } from "./support/graphile-worker";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * Issue 14: the development outbox keeps a secret email's body (sign-in code, magic link,
 * password-reset link) only until its code expires. The hourly auth purge left it up to an hour
 * longer; a task every minute drops it within a minute of the expiry.
 */

const w = useWorkerFixture();
let t: TestDatabase;
beforeAll(() => {
  t = w.t;
});

const noLogs = { logger: { info: () => {} } } as never;

/** An outbox email of `template`, created at `createdAt`, still holding its body. */
async function outboxEmail(template: string, createdAt: Date) {
  const [row] = await t.sql<{ id: string }[]>`
    insert into email_messages (to_email, from_email, subject, template, kind, status, transport, html, text, created_at)
    values ('someone@example.com', 'hello@xplorium.example', 'Your code', ${template}, 'TRANSACTIONAL', 'SENT', 'OUTBOX',
      '<p>123456</p>', '123456', ${createdAt.toISOString()}::timestamptz)
    returning id`;
  return row!.id;
}

async function bodyOf(id: string) {
  const [row] = await t.sql<{ html: string | null; text: string | null }[]>`
    select html, text from email_messages where id = ${id}`;
  return row;
}

describe("dropping expired secret bodies every minute", () => {
  it("is in the crontab every minute, and registered with the worker", () => {
    const items = graphileWorker.parseCrontab(CRONTAB);
    expect(items.map((i) => i.task)).toContain(JOBS.dropExpiredSecretBodies);
    expect(CRONTAB).toMatch(
      new RegExp(
        `^\\* \\* \\* \\* \\* ${JOBS.dropExpiredSecretBodies.replace(/[.:]/g, "\\$&")}`,
        "m",
      ),
    );
    expect(createTaskList(t.db, w.env)[JOBS.dropExpiredSecretBodies]).toBeTypeOf("function");
  });

  it("drops each secret template's body within a minute of its expiry, and not before", async () => {
    const created = new Date(Date.now() - 3 * 60 * 60 * 1000);
    for (const [template, { validForSeconds }] of SECRET_TEMPLATES) {
      const id = await outboxEmail(template, created);
      const expiry = created.getTime() + validForSeconds * 1000;
      // A second before the code expires: kept (the developer may still need it).
      await dropExpiredSecretBodiesTask(t.db, () => new Date(expiry - 1000))({}, noLogs);
      expect(await bodyOf(id), template).toEqual({ html: "<p>123456</p>", text: "123456" });
      // The run a minute later: gone.
      await dropExpiredSecretBodiesTask(t.db, () => new Date(expiry + 59_000))({}, noLogs);
      expect(await bodyOf(id), template).toEqual({ html: null, text: null });
    }
  });

  it("leaves other emails' bodies alone", async () => {
    const id = await outboxEmail("consent-confirm", new Date(Date.now() - 60 * 60 * 1000));
    await dropExpiredSecretBodiesTask(t.db)({}, noLogs);
    expect(await bodyOf(id)).toEqual({ html: "<p>123456</p>", text: "123456" });
  });
});
