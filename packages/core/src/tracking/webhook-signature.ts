import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Resend signs its webhooks the Svix way (Standard Webhooks): headers `svix-id`,
 * `svix-timestamp` (Unix seconds) and `svix-signature` (space-separated `v1,<base64>` entries,
 * several while a secret rotates); each signature is base64 HMAC-SHA256, keyed with the base64
 * part of the `whsec_…` secret, over `${id}.${timestamp}.${raw body}`. The body must be the
 * exact bytes received: parsed and re-serialised JSON would not match.
 */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export interface WebhookSignatureHeaders {
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
}

export type WebhookSignatureVerdict =
  | { ok: true; id: string; timestamp: Date }
  | {
      ok: false;
      reason: "missing-headers" | "bad-timestamp" | "too-old" | "too-new" | "bad-signature";
      message: string;
    };

/** The HMAC key: the base64 after `whsec_`. */
function signingKey(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret,
    "base64",
  );
}

function signature(secret: string, id: string, timestamp: string, body: Buffer): string {
  return createHmac("sha256", signingKey(secret))
    .update(`${id}.${timestamp}.`, "utf8")
    .update(body)
    .digest("base64");
}

/** The `svix-signature` header value for a body, as Resend would send it (tests, tools). */
export function signWebhook(
  secret: string,
  message: { id: string; timestamp: number; body: string | Buffer },
): string {
  const body = typeof message.body === "string" ? Buffer.from(message.body, "utf8") : message.body;
  return `v1,${signature(secret, message.id, String(message.timestamp), body)}`;
}

/** Equal-length comparison in constant time; a different length is simply not equal. */
function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks a webhook request: all three headers present, the timestamp within
 * WEBHOOK_TOLERANCE_SECONDS of `now` either way (a captured request cannot be replayed later;
 * within the window, the caller deduplicates on `svix-id`), and one `v1` signature matching
 * in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: WebhookSignatureHeaders,
  body: Buffer,
  now = new Date(),
): WebhookSignatureVerdict {
  const { id, timestamp, signature: header } = headers;
  if (!id || !timestamp || !header) {
    return {
      ok: false,
      reason: "missing-headers",
      message: "Missing webhook signature headers (svix-id, svix-timestamp, svix-signature).",
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return {
      ok: false,
      reason: "bad-timestamp",
      message: "The svix-timestamp header is not a Unix time in seconds.",
    };
  }
  const seconds = Number(timestamp);
  const skew = seconds - Math.floor(now.getTime() / 1000);
  if (skew < -WEBHOOK_TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: "too-old",
      message: "The webhook timestamp is more than 5 minutes old.",
    };
  }
  if (skew > WEBHOOK_TOLERANCE_SECONDS) {
    return {
      ok: false,
      reason: "too-new",
      message: "The webhook timestamp is more than 5 minutes in the future.",
    };
  }
  const expected = signature(secret, id, timestamp, body);
  const matches = header
    .split(" ")
    .map((entry) => entry.split(","))
    .filter(([version, value]) => version === "v1" && value)
    .some(([, value]) => sameBytes(value!, expected));
  if (!matches) {
    return { ok: false, reason: "bad-signature", message: "The webhook signature does not match." };
  }
  return { ok: true, id, timestamp: new Date(seconds * 1000) };
}
