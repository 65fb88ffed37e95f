import { randomUUID } from "node:crypto";
import { type DbOrTx, enqueueJob, enqueueJobs, schema } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import {
  type EmailTransport,
  type RenderedEmail,
  renderEmail,
  type TemplateName,
  type TemplateProps,
  templates,
} from "@xplorium/email";
import { suppressedError, suppressionOf, suppressionsOf } from "./suppression";

const { emailMessages } = schema;

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
    await enqueueJob(db, JOBS.sendEmail, { emailMessageId: row.id }, { maxAttempts: 8 });
  }
  return row.id;
}

/** Rows per INSERT in `queueRenderedEmails`, well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 1000;

/**
 * The set-based `queueRenderedEmail`, for mail that goes to many people at once (automations):
 * one multi-row INSERT of `email_messages` and one `graphile_worker.add_jobs` for their
 * deliveries, on the caller's transaction. Suppressed addresses are looked up together and
 * stored FAILED, unsent, exactly as `queueRenderedEmail` does. Returns the ids in input order.
 */
export async function queueRenderedEmails(
  db: DbOrTx,
  inputs: QueueRenderedEmailInput[],
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const suppressedAt = await suppressionsOf(
    db,
    inputs.map((m) => m.to),
  );
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
    JOBS.sendEmail,
    rows.filter((r) => r.status === "QUEUED").map((r) => ({ emailMessageId: r.id })),
    { maxAttempts: 8 },
  );
  return rows.map((r) => r.id);
}
