import { type DbOrTx, enqueueJob, schema } from "@xplorium/db";
import { and, eq } from "drizzle-orm";
import { renderEmail } from "./render";
import { type TemplateName, type TemplateProps, templates } from "./templates";
import type { EmailTransport } from "./transport";

const { emailMessages, customers } = schema;

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

export type DeliverOutcome = "sent" | "already-sent" | "missing" | "failed" | "opted-out";

export interface DeliverOptions {
  /**
   * The List-Unsubscribe and List-Unsubscribe-Post headers for a customer's marketing email
   * (`listUnsubscribeHeaders` in @xplorium/core, which holds the signing key). Required for
   * MARKETING mail, which is never sent without them (DESIGN.md "Consent").
   */
  marketingHeaders?: (customerId: string) => Record<string, string>;
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

/**
 * Delivers one queued email. Safe to run again: a sent row is left alone, and the Resend
 * idempotency key covers a crash between the API call and the update.
 *
 * A MARKETING email is checked against the customer's consent at the moment of sending (they may
 * have unsubscribed since it was queued) and carries the one-click unsubscribe headers.
 * TRANSACTIONAL mail (sign-in codes, vouchers, consent confirmations) ignores marketing consent:
 * an opt-out stops marketing only.
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
  if (!msg.toEmail || !msg.html || !msg.text) {
    await db
      .update(emailMessages)
      .set({ status: "FAILED", error: "Recipient erased before delivery" })
      .where(eq(emailMessages.id, msg.id));
    return "failed";
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
