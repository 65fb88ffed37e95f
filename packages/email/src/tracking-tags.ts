/**
 * Resend tags on every send, read back from its webhooks (email.delivered, email.bounced …) to
 * match an event to our `email_messages` row: `email_id` is that row's id; `customer_id` and
 * `campaign_id` ride along when known. Tag values may hold only ASCII letters, digits, `_` and
 * `-` (Resend's rule), which UUIDs satisfy.
 */
export const TRACKING_TAGS = {
  emailId: "email_id",
  customerId: "customer_id",
  campaignId: "campaign_id",
} as const;

export interface EmailTag {
  name: string;
  value: string;
}

export interface TrackingIds {
  emailId: string;
  customerId?: string | null;
  campaignId?: string | null;
}

/** The tags for one email, in the shape `resend.emails.send` and `resend.batch.send` take. */
export function trackingTags(ids: TrackingIds): EmailTag[] {
  const tags: EmailTag[] = [{ name: TRACKING_TAGS.emailId, value: ids.emailId }];
  if (ids.customerId) tags.push({ name: TRACKING_TAGS.customerId, value: ids.customerId });
  if (ids.campaignId) tags.push({ name: TRACKING_TAGS.campaignId, value: ids.campaignId });
  return tags;
}

export interface ReadTrackingTags {
  emailId: string | null;
  customerId: string | null;
  campaignId: string | null;
}

/**
 * The tracking ids from a webhook's `data.tags`. Resend's docs show an array of
 * `{ name, value }`, its SDK types an object `{ name: value }`; both are read, anything else
 * (or a value that is not a string) counts as absent.
 */
export function readTrackingTags(tags: unknown): ReadTrackingTags {
  const byName = new Map<string, string>();
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      if (tag && typeof tag === "object") {
        const { name, value } = tag as { name?: unknown; value?: unknown };
        if (typeof name === "string" && typeof value === "string") byName.set(name, value);
      }
    }
  } else if (tags && typeof tags === "object") {
    for (const [name, value] of Object.entries(tags)) {
      if (typeof value === "string") byName.set(name, value);
    }
  }
  return {
    emailId: byName.get(TRACKING_TAGS.emailId) ?? null,
    customerId: byName.get(TRACKING_TAGS.customerId) ?? null,
    campaignId: byName.get(TRACKING_TAGS.campaignId) ?? null,
  };
}
