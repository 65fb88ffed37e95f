import type { Env } from "@xplorium/config";
import { schema, type Tx } from "@xplorium/db";
import type { ConsentChannel } from "@xplorium/domain";
import { emailTransportName } from "@xplorium/email";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError, notFound } from "../errors";
import { queueEmail } from "../messaging/queue";
import { readConsentToken, signConsentToken } from "./consent-token";

const { customers, consentEvents, staffUsers } = schema;

export type ConsentSource = (typeof schema.consentSource.enumValues)[number];

export interface ConsentWording {
  version: string;
  text: string;
}

/**
 * What the customer is agreeing to, per channel. Every consent event stores the version and
 * the text shown, so a new wording gets a new version and old events keep what was said then.
 */
export const CONSENT_WORDING = {
  EMAIL: {
    version: "2026-11-email-v1",
    text: "Send me news, offers and birthday treats from Xplorium by email.",
  },
  SMS: {
    version: "2026-11-sms-v1",
    text: "Send me offers and reminders from Xplorium by SMS.",
  },
} as const satisfies Record<ConsentChannel, ConsentWording>;

/** How long a double opt-in link stays usable. */
export const CONSENT_CONFIRM_TTL_DAYS = 7;
const TTL_MS = CONSENT_CONFIRM_TTL_DAYS * 24 * 60 * 60 * 1000;

export type ConsentConfig = Pick<
  Env,
  "SESSION_SECRET" | "EMAIL_FROM" | "PORTAL_URL" | "RESEND_API_KEY"
>;
/** What reading a confirmation link needs: the secret its signature is checked with. */
export type ConsentLinkConfig = Pick<Env, "SESSION_SECRET">;

/** The customers column kept in step with each channel's confirmed consent. */
const FLAG = { EMAIL: "marketingOptIn", SMS: "smsOptIn" } as const;

export interface ChannelConsent {
  /** The confirmed state: what marketing sends may rely on. */
  optedIn: boolean;
  /** A pending (double opt-in) grant still waiting for the customer, or null. */
  awaitingSince: Date | null;
}

export interface ConsentChangeInput {
  customerId: string;
  channel: ConsentChannel;
  granted: boolean;
  source: ConsentSource;
  /**
   * True only when the signed-in customer gave the consent themselves (portal). Anything else
   * is a pending grant until they confirm it from the emailed link. Withdrawals always count.
   */
  confirmed: boolean;
  staffUserId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** The wording the customer saw, when not the current CONSENT_WORDING (e.g. the booking site). */
  wording?: ConsentWording;
}

export interface ConsentChangeResult {
  /** False for a no-op: nothing was recorded, no email queued. */
  changed: boolean;
  channel: ConsentChannel;
  before: ChannelConsent;
  after: ChannelConsent;
  eventId: string | null;
  state: "CONFIRMED" | "PENDING" | null;
  confirmationEmailId: string | null;
}

type EventRow = typeof consentEvents.$inferSelect;

const isExpired = (createdAt: Date, now: Date) => createdAt.getTime() + TTL_MS <= now.getTime();

/** A pending grant counts only while it is the channel's newest event and not yet expired. */
function awaitingSince(latest: EventRow | undefined, now: Date): Date | null {
  if (latest?.action !== "GRANTED" || latest.state !== "PENDING") return null;
  return isExpired(latest.createdAt, now) ? null : latest.createdAt;
}

/** Consent changes of one customer serialise on the customer row. */
async function lockCustomer(tx: Tx, customerId: string) {
  const [row] = await tx
    .select({
      id: customers.id,
      email: customers.email,
      name: customers.name,
      marketingOptIn: customers.marketingOptIn,
      smsOptIn: customers.smsOptIn,
    })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)))
    .for("update");
  return row ?? null;
}

async function latestEvent(tx: Tx, customerId: string, channel: ConsentChannel) {
  const [row] = await tx
    .select()
    .from(consentEvents)
    .where(and(eq(consentEvents.customerId, customerId), eq(consentEvents.channel, channel)))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id))
    .limit(1);
  return row;
}

/** Where one channel of a customer row stands now (the unsubscribe page reads it). */
export async function channelConsent(
  tx: Tx,
  customer: { id: string; marketingOptIn: boolean; smsOptIn: boolean },
  channel: ConsentChannel,
  now = new Date(),
): Promise<ChannelConsent> {
  return {
    optedIn: customer[FLAG[channel]],
    awaitingSince: awaitingSince(await latestEvent(tx, customer.id, channel), now),
  };
}

