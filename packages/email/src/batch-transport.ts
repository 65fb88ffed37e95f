import { Resend } from "resend";
import { type EmailTransportConfig, emailTransportName } from "./transport";

/** Resend takes at most this many emails in one `POST /emails/batch`. */
export const MAX_BATCH_SIZE = 100;

export interface BatchEmail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
}

export type BatchResult =
  /** One provider id per email, in the order sent (null: the outbox, which has none). */
  | { ok: true; ids: (string | null)[] }
  | {
      ok: false;
      /** HTTP status, or null when the request never got an answer (network, timeout). */
      status: number | null;
      /** Resend's error name (`rate_limit_exceeded`, `invalid_idempotent_request`…). */
      code: string;
      message: string;
      /** The answer's Retry-After, in milliseconds, when it had one. */
      retryAfterMs: number | null;
    };

export interface BatchTransport {
  name: "RESEND" | "OUTBOX";
  /**
   * Hands up to 100 emails to the provider in one request. The idempotency key makes a repeat
   * of the same request within 24 hours a no-op at Resend (it answers with the first answer).
   */
  sendBatch(emails: BatchEmail[], opts: { idempotencyKey: string }): Promise<BatchResult>;
}

/**
 * Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); Resend sends seconds. Null when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The real Resend SDK's `batch.send` (RESEND_BASE_URL, read by the SDK, points it at a fake in
 * tests). The SDK returns the answer's headers with both data and error, which is how
 * Retry-After reaches the caller.
 */
export function resendBatchTransport(apiKey: string): BatchTransport {
  const resend = new Resend(apiKey);
  return {
    name: "RESEND",
    async sendBatch(emails, { idempotencyKey }) {
      if (emails.length === 0) return { ok: true, ids: [] };
      if (emails.length > MAX_BATCH_SIZE) {
        throw new Error(`A batch holds at most ${MAX_BATCH_SIZE} emails, not ${emails.length}`);
      }
      const response = await resend.batch.send(
        emails.map((e) => ({
          from: e.from,
          to: [e.to],
          subject: e.subject,
          html: e.html,
          text: e.text,
          headers: e.headers,
          tags: e.tags,
        })),
        { idempotencyKey },
      );
      if (response.error) {
        return {
          ok: false,
          status: response.error.statusCode ?? null,
          code: response.error.name,
          message: response.error.message,
          retryAfterMs: parseRetryAfter(response.headers?.["retry-after"]),
        };
      }
      const ids = response.data.data.map((d) => d.id);
      if (ids.length !== emails.length) {
        // Strict validation answers all or nothing; anything else is not an answer we can map.
        return {
          ok: false,
          status: null,
          code: "unexpected_response",
          message: `Resend answered ${ids.length} ids for ${emails.length} emails`,
          retryAfterMs: null,
        };
      }
      return { ok: true, ids };
    },
  };
}

/** Development: the email_messages rows are the delivery (Marketing → Outbox shows them). */
export const outboxBatchTransport: BatchTransport = {
  name: "OUTBOX",
  async sendBatch(emails) {
    return { ok: true, ids: emails.map(() => null) };
  },
};

export function batchTransportFor(config: EmailTransportConfig): BatchTransport {
  return emailTransportName(config) === "RESEND" && config.RESEND_API_KEY
    ? resendBatchTransport(config.RESEND_API_KEY)
    : outboxBatchTransport;
}
