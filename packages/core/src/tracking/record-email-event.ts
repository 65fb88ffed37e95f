import { schema, type Tx } from "@xplorium/db";
import { and, eq, isNull } from "drizzle-orm";
import { noRequest, systemActor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type ConsentConfig, recordConsentChange } from "../consent/consent";
import { UUID_PATTERN } from "../consent/consent-token";
import { normalizeEmail } from "../customers/identity";
import type { DepsWith } from "../deps";
import { emailSuppressionHash } from "../privacy/suppression-hash";
import type { ResendEmailEvent, TrackedEventType } from "./resend-event";
import { opensAndClicksTracked } from "./tracking-settings";

const { emailMessages, emailEvents, suppressions, customers } = schema;

type EmailStatus = (typeof schema.emailStatus.enumValues)[number];

/**
 * How far along a message is. An event moves it forward only, so events arriving out of order
 * (Resend retries for a day) cannot undo a later state: a late `delivered` after a bounce or a
 * complaint changes nothing, a `sent` after `delivered` neither.
 */
const STATUS_RANK: Record<EmailStatus, number> = {
  QUEUED: 0,
  SENT: 1,
  FAILED: 2,
  DELIVERED: 2,
  BOUNCED: 3,
  COMPLAINED: 4,
};

/** The status an event moves its message to; delivery delays, opens and clicks move nothing. */
const STATUS_OF_EVENT: Partial<Record<TrackedEventType, EmailStatus>> = {
  "email.sent": "SENT",
  "email.delivered": "DELIVERED",
  "email.bounced": "BOUNCED",
  "email.complained": "COMPLAINED",
  "email.failed": "FAILED",
  "email.suppressed": "FAILED",
};

const ENGAGEMENT: ReadonlySet<TrackedEventType> = new Set(["email.opened", "email.clicked"]);

/** Resend's bounce types: "Permanent" is a hard bounce; "Transient" and "Undetermined" soft. */
export const isHardBounce = (bounceType: string | null | undefined) =>
  bounceType?.toLowerCase() === "permanent";

export type EmailEventOutcome =
  /** Stored, and applied to its message when one matched. */
  | "recorded"
  /** This svix-id was recorded before (a retry or replay): nothing done. */
  | "duplicate"
  /** An open or click while tracking is off: dropped, nothing stored. */
  | "not-tracked";

export interface RecordEmailEventResult {
  outcome: EmailEventOutcome;
  emailMessageId: string | null;
  /** The address was added to `suppressions` by this event. */
  suppressed: boolean;
  /** A complaint withdrew the customer's marketing email consent. */
  consentWithdrawn: boolean;
}

type MatchedMessage = {
  id: string;
  kind: "TRANSACTIONAL" | "MARKETING";
  status: EmailStatus;
  campaignId: string | null;
  customerId: string | null;
  toEmail: string | null;
};

/**
 * The message an event is about, locked for the event's transaction: by the `email_id` tag we
 * put on every send, else by Resend's own id (`provider_message_id`).
 */
async function matchMessage(tx: Tx, event: ResendEmailEvent): Promise<MatchedMessage | null> {
  const columns = {
    id: emailMessages.id,
    kind: emailMessages.kind,
    status: emailMessages.status,
    campaignId: emailMessages.campaignId,
    customerId: emailMessages.customerId,
    toEmail: emailMessages.toEmail,
  };
  const tagged = event.tags.emailId?.toLowerCase();
  if (tagged && UUID_PATTERN.test(tagged)) {
    const [row] = await tx
      .select(columns)
      .from(emailMessages)
      .where(eq(emailMessages.id, tagged))
      .for("update");
    if (row) return row;
  }
  const [row] = await tx
    .select(columns)
    .from(emailMessages)
    .where(eq(emailMessages.providerMessageId, event.providerEmailId))
    .for("update");
  return row ?? null;
}

/**
 * A clicked link as stored: only for marketing mail (a transactional email's links carry
 * sign-in and confirmation tokens, which must never sit in a table), with the personal
 * unsubscribe token cut off so the report can group the footer's link.
 */
function storedLink(event: ResendEmailEvent, message: MatchedMessage | null): string | null {
  if (event.type !== "email.clicked" || !event.clickLink || message?.kind !== "MARKETING") {
    return null;
  }
  return event.clickLink.replace(/\/unsubscribe\/[^/?#]+/, "/unsubscribe").slice(0, 2000);
}

/**
 * What is kept of the webhook body: the event, Resend's email id, our tags, the bounce and the
 * click's link. Not the recipient's address, subject, IP address or user agent: the message row
 * holds the address, and erasure blanks the payload of a customer's events.
 */
function storedPayload(
  event: ResendEmailEvent,
  message: MatchedMessage | null,
  link: string | null,
) {
  return {
    type: event.type,
    created_at: event.occurredAt.toISOString(),
    data: {
      email_id: event.providerEmailId,
      tags: event.rawTags,
      ...(event.bounce
        ? {
            bounce: {
              type: event.bounce.type,
              subType: event.bounce.subType,
              // SMTP diagnostics often quote the address; kept only where erasure can find it.
              ...(message ? { message: event.bounce.message } : {}),
            },
          }
        : {}),
      ...(link ? { click: { link } } : {}),
      ...(event.failureReason && message ? { reason: event.failureReason } : {}),
    },
  };
}

function errorFor(event: ResendEmailEvent): string | null {
  switch (event.type) {
    case "email.bounced":
      return `Bounced (${isHardBounce(event.bounce?.type) ? "hard" : "soft"}: ${[event.bounce?.type, event.bounce?.subType].filter(Boolean).join(" / ") || "no detail"})`;
    case "email.failed":
      return `Resend could not send it${event.failureReason ? `: ${event.failureReason}` : ""}`;
    case "email.suppressed":
      return "Not sent: the address is on Resend's suppression list";
    default:
      return null;
  }
}

/** The live customer a complaint is about: the message's, the tag's, or the address's owner. */
async function complainingCustomer(
  tx: Tx,
  message: MatchedMessage | null,
  event: ResendEmailEvent,
  addresses: string[],
): Promise<string | null> {
  const candidates = [message?.customerId, event.tags.customerId?.toLowerCase()].filter(
    (id): id is string => !!id && UUID_PATTERN.test(id),
  );
  for (const id of candidates) {
    const [row] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, id), isNull(customers.erasedAt)));
    if (row) return row.id;
  }
  for (const address of addresses) {
    const [row] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.email, normalizeEmail(address)), isNull(customers.erasedAt)));
    if (row) return row.id;
  }
  return null;
}

