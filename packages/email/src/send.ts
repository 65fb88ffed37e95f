import { type DbOrTx, enqueueJob, schema } from "@xplorium/db";
import { and, eq } from "drizzle-orm";
import { renderEmail } from "./render";
import { type TemplateName, type TemplateProps, templates } from "./templates";
import type { EmailTransport } from "./transport";

const { emailMessages } = schema;

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
  const [row] = await db
    .insert(emailMessages)
    .values({
      kind: templates[input.template].kind,
      template: input.template,
      customerId: input.customerId ?? null,
      toEmail: input.to,
      fromEmail: input.from,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      transport: input.transport,
    })
    .returning({ id: emailMessages.id });
  if (!row) throw new Error("email_messages insert returned nothing");
  await enqueueJob(db, SEND_EMAIL_TASK, { emailMessageId: row.id }, { maxAttempts: 8 });
  return row.id;
}

export type DeliverOutcome = "sent" | "already-sent" | "missing" | "failed";

/**
 * Delivers one queued email. Safe to run again: a sent row is left alone, and the Resend
 * idempotency key covers a crash between the API call and the update.
 */
export async function deliverEmail(
  db: DbOrTx,
  emailMessageId: string,
  transport: EmailTransport,
): Promise<DeliverOutcome> {
  const [msg] = await db
    .select()
    .from(emailMessages)
    .where(eq(emailMessages.id, emailMessageId))
    .limit(1);
  if (!msg) return "missing";
  if (msg.status !== "QUEUED") return "already-sent";
  if (!msg.toEmail || !msg.html || !msg.text) {
    await db
      .update(emailMessages)
      .set({ status: "FAILED", error: "Recipient erased before delivery" })
      .where(eq(emailMessages.id, msg.id));
    return "failed";
  }
  const result = await transport.send({
    id: msg.id,
    from: msg.fromEmail,
    to: msg.toEmail,
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
  });
  if (!result.ok) {
    if (result.retryable) throw new Error(`Email ${msg.id} not delivered: ${result.error}`);
    await db
      .update(emailMessages)
      .set({ status: "FAILED", error: result.error })
      .where(eq(emailMessages.id, msg.id));
    return "failed";
  }
  await db
    .update(emailMessages)
    .set({ status: "SENT", sentAt: new Date(), providerMessageId: result.providerMessageId })
    .where(and(eq(emailMessages.id, msg.id), eq(emailMessages.status, "QUEUED")));
  return "sent";
}
