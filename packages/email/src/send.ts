import { randomUUID } from "node:crypto";
import { type DbOrTx, enqueueJob, enqueueJobs, schema } from "@xplorium/db";
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { type RenderedEmail, renderEmail } from "./render";
import {
  SECRET_TEMPLATES,
  type TemplateDef,
  type TemplateName,
  type TemplateProps,
  templates,
} from "./templates";
import { trackingTags } from "./tracking-tags";
import type { EmailTransport } from "./transport";

const { emailMessages, customers, suppressions } = schema;

type SuppressionReason = (typeof schema.suppressionReason.enumValues)[number];

/**
 * Why an address gets no mail at all (hard bounce, complaint, erasure, by hand), or null.
 * `suppressions` keeps only SHA-256 of the normalised address (trimmed, lower-cased), the hash
 * `emailSuppressionHash` in packages/core/src/privacy computes; the same expression as the sync.
 */
export async function suppressionOf(
  db: DbOrTx,
  address: string,
): Promise<SuppressionReason | null> {
  const [row] = await db
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(
      eq(
        suppressions.emailHash,
        sql`encode(sha256(convert_to(lower(btrim(${address}::text)), 'UTF8')), 'hex')`,
      ),
    )
    .limit(1);
  return row?.reason ?? null;
}

const suppressedError = (reason: SuppressionReason) =>
  `Not sent: the address is suppressed (${reason.toLowerCase().replace("_", " ")})`;

const templateDef = (name: string): TemplateDef<unknown> | undefined =>
  (templates as Record<string, TemplateDef<unknown>>)[name];

/** The templates that still go to an address suppressed by its own erasure (see deliverEmail). */
const AFTER_ERASURE_TEMPLATES = Object.entries(templates)
  .filter(([, def]) => (def as TemplateDef<unknown>).deliverAfterErasure)
  .map(([name]) => name);

export const SEND_EMAIL_TASK = "email:send";

export interface QueueEmailInput<N extends TemplateName> {
  template: N;
  props: TemplateProps<N>;
  to: string;
  from: string;
  customerId?: string | null;
  transport: EmailTransport["name"];
}

/**
 * Renders and stores the email, then enqueues its delivery, all on the caller's transaction:
 * if the caller rolls back, nothing is sent.
 */
export async function queueEmail<N extends TemplateName>(
  db: DbOrTx,
  input: QueueEmailInput<N>,
): Promise<string> {
  const rendered = await renderEmail(input.template, input.props);
  return queueRenderedEmail(db, {
    kind: templates[input.template].kind,
    template: input.template,
    rendered,
    to: input.to,
    from: input.from,
    customerId: input.customerId ?? null,
    transport: input.transport,
  });
}

export interface QueueRenderedEmailInput {
  kind: "TRANSACTIONAL" | "MARKETING";
  /** What it is, for the outbox and the logs: a template name or e.g. "automation:birthday". */
  template: string;
  rendered: RenderedEmail;
  to: string;
  from: string;
  customerId?: string | null;
  transport: EmailTransport["name"];
}

/**
 * Stores an already rendered email and enqueues its delivery on the caller's transaction (used
 * by `queueEmail`, and by marketing mail personalised with `personalize`). MARKETING mail is
 * checked against consent again when it is delivered, and carries the unsubscribe headers.
 *
 * A suppressed address (DESIGN.md "Consent": a hard bounce, a complaint or an erasure) is
 * never mailed: the row is stored FAILED with the reason, without the address or the body (an
 * erased person's address must not come back this way), and no delivery is enqueued.
 */
export async function queueRenderedEmail(
  db: DbOrTx,
  input: QueueRenderedEmailInput,
): Promise<string> {
  const { rendered } = input;
  const suppressed = await suppressionOf(db, input.to);
  const [row] = await db
    .insert(emailMessages)
    .values({
      kind: input.kind,
      template: input.template,
      customerId: input.customerId ?? null,
      fromEmail: input.from,
      subject: rendered.subject,
      transport: input.transport,
      ...(suppressed
        ? { toEmail: null, status: "FAILED" as const, error: suppressedError(suppressed) }
        : { toEmail: input.to, html: rendered.html, text: rendered.text }),
    })
    .returning({ id: emailMessages.id });
  if (!row) throw new Error("email_messages insert returned nothing");
  if (!suppressed) {
    await enqueueJob(db, SEND_EMAIL_TASK, { emailMessageId: row.id }, { maxAttempts: 8 });
  }
  return row.id;
}

