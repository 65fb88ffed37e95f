import { type ReadTrackingTags, readTrackingTags } from "@xplorium/email";
import { z } from "zod";
import { AppError } from "../errors";

/**
 * The Resend webhook events recorded (resend.com/docs/dashboard/webhooks/body-parameters);
 * every other type (email.scheduled, email.received, contact.*, domain.* …) is accepted and
 * ignored.
 */
export const TRACKED_EVENT_TYPES = [
  "email.sent",
  "email.delivered",
  "email.delivery_delayed",
  "email.opened",
  "email.clicked",
  "email.bounced",
  "email.complained",
  "email.failed",
  "email.suppressed",
] as const;
export type TrackedEventType = (typeof TRACKED_EVENT_TYPES)[number];

const isTracked = (type: string): type is TrackedEventType =>
  (TRACKED_EVENT_TYPES as readonly string[]).includes(type);

const envelope = z.object({
  type: z.string({ message: "type is missing" }).min(1, { message: "type is empty" }),
  created_at: z.string().optional(),
  data: z.unknown().optional(),
});

const text = z.string().max(10_000);

// Only what is recorded is read; Resend adds fields freely, and unknown ones pass through.
const emailData = z.object(
  {
    email_id: z.string({ message: "data.email_id is missing or not a string" }).min(1).max(200),
    created_at: z.string().optional(),
    to: z.union([z.array(z.string().max(320)).max(50), z.string().max(320)]).optional(),
    tags: z.unknown().optional(),
    bounce: z
      .object({ type: text.optional(), subType: text.optional(), message: text.optional() })
      .optional(),
    click: z.object({ link: text.optional(), timestamp: z.string().optional() }).optional(),
    failed: z.object({ reason: text.optional() }).optional(),
    suppressed: z.object({ type: text.optional(), message: text.optional() }).optional(),
  },
  { message: "data must be an object" },
);

/** One Resend email event, read and checked; the recipient's device (IP, user agent) left out. */
export interface ResendEmailEvent {
  type: TrackedEventType;
  /** When Resend created the event (its `created_at`), else when it arrived. */
  occurredAt: Date;
  /** Resend's id of the email (`data.email_id`), stored as `provider_message_id`. */
  providerEmailId: string;
  tags: ReadTrackingTags;
  /** The raw tags as sent, kept in the stored payload. */
  rawTags: unknown;
  to: string[];
  bounce: { type: string | null; subType: string | null; message: string | null } | null;
  clickLink: string | null;
  failureReason: string | null;
}

export type ParsedResendWebhook =
  | { kind: "email"; event: ResendEmailEvent }
  | { kind: "ignored"; type: string };

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = ["data", ...i.path].join(".");
      return i.message.startsWith(path) ? i.message : `${path}: ${i.message}`;
    })
    .join("; ");
}

/**
 * The webhook body, parsed: a tracked email event, or another type to accept and ignore.
 * A body that is not JSON, has no `type`, or a tracked event without a usable `data` is a
 * BAD_REQUEST whose message says what is wrong.
 */
export function parseResendWebhook(
  rawBody: Buffer | string,
  now = new Date(),
): ParsedResendWebhook {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === "string" ? rawBody : rawBody.toString("utf8"));
  } catch {
    throw new AppError("BAD_REQUEST", "The webhook body is not valid JSON.");
  }
  const top = envelope.safeParse(json);
  if (!top.success) {
    throw new AppError(
      "BAD_REQUEST",
      `The webhook body is not a Resend event: ${top.error.issues.map((i) => i.message).join("; ")}.`,
    );
  }
  const { type } = top.data;
  if (!isTracked(type)) return { kind: "ignored", type };
  const data = emailData.safeParse(top.data.data);
  if (!data.success) {
    throw new AppError(
      "BAD_REQUEST",
      `The ${type} event's data is not usable: ${describe(data.error)}.`,
    );
  }
  const d = data.data;
  const created = top.data.created_at ? new Date(top.data.created_at) : null;
  return {
    kind: "email",
    event: {
      type,
      occurredAt: created && !Number.isNaN(created.getTime()) ? created : now,
      providerEmailId: d.email_id,
      tags: readTrackingTags(d.tags),
      rawTags: d.tags ?? null,
      to: typeof d.to === "string" ? [d.to] : (d.to ?? []),
      bounce: d.bounce
        ? {
            type: d.bounce.type ?? null,
            subType: d.bounce.subType ?? null,
            message: d.bounce.message ?? null,
          }
        : null,
      clickLink: d.click?.link ?? null,
      failureReason: d.failed?.reason ?? d.suppressed?.message ?? null,
    },
  };
}
