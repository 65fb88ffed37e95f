import { type DbOrTx, schema } from "@xplorium/db";
import {
  AFTER_ERASURE_TEMPLATES,
  type EmailTransport,
  SECRET_TEMPLATES,
  trackingTags,
} from "@xplorium/email";
import { and, eq, isNull, sql } from "drizzle-orm";
import { ERASED_COPY, NO_BODY } from "./retention";
import { suppressedError, suppressionOf } from "./suppression";

const { emailMessages, customers } = schema;

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
   * (`listUnsubscribeHeaders` in @xplorium/core/consent, which holds the signing key). Required
   * for MARKETING mail, which is never sent without them (DESIGN.md "Consent").
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
  const afterErasure = AFTER_ERASURE_TEMPLATES.has(msg.template);
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