export function consentConfirmUrl(
  config: Pick<Env, "PORTAL_URL" | "SESSION_SECRET">,
  eventId: string,
) {
  const base = config.PORTAL_URL.replace(/\/+$/, "");
  return `${base}/consent/confirm/${signConsentToken(config.SESSION_SECRET, eventId)}`;
}

/**
 * Records one consent change inside the caller's transaction (DESIGN.md "Consent"):
 * - a confirmed grant (the signed-in customer) opts in at once;
 * - any other grant is PENDING: the flag stays off and a confirmation email with a signed link
 *   is queued in the same transaction;
 * - a withdrawal is immediate and CONFIRMED, and as the channel's newest event it voids any
 *   pending grant's link.
 * No-ops record nothing: granting what is already confirmed, a second unconfirmed grant while
 * one still awaits confirmation (no repeat emails), withdrawing with nothing granted or pending.
 */
export async function recordConsentChange(
  tx: Tx,
  config: ConsentConfig,
  input: ConsentChangeInput,
  now = new Date(),
): Promise<ConsentChangeResult> {
  const customer = await lockCustomer(tx, input.customerId);
  if (!customer) throw notFound("Customer");
  const { channel } = input;
  const latest = await latestEvent(tx, customer.id, channel);
  const before: ChannelConsent = {
    optedIn: customer[FLAG[channel]],
    awaitingSince: awaitingSince(latest, now),
  };
  const unchanged: ConsentChangeResult = {
    changed: false,
    channel,
    before,
    after: before,
    eventId: null,
    state: null,
    confirmationEmailId: null,
  };
  const pending = input.granted && !input.confirmed;
  if (input.granted && (before.optedIn || (pending && before.awaitingSince))) return unchanged;
  if (!input.granted && !before.optedIn && !before.awaitingSince) return unchanged;

  const wording = input.wording ?? CONSENT_WORDING[channel];
  const state = pending ? "PENDING" : "CONFIRMED";
  const [event] = await tx
    .insert(consentEvents)
    .values({
      customerId: customer.id,
      channel,
      action: input.granted ? "GRANTED" : "WITHDRAWN",
      state,
      source: input.source,
      wordingVersion: wording.version,
      wording: wording.text,
      staffUserId: input.staffUserId ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
      // clock_timestamp, not now(): two changes in one transaction still have an order.
      confirmedAt: pending ? null : sql`clock_timestamp()`,
      createdAt: sql`clock_timestamp()`,
    })
    .returning();
  if (!event) throw new Error("consent_events insert returned nothing");

  let confirmationEmailId: string | null = null;
  if (pending) {
    // Locked rows are never erased, so the address is there.
    confirmationEmailId = await queueEmail(tx, {
      template: "consent-confirm",
      props: {
        name: customer.name,
        channel,
        wording: wording.text,
        confirmUrl: consentConfirmUrl(config, event.id),
        expiresInDays: CONSENT_CONFIRM_TTL_DAYS,
      },
      to: customer.email ?? "",
      from: config.EMAIL_FROM,
      customerId: customer.id,
      transport: emailTransportName(config),
    });
  } else if (before.optedIn !== input.granted) {
    await tx
      .update(customers)
      .set({ [FLAG[channel]]: input.granted })
      .where(eq(customers.id, customer.id));
  }
  return {
    changed: true,
    channel,
    before,
    after: pending
      ? { optedIn: before.optedIn, awaitingSince: event.createdAt }
      : { optedIn: input.granted, awaitingSince: null },
    eventId: event.id,
    state,
    confirmationEmailId,
  };
}

/**
 * A staff member records a customer's marketing preference (source STAFF): a grant waits for the
 * customer's own confirmation by email, a withdrawal applies at once. Audited with before/after.
 */
