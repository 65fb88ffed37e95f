import { type Database, schema } from "@xplorium/db";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";

const { emailMessages } = schema;

// Cursors carry a JavaScript Date (milliseconds); PostgreSQL keeps microseconds. Ordering and
// comparing on the millisecond-truncated time keeps pages exact.
const createdMs = sql`date_trunc('milliseconds', ${emailMessages.createdAt})`;

/** The development outbox, newest first, keyset-paginated on (created_at, id). */
export async function listOutbox(
  db: Database,
  input: {
    limit: number;
    cursor?: { createdAt: Date; id: string } | undefined;
    to?: string | undefined;
  },
) {
  const rows = await db
    .select({
      id: emailMessages.id,
      toEmail: emailMessages.toEmail,
      subject: emailMessages.subject,
      template: emailMessages.template,
      status: emailMessages.status,
      html: emailMessages.html,
      text: emailMessages.text,
      createdAt: emailMessages.createdAt,
    })
    .from(emailMessages)
    .where(
      and(
        eq(emailMessages.transport, "OUTBOX"),
        input.to ? eq(emailMessages.toEmail, input.to) : undefined,
        input.cursor
          ? or(
              sql`${createdMs} < ${input.cursor.createdAt.toISOString()}::timestamptz`,
              and(
                sql`${createdMs} = ${input.cursor.createdAt.toISOString()}::timestamptz`,
                lt(emailMessages.id, input.cursor.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(sql`${createdMs} desc`, desc(emailMessages.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor:
      rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
