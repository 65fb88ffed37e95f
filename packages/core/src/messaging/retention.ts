import { type DbOrTx, schema } from "@xplorium/db";
import { AFTER_ERASURE_TEMPLATES, SECRET_TEMPLATES } from "@xplorium/email";
import { and, eq, inArray, lt, sql } from "drizzle-orm";

const { emailMessages } = schema;

/** What an erasure confirmation keeps once it is delivered or given up on: nothing personal. */
export const ERASED_COPY = { toEmail: null, html: null, text: null } as const;
/** What a secret email (TemplateDef.secret) keeps once delivered or given up on: no body. */
export const NO_BODY = { html: null, text: null } as const;

/** How long an erasure confirmation may keep trying before its address is dropped unsent. */
export const ERASURE_EMAIL_GRACE_HOURS = 24;

/**
 * Erasure confirmations still not delivered a day later (the provider kept failing and the
 * retries ran out) give up: FAILED, address and body dropped, so an erased person's address
 * never lingers in `email_messages`. Run hourly with the auth purge. Returns how many.
 */
export async function dropUndeliveredErasureEmails(db: DbOrTx, now = new Date()): Promise<number> {
  if (AFTER_ERASURE_TEMPLATES.size === 0) return 0;
  const cutoff = new Date(now.getTime() - ERASURE_EMAIL_GRACE_HOURS * 60 * 60 * 1000);
  const rows = await db
    .update(emailMessages)
    .set({ status: "FAILED", error: "Not delivered in time; address dropped", ...ERASED_COPY })
    .where(
      and(
        inArray(emailMessages.template, [...AFTER_ERASURE_TEMPLATES]),
        eq(emailMessages.status, "QUEUED"),
        lt(emailMessages.createdAt, cutoff),
      ),
    )
    .returning({ id: emailMessages.id });
  return rows.length;
}

/**
 * Secret emails (TemplateDef.secret: sign-in and sign-up codes, magic links) whose code has
 * expired keep no body: the development outbox's copies are dropped, and one still queued (the
 * provider kept failing) gives up, FAILED, since its code no longer works. Run hourly with the
 * auth purge over every row. Returns how many rows changed.
 *
 * `recentOutbox`: only outbox rows created within the longest code lifetime plus an hour (an
 * index range on (transport, created_at), not a scan of every email ever sent), for the task
 * that runs every minute so a body outlives its code by less than a minute; the hourly sweep
 * catches anything older (a worker that was down).
 */
export async function dropExpiredSecretBodies(
  db: DbOrTx,
  now = new Date(),
  opts: { recentOutbox?: boolean } = {},
): Promise<number> {
  if (SECRET_TEMPLATES.size === 0) return 0;
  const longest = Math.max(...[...SECRET_TEMPLATES.values()].map((s) => s.validForSeconds));
  const recent = opts.recentOutbox
    ? and(
        eq(emailMessages.transport, "OUTBOX"),
        sql`${emailMessages.createdAt} >= ${new Date(
          now.getTime() - (longest + 60 * 60) * 1000,
        ).toISOString()}::timestamptz`,
      )
    : undefined;
  const expired = sql.join(
    [...SECRET_TEMPLATES].map(
      ([name, { validForSeconds }]) =>
        sql`(${emailMessages.template} = ${name} and ${emailMessages.createdAt} < ${new Date(
          now.getTime() - validForSeconds * 1000,
        ).toISOString()}::timestamptz)`,
    ),
    sql` or `,
  );
  const rows = await db
    .update(emailMessages)
    .set({
      ...NO_BODY,
      status: sql`case when ${emailMessages.status} = 'QUEUED' then 'FAILED'::email_status else ${emailMessages.status} end`,
      error: sql`case when ${emailMessages.status} = 'QUEUED' then 'Not delivered before the code expired' else ${emailMessages.error} end`,
    })
    .where(
      and(
        recent,
        sql`(${expired})`,
        sql`(${emailMessages.html} is not null or ${emailMessages.text} is not null or ${emailMessages.status} = 'QUEUED')`,
      ),
    )
    .returning({ id: emailMessages.id });
  return rows.length;
}
