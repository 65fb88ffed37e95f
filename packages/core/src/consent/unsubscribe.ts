import type { RateLimitRule } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { type Database, schema, type Tx } from "@xplorium/db";
import type { ConsentChannel } from "@xplorium/domain";
import { and, desc, eq, sql } from "drizzle-orm";
import type { RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { enforceRateLimits } from "../auth/rate-limits";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { type ConsentConfig, channelConsent, recordConsentChange } from "./consent";
import { purposeMac, purposeMacMatches, UUID_PATTERN } from "./consent-token";

const { customers, auditLog } = schema;

/**
 * Unsubscribe links (DESIGN.md "Consent"): `/unsubscribe/<customer id>.<channel>.<MAC>`, the MAC
 * being HMAC-SHA256(SESSION_SECRET) over purpose, customer and channel. One token per customer
 * and channel, stored nowhere and never expiring, because a marketing email from years ago must
 * still unsubscribe; rotating SESSION_SECRET revokes every link at once.
 */
const PURPOSE = "xplorium:unsubscribe:v1:";
const CHANNEL_SLUG = { EMAIL: "email", SMS: "sms" } as const satisfies Record<
  ConsentChannel,
  string
>;
const CHANNEL_OF_SLUG: Record<string, ConsentChannel> = { email: "EMAIL", sms: "SMS" };

export interface UnsubscribeTarget {
  customerId: string;
  channel: ConsentChannel;
}

/**
 * Per client IP, in PostgreSQL. Mailbox providers send RFC 8058 one-click POSTs from a few shared
 * addresses, so the general limit is generous; tokens that fail verification (guessing, junk)
 * have a tight limit of their own that valid links never use up. The portal's POST counts twice
 * (its action, then the page's loader), so `perIp` is about 150 one-click unsubscribes.
 */
export const UNSUBSCRIBE_LIMITS = {
  perIp: { limit: 300, windowSeconds: 10 * 60 },
  invalidPerIp: { limit: 20, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

export const UNSUBSCRIBE_INVALID_MESSAGE =
  "This unsubscribe link is not valid. Check that you opened the whole link from our email, or change your preferences in your Xplorium account.";

const message = (t: UnsubscribeTarget) => `${t.customerId}:${t.channel}`;

export function unsubscribeToken(
  config: Pick<Env, "SESSION_SECRET">,
  target: UnsubscribeTarget,
): string {
  const t = { ...target, customerId: target.customerId.toLowerCase() };
  return `${t.customerId}.${CHANNEL_SLUG[t.channel]}.${purposeMac(config.SESSION_SECRET, PURPOSE, message(t))}`;
}

/** The customer and channel a token was signed for, or null for anything forged or mangled. */
export function readUnsubscribeToken(
  config: Pick<Env, "SESSION_SECRET">,
  token: string,
): UnsubscribeTarget | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [rawId, slug, mac] = parts as [string, string, string];
  const customerId = rawId.toLowerCase();
  const channel = CHANNEL_OF_SLUG[slug];
  if (!UUID_PATTERN.test(customerId) || !channel) return null;
  const target = { customerId, channel };
  return purposeMacMatches(config.SESSION_SECRET, PURPOSE, message(target), mac) ? target : null;
}

export function unsubscribeUrl(
  config: Pick<Env, "SESSION_SECRET" | "PORTAL_URL">,
  target: UnsubscribeTarget,
): string {
  const base = config.PORTAL_URL.replace(/\/+$/, "");
  return `${base}/unsubscribe/${unsubscribeToken(config, target)}`;
}

/**
 * The headers every marketing email carries (RFC 2369 and RFC 8058): mailbox providers show
 * their own "Unsubscribe" button and POST `List-Unsubscribe=One-Click` to the URL.
 */
export function listUnsubscribeHeaders(
  config: Pick<Env, "SESSION_SECRET" | "PORTAL_URL">,
  target: { customerId: string; channel: "EMAIL" },
): Record<"List-Unsubscribe" | "List-Unsubscribe-Post", string> {
  return {
    "List-Unsubscribe": `<${unsubscribeUrl(config, target)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

/** "ana.petrovic@example.com" → "a***@example.com": enough to recognise, not to harvest. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

const ipKey = (meta: RequestMeta) => meta.ip ?? "unknown";

/** Counts the request; throws TOO_MANY_REQUESTS over the limit. */
async function countRequest(db: Database, meta: RequestMeta) {
  await enforceRateLimits(db, [
    { key: `unsubscribe:ip:${ipKey(meta)}`, rule: UNSUBSCRIBE_LIMITS.perIp },
  ]);
}

/** Verifies the token; a bad one also counts against the IP's tight limit. */
async function verify(
  db: Database,
  config: Pick<Env, "SESSION_SECRET">,
  token: string,
  meta: RequestMeta,
) {
  const target = readUnsubscribeToken(config, token);
  if (!target) {
    await enforceRateLimits(db, [
      { key: `unsubscribe-invalid:ip:${ipKey(meta)}`, rule: UNSUBSCRIBE_LIMITS.invalidPerIp },
    ]);
  }
  return target;
}

// Merges chain rarely, and never in a loop; the bound only guards against bad data.
const MAX_MERGE_HOPS = 5;

/**
 * The live customer a token's id stands for. A customer merged away (DESIGN.md "Duplicates")
 * no longer exists, but their old emails' links still work: they lead to the survivor, found
 * through the merge's audit row. Null for an erased customer, or one gone without a trace.
 */
async function liveCustomer(tx: Tx, customerId: string, lock: boolean) {
  let id = customerId;
  for (let hop = 0; hop <= MAX_MERGE_HOPS; hop++) {
    const query = tx
      .select({
        id: customers.id,
        email: customers.email,
        erasedAt: customers.erasedAt,
        marketingOptIn: customers.marketingOptIn,
        smsOptIn: customers.smsOptIn,
      })
      .from(customers)
      .where(eq(customers.id, id));
    const [row] = lock ? await query.for("update") : await query;
    if (row) return row.erasedAt ? null : row;
    const [merge] = await tx
      .select({ survivorId: auditLog.entityId })
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "customer.merged"), sql`${auditLog.details}->>'mergedId' = ${id}`),
      )
      .orderBy(desc(auditLog.id))
      .limit(1);
    if (!merge?.survivorId || !UUID_PATTERN.test(merge.survivorId)) return null;
    id = merge.survivorId;
  }
  return null;
}

export type UnsubscribePreview =
  | { status: "invalid"; message: string }
  | {
      status: "subscribed";
      channel: ConsentChannel;
      maskedEmail: string | null;
      /** Opted in and confirmed, as opposed to a grant still awaiting its double opt-in. */
      optedIn: boolean;
    }
  | { status: "already_unsubscribed"; channel: ConsentChannel; maskedEmail: string | null };

/**
 * What an unsubscribe link is about (the link page's GET): whose account, masked, which channel
 * and whether it is still subscribed. Changes nothing, so mail scanners that open links
 * unsubscribe nobody. An erased customer reads as already unsubscribed, with nothing shown.
 */
export async function previewUnsubscribe(
  deps: DepsWith<"db" | "meta" | "config", Pick<Env, "SESSION_SECRET">>,
  { token }: { token: string },
): Promise<UnsubscribePreview> {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  await countRequest(db, meta);
  const target = await verify(db, config, token, meta);
  if (!target) return { status: "invalid", message: UNSUBSCRIBE_INVALID_MESSAGE };
  const { channel } = target;
  return db.transaction(async (tx) => {
    const customer = await liveCustomer(tx, target.customerId, false);
    if (!customer) return { status: "already_unsubscribed", channel, maskedEmail: null };
    const state = await channelConsent(tx, customer, channel, now);
    const maskedEmail = maskEmail(customer.email);
    if (!state.optedIn && !state.awaitingSince) {
      return { status: "already_unsubscribed", channel, maskedEmail };
    }
    return { status: "subscribed", channel, maskedEmail, optedIn: state.optedIn };
  });
}

export interface UnsubscribeResult {
  status: "unsubscribed" | "already_unsubscribed";
  channel: ConsentChannel;
  maskedEmail: string | null;
}

/**
 * The link's POST, from the page's button or a mailbox provider's one-click: withdraws the
 * channel's consent at once (a WITHDRAWN event, source UNSUBSCRIBE_LINK, which also voids a
 * pending grant) and audits it as the customer's own act. Idempotent: a second click records
 * nothing and answers "already unsubscribed", as does the link of an erased customer. A forged
 * or mangled token is NOT_FOUND and changes nothing. Transactional mail is not affected.
 */
export async function unsubscribe(
  { db, config, meta }: DepsWith<"db" | "meta" | "config", ConsentConfig>,
  { token }: { token: string },
): Promise<UnsubscribeResult> {
  await countRequest(db, meta);
  const target = await verify(db, config, token, meta);
  if (!target) throw new AppError("NOT_FOUND", UNSUBSCRIBE_INVALID_MESSAGE);
  const { channel } = target;
  return db.transaction(async (tx) => {
    // Locked here (and again, harmlessly, by recordConsentChange): an erasure can't slip between.
    const customer = await liveCustomer(tx, target.customerId, true);
    if (!customer) return { status: "already_unsubscribed", channel, maskedEmail: null };
    const result = await recordConsentChange(tx, config, {
      customerId: customer.id,
      channel,
      granted: false,
      source: "UNSUBSCRIBE_LINK",
      confirmed: true,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    const maskedEmail = maskEmail(customer.email);
    if (!result.changed) return { status: "already_unsubscribed", channel, maskedEmail };
    await recordAudit(tx, { type: "customer", id: customer.id }, meta, {
      action: "customer.unsubscribed",
      entityType: "customer",
      entityId: customer.id,
      details: {
        channel,
        source: "UNSUBSCRIBE_LINK",
        consentEventId: result.eventId,
        ...(customer.id === target.customerId ? {} : { linkCustomerId: target.customerId }),
        before: result.before,
        after: result.after,
      },
    });
    return { status: "unsubscribed", channel, maskedEmail };
  });
}