/** Rows per INSERT in `queueRenderedEmails`, well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 1000;

/**
 * The set-based `queueRenderedEmail`, for mail that goes to many people at once (automations):
 * one multi-row INSERT of `email_messages` and one `graphile_worker.add_jobs` for their
 * deliveries, on the caller's transaction. Suppressed addresses are found in one query and
 * stored FAILED, unsent, exactly as `queueRenderedEmail` does. Returns the ids in input order.
 */
export async function queueRenderedEmails(
  db: DbOrTx,
  inputs: QueueRenderedEmailInput[],
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const suppressedRows = await db.execute<{ i: number; reason: SuppressionReason }>(sql`
    select a.i::int as i, s.reason
    from json_array_elements_text(${JSON.stringify(inputs.map((m) => m.to))}::json)
      with ordinality as a(address, i)
    join ${suppressions} s
      on s.email_hash = encode(sha256(convert_to(lower(btrim(a.address)), 'UTF8')), 'hex')`);
  const suppressedAt = new Map(suppressedRows.map((r) => [Number(r.i) - 1, r.reason]));
  const rows = inputs.map((input, i) => {
    const suppressed = suppressedAt.get(i);
    return {
      id: randomUUID(),
      kind: input.kind,
      template: input.template,
      customerId: input.customerId ?? null,
      fromEmail: input.from,
      subject: input.rendered.subject,
      transport: input.transport,
      ...(suppressed
        ? {
            toEmail: null,
            html: null,
            text: null,
            status: "FAILED" as const,
            error: suppressedError(suppressed),
          }
        : {
            toEmail: input.to,
            html: input.rendered.html,
            text: input.rendered.text,
            status: "QUEUED" as const,
            error: null,
          }),
    };
  });
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insert(emailMessages).values(rows.slice(i, i + INSERT_CHUNK));
  }
  await enqueueJobs(
    db,
    SEND_EMAIL_TASK,
    rows.filter((r) => r.status === "QUEUED").map((r) => ({ emailMessageId: r.id })),
    { maxAttempts: 8 },
  );
  return rows.map((r) => r.id);
}

export type DeliverOutcome =
  | "sent"
  | "already-sent"
  | "missing"
  | "failed"
  | "opted-out"
  | "suppressed";

export interface DeliverOptions {
  /**
   * The List-Unsubscribe and List-Unsubscribe-Post headers for a customer's marketing email
   * (`listUnsubscribeHeaders` in @xplorium/core, which holds the signing key). Required for
   * MARKETING mail, which is never sent without them (DESIGN.md "Consent").
   */
  marketingHeaders?: (customerId: string) => Record<string, string>;
  /**
   * NODE_ENV is development: a secret email (sign-in code, magic link) delivered to the outbox
   * keeps its body, so a developer can read it there until the code expires (the hourly
   * `dropExpiredSecretBodies` drops it then). In any other mode, and always after a delivery
   * through Resend, its body is dropped as it is marked delivered.
   */
  developmentOutbox?: boolean;
}

/** Why a MARKETING email is not sent after all; null when it may go. */
async function marketingBlock(db: DbOrTx, customerId: string | null): Promise<string | null> {
  if (!customerId) return "Not sent: marketing email without a customer to unsubscribe";
  const [customer] = await db
    .select({ optedIn: customers.marketingOptIn, erasedAt: customers.erasedAt })
    .from(customers)
    .where(eq(customers.id, customerId))
    .limit(1);
  if (!customer || customer.erasedAt) return "Not sent: the customer was erased";
  if (!customer.optedIn) return "Not sent: the customer has opted out of marketing email";
  return null;
}

/** What an erasure confirmation keeps once it is delivered or given up on: nothing personal. */
const ERASED_COPY = { toEmail: null, html: null, text: null } as const;
/** What a secret email (TemplateDef.secret) keeps once delivered or given up on: no body. */
const NO_BODY = { html: null, text: null } as const;

/**
 * Delivers one queued email. Safe to run again: a sent row is left alone, and the Resend
 * idempotency key covers a crash between the API call and the update.
 *
 * A MARKETING email is checked against the customer's consent at the moment of sending (they may
 * have unsubscribed since it was queued) and carries the one-click unsubscribe headers.
 * TRANSACTIONAL mail (sign-in codes, vouchers, consent confirmations) ignores marketing consent:
 * an opt-out stops marketing only.
 * The address is checked against `suppressions` at send time too, since it may have bounced,
 * complained or been erased after the email was queued: such a row turns FAILED unsent. The
 * one exception is the erasure confirmation (`deliverAfterErasure`): it was queued in the
 * erasure's transaction just before the address was suppressed for ERASURE, so that reason
 * does not stop it (a bounce or complaint still does), and its copy of the address and body is
 * dropped as soon as it is sent or fails for good: after that no row holds the address.
 */
