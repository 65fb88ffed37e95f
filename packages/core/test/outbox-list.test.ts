import { listOutbox } from "@xplorium/core";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  // Microsecond-apart rows, as a burst of sends produces: a millisecond cursor must not skip any.
  await t.sql`insert into email_messages (kind, template, to_email, from_email, subject, transport, created_at)
    select 'TRANSACTIONAL', 'consent-confirm', 'p' || g || '@example.org', 'x@example.org', 'S' || g, 'OUTBOX',
           '2026-11-24 10:00:00.123'::timestamptz + g * interval '1 microsecond'
    from generate_series(1, 7) g`;
  await t.sql`insert into email_messages (kind, template, to_email, from_email, subject, transport)
    values ('TRANSACTIONAL', 'consent-confirm', 'real@example.org', 'x@example.org', 'sent', 'RESEND')`;
});
afterAll(async () => {
  await t.drop();
});

describe("outbox.list", () => {
  it("pages through same-millisecond emails without skipping or repeating, outbox only", async () => {
    const seen: string[] = [];
    let cursor: { createdAt: Date; id: string } | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listOutbox(t.db, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((m) => m.subject));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.sort()).toEqual(["S1", "S2", "S3", "S4", "S5", "S6", "S7"]);
  });
});