/**
 * Records one verified Resend event (DESIGN.md "Consent", "Marketing"), all in one transaction:
 * - stored once per `svix-id` (the unique index makes a retry or replay a no-op);
 * - matched to its `email_messages` row, whose status only ever moves forward;
 * - a hard bounce or a complaint suppresses the address for all mail (SHA-256 in
 *   `suppressions`; `queueEmail` and `deliverEmail` refuse it from then on); a soft bounce
 *   does not;
 * - a complaint also withdraws the customer's marketing email consent, as a consent event with
 *   source COMPLAINT;
 * - an open or a click while tracking is off (`marketing_settings`) is dropped unstored.
 */
export async function recordEmailEvent(
  { db, config }: DepsWith<"db" | "config", ConsentConfig>,
  { svixId, event }: { svixId: string; event: ResendEmailEvent },
): Promise<RecordEmailEventResult> {
  return db.transaction(async (tx) => {
    const nothing = { emailMessageId: null, suppressed: false, consentWithdrawn: false };
    if (ENGAGEMENT.has(event.type) && !(await opensAndClicksTracked(tx))) {
      return { outcome: "not-tracked", ...nothing };
    }
    const message = await matchMessage(tx, event);
    const hardBounce = event.type === "email.bounced" && isHardBounce(event.bounce?.type);
    const link = storedLink(event, message);
    const [stored] = await tx
      .insert(emailEvents)
      .values({
        emailMessageId: message?.id ?? null,
        campaignId: message?.campaignId ?? null,
        svixId,
        type: event.type,
        payload: storedPayload(event, message, link),
        occurredAt: event.occurredAt,
        bounceType: event.type === "email.bounced" ? (hardBounce ? "HARD" : "SOFT") : null,
        link,
      })
      .onConflictDoNothing({ target: emailEvents.svixId })
      .returning({ id: emailEvents.id });
    if (!stored) return { outcome: "duplicate", ...nothing };

    const next = STATUS_OF_EVENT[event.type];
    if (message && next && STATUS_RANK[next] > STATUS_RANK[message.status]) {
      const error = errorFor(event);
      await tx
        .update(emailMessages)
        .set({ status: next, ...(error ? { error } : {}) })
        .where(eq(emailMessages.id, message.id));
    }

    let suppressed = false;
    let consentWithdrawn = false;
    const complaint = event.type === "email.complained";
    if (hardBounce || complaint) {
      const addresses = message?.toEmail ? [message.toEmail] : event.to;
      const reason = complaint ? ("COMPLAINT" as const) : ("HARD_BOUNCE" as const);
      const hashes = [...new Set(addresses.map((a) => emailSuppressionHash(a)))];
      if (addresses.length > 0) {
        const added = await tx
          .insert(suppressions)
          .values(hashes.map((emailHash) => ({ emailHash, reason })))
          .onConflictDoNothing()
          .returning({ emailHash: suppressions.emailHash });
        suppressed = added.length > 0;
        if (suppressed) {
          await recordAudit(tx, systemActor, noRequest, {
            action: "email.address_suppressed",
            entityType: "email_message",
            ...(message ? { entityId: message.id } : {}),
            details: {
              reason,
              eventType: event.type,
              svixId,
              providerEmailId: event.providerEmailId,
            },
          });
        }
      }
      if (complaint) {
        const customerId = await complainingCustomer(tx, message, event, addresses);
        if (customerId) {
          const result = await recordConsentChange(tx, config, {
            customerId,
            channel: "EMAIL",
            granted: false,
            source: "COMPLAINT",
            confirmed: true,
          });
          consentWithdrawn = result.changed;
          if (result.changed) {
            await recordAudit(tx, systemActor, noRequest, {
              action: "customer.complained",
              entityType: "customer",
              entityId: customerId,
              details: {
                channel: "EMAIL",
                source: "COMPLAINT",
                consentEventId: result.eventId,
                emailMessageId: message?.id ?? null,
                before: result.before,
                after: result.after,
              },
            });
          }
        }
      }
    }
    return {
      outcome: "recorded",
      emailMessageId: message?.id ?? null,
      suppressed,
      consentWithdrawn,
    };
  });
}
