import { schema } from "@xplorium/db";
import { CONSENT_CHANNELS } from "@xplorium/domain";
import { asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { AppError } from "../errors";
import {
  CONSENT_WORDING,
  type ConsentChangeResult,
  type ConsentConfig,
  consentHistory,
  recordConsentChange,
} from "./consent";

const { gdprRequests } = schema;

/**
 * A toggle on the portal's privacy page. `wordingVersion` is the version of the wording shown
 * next to the toggle: a grant is recorded with exactly that wording, or refused if it changed
 * since the page was loaded (the customer must see what they agree to).
 */
export const portalConsentInput = z.object({
  channel: z.enum(CONSENT_CHANNELS, { message: "Choose email or SMS." }),
  granted: z.boolean({ message: "Choose on or off." }),
  wordingVersion: z.string().trim().max(100).optional(),
});
export type PortalConsentInput = z.input<typeof portalConsentInput>;

/**
 * The signed-in customer turns marketing email or SMS on or off themselves (source PORTAL).
 * Their own grant needs no double opt-in: it is confirmed at once (state CONFIRMED, both
 * created_at and confirmed_at set) with the wording shown, their IP and browser; a withdrawal
 * applies at once. Audited as `customer.consent_changed` with the customer as actor.
 */
export async function setConsentByCustomer(
  {
    db,
    config,
    actor,
    meta,
  }: DepsWith<"db" | "meta" | "config", ConsentConfig> & { actor: Actor & { type: "customer" } },
  rawInput: PortalConsentInput,
): Promise<ConsentChangeResult> {
  const input = portalConsentInput.parse(rawInput);
  const wording = CONSENT_WORDING[input.channel];
  if (
    input.granted &&
    input.wordingVersion !== undefined &&
    input.wordingVersion !== wording.version
  ) {
    throw new AppError(
      "CONFLICT",
      "The wording of this choice has just changed. Please read it again and turn it on once more.",
    );
  }
  return db.transaction(async (tx) => {
    const result = await recordConsentChange(tx, config, {
      customerId: actor.id,
      channel: input.channel,
      granted: input.granted,
      source: "PORTAL",
      confirmed: true,
      ip: meta.ip,
      userAgent: meta.userAgent,
      wording,
    });
    if (result.changed) {
      await recordAudit(tx, actor, meta, {
        action: "customer.consent_changed",
        entityType: "customer",
        entityId: actor.id,
        details: {
          channel: input.channel,
          granted: input.granted,
          state: result.state,
          consentEventId: result.eventId,
          wordingVersion: wording.version,
          before: result.before,
          after: result.after,
        },
      });
    }
    return result;
  });
}

/**
 * What the portal's privacy page shows: each channel's state with the wording to agree to, the
 * consent history (who recorded it by kind, never a staff member's name), and the customer's
 * privacy requests.
 */
export async function portalPrivacyOverview(
  deps: DepsWith<"db">,
  { customerId }: { customerId: string },
) {
  const { db } = deps;
  const history = await consentHistory(deps, { customerId });
  const requests = await db
    .select({
      id: gdprRequests.id,
      type: gdprRequests.type,
      source: gdprRequests.source,
      status: gdprRequests.status,
      createdAt: gdprRequests.createdAt,
      completedAt: gdprRequests.completedAt,
    })
    .from(gdprRequests)
    .where(eq(gdprRequests.customerId, customerId))
    .orderBy(desc(gdprRequests.createdAt), asc(gdprRequests.id));
  return {
    channels: history.channels,
    wording: CONSENT_WORDING,
    events: history.events.map(({ staffName: _staff, ...e }) => e),
    requests,
  };
}
