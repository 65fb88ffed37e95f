import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertStaff, staffCookie, startTrpcServer, testEnv } from "./support";

/**
 * Issue 14: in development the outbox (Marketing → Outbox) shows live secret emails so a
 * developer can sign in. A staff password-reset link is different: Marketing or a manager
 * reading the owner's, having asked for it on "Forgot password?", would own the account. Only
 * the member it was sent to sees its body; everyone else sees "Password reset link sent".
 */

let t: TestDatabase;
let server: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTrpcServer(
    t.db,
    testEnv(t.url, { NODE_ENV: "development", EMAIL_TRANSPORT: "outbox" }),
    "admin",
  );
});
afterAll(async () => {
  await server?.close();
  await t?.drop();
});

async function listAs(cookie: string, to: string) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ limit: 5, to })));
  const res = await fetch(`${server.url}/api/trpc/outbox.list?input=${input}`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { data: { json: { items: unknown[] } } } };
  return body.result.data.json.items as {
    subject: string;
    html: string | null;
    text: string | null;
  }[];
}

describe("the outbox and staff password-reset links", () => {
  it("shows the body only to the addressee", async () => {
    const owner = await insertStaff(t.db, { role: "OWNER" });
    const marketing = await insertStaff(t.db, { role: "MARKETING" });
    const manager = await insertStaff(t.db, { role: "MANAGER" });
    await t.sql`insert into email_messages (kind, template, to_email, from_email, subject, html, text, transport, status)
      values ('TRANSACTIONAL', 'staff-password-reset', ${owner.email}, 'x@example.org',
              'Reset your Xplorium password', '<a href="/reset-password/abc.def">Reset</a>',
              'Reset: /reset-password/abc.def', 'OUTBOX', 'SENT')`;
    for (const reader of [marketing, manager]) {
      const [row] = await listAs((await staffCookie(t.db, reader.id)).cookie, owner.email);
      expect(row).toMatchObject({ subject: "Password reset link sent", html: null, text: null });
    }
    const [own] = await listAs((await staffCookie(t.db, owner.id)).cookie, owner.email);
    expect(own?.text).toContain("/reset-password/abc.def");
  });
});