export async function deliverEmail(
  db: DbOrTx,
  emailMessageId: string,
  transport: EmailTransport,
  options: DeliverOptions = {},
): Promise<DeliverOutcome> {
  const [msg] = await db
    .select()
    .from(emailMessages)
    .where(eq(emailMessages.id, emailMessageId))
    .limit(1);
  if (!msg) return "missing";
  if (msg.status !== "QUEUED") return "already-sent";
  const afterErasure = templateDef(msg.template)?.deliverAfterErasure === true;
  const secret = SECRET_TEMPLATES.has(msg.template);
  const scrub = afterErasure ? ERASED_COPY : secret ? NO_BODY : {};
  if (!msg.toEmail || !msg.html || !msg.text) {
    await db
      .update(emailMessages)
      .set({
        status: "FAILED",
        // A secret email's body is dropped by the hourly purge once its code has expired.
        error:
          secret && msg.toEmail
            ? "Not delivered before the code expired"
            : "Recipient erased before delivery",
        ...scrub,
      })
      .where(eq(emailMessages.id, msg.id));
    return "failed";
  }
  const suppressed = await suppressionOf(db, msg.toEmail);
  if (suppressed && !(afterErasure && suppressed === "ERASURE")) {
    await db
      .update(emailMessages)
      .set({ status: "FAILED", error: suppressedError(suppressed), ...scrub })
      .where(eq(emailMessages.id, msg.id));
    return "suppressed";
  }
  let headers: Record<string, string> | undefined;
  if (msg.kind === "MARKETING") {
    const blocked = await marketingBlock(db, msg.customerId);
    if (blocked) {
      await db
        .update(emailMessages)
        .set({ status: "FAILED", error: blocked })
        .where(and(eq(emailMessages.id, msg.id), eq(emailMessages.status, "QUEUED")));
      return "opted-out";
    }
    // A wiring bug, not the message's fault: throw, so the job retries once it is fixed.
    if (!options.marketingHeaders || !msg.customerId) {
      throw new Error(
        `Marketing email ${msg.id} needs List-Unsubscribe headers (marketingHeaders)`,
      );
    }
    headers = options.marketingHeaders(msg.customerId);
  }
  const result = await transport.send({
    id: msg.id,
    from: msg.fromEmail,
    to: msg.toEmail,
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    ...(headers ? { headers } : {}),
    // Resend's webhooks carry these back, so events find this row (the tracking webhook).
    tags: trackingTags({
      emailId: msg.id,
      customerId: msg.customerId,
      campaignId: msg.campaignId,
    }),
  });
  if (!result.ok) {
    if (result.retryable) throw new Error(`Email ${msg.id} not delivered: ${result.error}`);
    await db
      .update(emailMessages)
      .set({ status: "FAILED", error: result.error, ...scrub })
      .where(eq(emailMessages.id, msg.id));
    return "failed";
  }
  // A secret email's body is gone as it is marked delivered; only the development outbox keeps
  // it until the code expires.
  const kept = secret && transport.name === "OUTBOX" && options.developmentOutbox ? {} : scrub;
  // Resend's webhook (email.sent, email.delivered …, matched by the email_id tag) may have moved
  // the row on already: its status stays, but the send time and provider id are still written.
  await db
    .update(emailMessages)
    .set({
      status: sql`case when ${emailMessages.status} = 'QUEUED' then 'SENT'::email_status else ${emailMessages.status} end`,
      sentAt: new Date(),
      providerMessageId: result.providerMessageId,
      ...kept,
    })
    .where(and(eq(emailMessages.id, msg.id), isNull(emailMessages.sentAt)));
  return "sent";
}

/** How long an erasure confirmation may keep trying before its address is dropped unsent. */
export const ERASURE_EMAIL_GRACE_HOURS = 24;

/**
 * Erasure confirmations still not delivered a day later (the provider kept failing and the
 * retries ran out) give up: FAILED, address and body dropped, so an erased person's address
 * never lingers in `email_messages`. Run hourly with the auth purge. Returns how many.
 */
export async function dropUndeliveredErasureEmails(db: DbOrTx, now = new Date()): Promise<number> {
  if (AFTER_ERASURE_TEMPLATES.length === 0) return 0;
  const cutoff = new Date(now.getTime() - ERASURE_EMAIL_GRACE_HOURS * 60 * 60 * 1000);
  const rows = await db
    .update(emailMessages)
    .set({ status: "FAILED", error: "Not delivered in time; address dropped", ...ERASED_COPY })
    .where(
      and(
        inArray(emailMessages.template, AFTER_ERASURE_TEMPLATES),
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