export async function setConsentByStaff(
  { db, config, actor, meta }: DepsWith<"db" | "actor" | "meta" | "config", ConsentConfig>,
  input: { customerId: string; channel: ConsentChannel; granted: boolean },
): Promise<ConsentChangeResult> {
  return db.transaction(async (tx) => {
    const result = await recordConsentChange(tx, config, {
      ...input,
      source: "STAFF",
      confirmed: false,
      staffUserId: actor.type === "staff" ? actor.id : null,
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    if (result.changed) {
      await recordAudit(tx, actor, meta, {
        action: "customer.consent_changed",
        entityType: "customer",
        entityId: input.customerId,
        details: {
          channel: input.channel,
          granted: input.granted,
          state: result.state,
          consentEventId: result.eventId,
          before: result.before,
          after: result.after,
        },
      });
    }
    return result;
  });
}

type TokenVerdict =
  | { kind: "invalid" }
  | { kind: "expired" | "superseded" | "ready"; event: EventRow }
  | { kind: "already_confirmed"; event: EventRow; optedIn: boolean };

const TOKEN_MESSAGES = {
  invalid:
    "This confirmation link is not valid. Check that you opened the whole link from our email.",
  expired: `This confirmation link has expired (links work for ${CONSENT_CONFIRM_TTL_DAYS} days). You can turn marketing messages on again in your Xplorium account.`,
  superseded:
    "This confirmation link is no longer valid: your marketing preferences changed after it was sent, and that later choice stands. You can change them in your Xplorium account.",
} as const;

const TOKEN_ERROR_CODE = {
  invalid: "NOT_FOUND",
  expired: "PRECONDITION_FAILED",
  superseded: "CONFLICT",
} as const;

/** Classifies a link's event; the customer row is locked first when `lock` is set. */
async function judgeToken(
  tx: Tx,
  config: Pick<Env, "SESSION_SECRET">,
  token: string,
  now: Date,
  lock: boolean,
): Promise<TokenVerdict> {
  const eventId = readConsentToken(config.SESSION_SECRET, token);
  if (!eventId) return { kind: "invalid" };
  const [found] = await tx
    .select({ customerId: consentEvents.customerId })
    .from(consentEvents)
    .where(eq(consentEvents.id, eventId))
    .limit(1);
  if (!found) return { kind: "invalid" };
  const customer = lock
    ? await lockCustomer(tx, found.customerId)
    : ((
        await tx
          .select({ marketingOptIn: customers.marketingOptIn, smsOptIn: customers.smsOptIn })
          .from(customers)
          .where(and(eq(customers.id, found.customerId), isNull(customers.erasedAt)))
          .limit(1)
      )[0] ?? null);
  if (!customer) return { kind: "invalid" };
  // Read again under the lock: a concurrent confirm or withdrawal has finished by now.
  const [event] = await tx.select().from(consentEvents).where(eq(consentEvents.id, eventId));
  if (event?.action !== "GRANTED") return { kind: "invalid" };
  if (event.state === "CONFIRMED") {
    return { kind: "already_confirmed", event, optedIn: customer[FLAG[event.channel]] };
  }
  const latest = await latestEvent(tx, event.customerId, event.channel);
  if (latest?.id !== event.id) return { kind: "superseded", event };
  if (isExpired(event.createdAt, now)) return { kind: "expired", event };
  return { kind: "ready", event };
}

export type ConsentLinkPreview =
  | {
      status: "ready";
      channel: ConsentChannel;
      wording: string;
      requestedAt: Date;
      expiresAt: Date;
    }
  | {
      status: "already_confirmed";
      channel: ConsentChannel;
      wording: string;
      confirmedAt: Date | null;
      optedIn: boolean;
    }
  | { status: "invalid" | "expired" | "superseded"; message: string };

/** What a confirmation link is about, without changing anything (the GET of the link page). */
export async function previewConsentLink(
  deps: DepsWith<"db" | "config", ConsentLinkConfig>,
  { token }: { token: string },
): Promise<ConsentLinkPreview> {
  const { db, config } = deps;
  return db.transaction(async (tx) => {
    const v = await judgeToken(tx, config, token, nowOf(deps), false);
    if (v.kind === "invalid" || v.kind === "expired" || v.kind === "superseded") {
      return { status: v.kind, message: TOKEN_MESSAGES[v.kind] };
    }
    const wording = v.event.wording ?? CONSENT_WORDING[v.event.channel].text;
    if (v.kind === "already_confirmed") {
      return {
        status: v.kind,
        channel: v.event.channel,
        wording,
        confirmedAt: v.event.confirmedAt,
        optedIn: v.optedIn,
      };
    }
    return {
      status: "ready",
      channel: v.event.channel,
      wording,
      requestedAt: v.event.createdAt,
      expiresAt: new Date(v.event.createdAt.getTime() + TTL_MS),
    };
  });
}

export interface ConsentConfirmation {
  status: "confirmed" | "already_confirmed";
  channel: ConsentChannel;
  wording: string;
  confirmedAt: Date | null;
  /** The channel's state now (a confirmed grant may have been withdrawn since). */
  optedIn: boolean;
}

/**
 * The customer confirms a pending grant from the emailed link (double opt-in): the event turns
 * CONFIRMED and the opt-in flag goes on. Confirming twice is fine ("already confirmed"); a
 * forged, expired or superseded link (any later change of that channel, such as a withdrawal)
 * is refused and changes nothing.
 */
export async function confirmConsent(
  deps: DepsWith<"db" | "meta" | "config", ConsentLinkConfig>,
  { token }: { token: string },
): Promise<ConsentConfirmation> {
  const { db, config, meta } = deps;
  return db.transaction(async (tx) => {
    const v = await judgeToken(tx, config, token, nowOf(deps), true);
    if (v.kind === "invalid" || v.kind === "expired" || v.kind === "superseded") {
      throw new AppError(TOKEN_ERROR_CODE[v.kind], TOKEN_MESSAGES[v.kind]);
    }
    const { event } = v;
    const wording = event.wording ?? CONSENT_WORDING[event.channel].text;
    if (v.kind === "already_confirmed") {
      return {
        status: "already_confirmed",
        channel: event.channel,
        wording,
        confirmedAt: event.confirmedAt,
        optedIn: v.optedIn,
      };
    }
    const [confirmed] = await tx
      .update(consentEvents)
      .set({ state: "CONFIRMED", confirmedAt: sql`clock_timestamp()` })
      .where(and(eq(consentEvents.id, event.id), eq(consentEvents.state, "PENDING")))
      .returning({ confirmedAt: consentEvents.confirmedAt });
    await tx
      .update(customers)
      .set({ [FLAG[event.channel]]: true })
      .where(eq(customers.id, event.customerId));
    await recordAudit(tx, { type: "customer", id: event.customerId }, meta, {
      action: "customer.consent_confirmed",
      entityType: "customer",
      entityId: event.customerId,
      details: {
        channel: event.channel,
        consentEventId: event.id,
        source: event.source,
        userAgent: meta.userAgent,
        before: { optedIn: false },
        after: { optedIn: true },
      },
    });
    return {
      status: "confirmed",
      channel: event.channel,
      wording,
      confirmedAt: confirmed?.confirmedAt ?? null,
      optedIn: true,
    };
  });
}

export type ConsentEventStatus = "CONFIRMED" | "AWAITING" | "EXPIRED" | "SUPERSEDED";

/**
 * A customer's consent: each channel's current state, and every event newest first with what
 * became of pending grants (awaiting, expired, or superseded by a later change). IP and user
 * agent stay out: staff screens do not need them (the privacy export reads them itself).
 */
export async function consentHistory(deps: DepsWith<"db">, { customerId }: { customerId: string }) {
  const { db } = deps;
  const now = nowOf(deps);
  const [customer] = await db
    .select({ marketingOptIn: customers.marketingOptIn, smsOptIn: customers.smsOptIn })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)))
    .limit(1);
  if (!customer) throw notFound("Customer");
  const rows = await db
    .select({
      id: consentEvents.id,
      channel: consentEvents.channel,
      action: consentEvents.action,
      state: consentEvents.state,
      source: consentEvents.source,
      wordingVersion: consentEvents.wordingVersion,
      wording: consentEvents.wording,
      staffName: staffUsers.name,
      confirmedAt: consentEvents.confirmedAt,
      createdAt: consentEvents.createdAt,
    })
    .from(consentEvents)
    .leftJoin(staffUsers, eq(staffUsers.id, consentEvents.staffUserId))
    .where(eq(consentEvents.customerId, customerId))
    .orderBy(desc(consentEvents.createdAt), desc(consentEvents.id));

  const newest = new Map<ConsentChannel, string>();
  for (const r of rows) if (!newest.has(r.channel)) newest.set(r.channel, r.id);
  const events = rows.map((r) => {
    let status: ConsentEventStatus = "CONFIRMED";
    if (r.state === "PENDING") {
      if (newest.get(r.channel) !== r.id) status = "SUPERSEDED";
      else status = isExpired(r.createdAt, now) ? "EXPIRED" : "AWAITING";
    }
    return { ...r, status };
  });
  const channel = (c: ConsentChannel): ChannelConsent => ({
    optedIn: customer[FLAG[c]],
    awaitingSince:
      events.find((e) => e.channel === c && e.status === "AWAITING")?.createdAt ?? null,
  });
  return { channels: { EMAIL: channel("EMAIL"), SMS: channel("SMS") }, events };
}
