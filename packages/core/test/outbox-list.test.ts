import { listOutbox } from "@xplorium/core/messaging";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./support";

const t = useTestDatabase(async () => {
  // Microsecond-apart rows, as a burst of sends produces: a millisecond cursor must not skip any.
  await t.sql`insert into email_messages (kind, template, to_email, from_email, subject, transport, created_at)
    select 'TRANSACTIONAL', 'consent-confirm', 'p' || g || '@example.org', 'x@example.org', 'S' || g, 'OUTBOX',
           '2026-11-24 10:00:00.123'::timestamptz + g * interval '1 microsecond'
    from generate_series(1, 7) g`;
  await t.sql`insert into email_messages (kind, template, to_email, from_email, subject, transport)
    values ('TRANSACTIONAL', 'consent-confirm', 'real@example.org', 'x@example.org', 'sent', 'RESEND')`;
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

describe("outbox.list and staff password-reset links", () => {
  it("shows a live reset link's body only to the staff member it was sent to, in development", async () => {
    const created = new Date("2026-12-07T10:00:00Z");
    const now = new Date(created.getTime() + 60_000);
    await t.sql`insert into email_messages (kind, template, to_email, from_email, subject, html, text, transport, status, created_at)
      values ('TRANSACTIONAL', 'staff-password-reset', 'owner@xplorium.example', 'x@example.org',
              'Reset your Xplorium password', '<a href="/reset-password/abc.def">Reset</a>',
              'Reset: /reset-password/abc.def', 'OUTBOX', 'SENT', ${created.toISOString()}::timestamptz)`;
    const config = {
      NODE_ENV: "development" as const,
      SESSION_SECRET: "outbox-list-test-secret-0123456789abcdefghij",
      PORTAL_URL: "http://localhost:3001",
    };
    const reset = async (viewerEmail?: string) => {
      const page = await listOutbox(
        t.db,
        { limit: 5, to: "owner@xplorium.example" },
        config,
        now,
        viewerEmail ? { viewerEmail } : {},
      );
      return page.items[0]!;
    };
    // Marketing or a manager reading the outbox could follow it and take the owner's account.
    for (const viewer of ["marketing@xplorium.example", "manager@xplorium.example", undefined]) {
      const row = await reset(viewer);
      expect(row.subject, viewer).toBe("Password reset link sent");
      expect(row.html, viewer).toBeNull();
      expect(row.text, viewer).toBeNull();
    }
    // The member it was addressed to (however their address is written) reads their own link.
    const own = await reset("Owner@Xplorium.example");
    expect(own.subject).toBe("Reset your Xplorium password");
    expect(own.text).toContain("/reset-password/abc.def");
  });
});
