import { Resend } from "resend";
import type { EmailTag } from "./tracking-tags";

export interface OutgoingEmail {
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Resend tags; `deliverEmail` puts the tracking ids here (`trackingTags`). */
  tags?: EmailTag[];
}

export type DeliveryResult =
  | { ok: true; providerMessageId: string | null }
  | { ok: false; error: string; retryable: boolean };

export interface EmailTransport {
  name: "RESEND" | "OUTBOX";
  send(email: OutgoingEmail): Promise<DeliveryResult>;
}

/** The real Resend SDK; RESEND_BASE_URL (read by the SDK itself) points it at a fake in tests. */
export function resendTransport(apiKey: string): EmailTransport {
  const resend = new Resend(apiKey);
  return {
    name: "RESEND",
    async send(email) {
      const { data, error } = await resend.emails.send(
        {
          from: email.from,
          to: [email.to],
          subject: email.subject,
          html: email.html,
          text: email.text,
          ...(email.headers ? { headers: email.headers } : {}),
          ...(email.tags ? { tags: email.tags } : {}),
        },
        // The message id makes a retried job a no-op at Resend instead of a second email.
        { idempotencyKey: `email-${email.id}` },
      );
      if (error) {
        const status = (error as { statusCode?: number | null }).statusCode ?? 0;
        return {
          ok: false,
          error: `${error.name}: ${error.message}`,
          retryable: status === 0 || status === 429 || status >= 500,
        };
      }
      return { ok: true, providerMessageId: data?.id ?? null };
    },
  };
}

/** Development: the stored email_messages row is the delivery; the admin shows it. */
export const outboxTransport: EmailTransport = {
  name: "OUTBOX",
  async send() {
    return { ok: true, providerMessageId: null };
  },
};

export function transportFor(config: { RESEND_API_KEY?: string | undefined }): EmailTransport {
  return config.RESEND_API_KEY ? resendTransport(config.RESEND_API_KEY) : outboxTransport;
}
