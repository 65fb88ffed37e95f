import type { EmailEnv, RuntimeEnv } from "@xplorium/config";
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

/**
 * Where mail goes: EMAIL_TRANSPORT as the email slice of the configuration resolved it
 * (`outbox` chosen explicitly, or no RESEND_API_KEY outside production). Configs without
 * EMAIL_TRANSPORT (tests building one by hand) go by RESEND_API_KEY alone.
 */
export type EmailTransportConfig = Partial<Pick<EmailEnv, "EMAIL_TRANSPORT" | "RESEND_API_KEY">>;

/** The transport new `email_messages` rows are queued for. */
export function emailTransportName(config: EmailTransportConfig): EmailTransport["name"] {
  return config.EMAIL_TRANSPORT !== "outbox" && config.RESEND_API_KEY ? "RESEND" : "OUTBOX";
}

export function transportFor(config: EmailTransportConfig): EmailTransport {
  return emailTransportName(config) === "RESEND" && config.RESEND_API_KEY
    ? resendTransport(config.RESEND_API_KEY)
    : outboxTransport;
}

/**
 * What the apps and the worker log as a warning at start-up when production mail goes to the
 * outbox (EMAIL_TRANSPORT=outbox, chosen on purpose; @xplorium/config refuses production without
 * RESEND_API_KEY otherwise), or null.
 */
export function emailTransportStartupNotice(
  config: Pick<RuntimeEnv, "NODE_ENV"> & Pick<EmailEnv, "EMAIL_TRANSPORT">,
): string | null {
  if (config.NODE_ENV !== "production" || config.EMAIL_TRANSPORT !== "outbox") return null;
  return (
    "EMAIL_TRANSPORT=outbox in production: no email leaves this system, so no customer can " +
    "receive a sign-in or sign-up code, and sign-in codes are not kept to read either. Set " +
    "RESEND_API_KEY (and unset EMAIL_TRANSPORT) to send email."
  );
}
