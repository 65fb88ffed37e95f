import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { customers } from "./customers";
import { campaignStatus, emailKind, emailStatus, emailTransport, suppressionReason } from "./enums";
import { staffUsers } from "./staff";

export const segments = pgTable("segments", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  filter: jsonb("filter").notNull().default(sql`'{}'::jsonb`),
  createdByStaffId: uuid("created_by_staff_id").references(() => staffUsers.id, {
    onDelete: "set null",
  }),
  ...timestamps,
});

export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    subject: text("subject").notNull(),
    preheader: text("preheader").notNull().default(""),
    bodyMarkdown: text("body_markdown").notNull().default(""),
    segmentId: uuid("segment_id").references(() => segments.id, { onDelete: "set null" }),
    // No segment means the whole marketing list only when chosen so: a campaign whose segment
    // was deleted (segment_id set null) must not widen to everyone.
    toWholeList: boolean("to_whole_list").notNull().default(false),
    status: campaignStatus("status").notNull().default("DRAFT"),
    scheduledAt: tstz("scheduled_at"),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
    recipientCount: integer("recipient_count").notNull().default(0),
    sentCount: integer("sent_count").notNull().default(0),
    // Recipients dropped at send time (opted out, erased, suppressed since the snapshot) or
    // refused by the provider; sent + failed = recipients once a campaign is SENT.
    failedCount: integer("failed_count").notNull().default(0),
    // The sender's heartbeat: written with every batch, so a stalled send can be told apart
    // from a slow one (see campaign-send.ts, resumeStalledCampaigns).
    lastProgressAt: tstz("last_progress_at"),
    cancelledAt: tstz("cancelled_at"),
    // Why a campaign is FAILED (the worker gave up), for staff.
    error: text("error"),
    createdByStaffId: uuid("created_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    ...timestamps,
  },
  (t) => [index("campaigns_status_scheduled_idx").on(t.status, t.scheduledAt)],
);

/**
 * Every email the system sends. With no RESEND_API_KEY the row itself is the delivery:
 * transport OUTBOX, readable in the admin under Marketing → Outbox.
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: emailKind("kind").notNull(),
    template: text("template").notNull(),
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "set null" }),
    // Null after the recipient's erasure.
    toEmail: text("to_email"),
    fromEmail: text("from_email").notNull(),
    subject: text("subject").notNull(),
    html: text("html"),
    text: text("text"),
    transport: emailTransport("transport").notNull(),
    status: emailStatus("status").notNull().default("QUEUED"),
    providerMessageId: text("provider_message_id"),
    error: text("error"),
    sentAt: tstz("sent_at"),
    // Campaign emails only: the batch (at most 100 rows) the snapshot put the row in, for good,
    // so a retried batch has the same members and the same Idempotency-Key.
    batchNo: integer("batch_no"),
    // When a batch holding this row was first handed to the provider (campaign emails).
    attemptedAt: tstz("attempted_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("email_messages_campaign_batch_idx")
      .on(t.campaignId, t.status, t.batchNo)
      .where(sql`${t.campaignId} is not null`),
    uniqueIndex("email_messages_campaign_customer_key")
      .on(t.campaignId, t.customerId)
      .where(sql`${t.campaignId} is not null`),
    uniqueIndex("email_messages_provider_id_key").on(t.providerMessageId),
    index("email_messages_customer_idx").on(t.customerId, t.createdAt.desc()),
    index("email_messages_transport_created_idx").on(t.transport, t.createdAt.desc()),
    // The campaign report counts a campaign's messages by status (migration 0003).
    index("email_messages_campaign_status_idx")
      .on(t.campaignId, t.status)
      .where(sql`${t.campaignId} is not null`),
    // A customer's next marketing email after this one (the report's unsubscribe window).
    index("email_messages_customer_marketing_sent_idx")
      .on(t.customerId, t.sentAt)
      .where(sql`${t.kind} = 'MARKETING' and ${t.sentAt} is not null`),
  ],
);

export const emailEvents = pgTable(
  "email_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    emailMessageId: uuid("email_message_id").references(() => emailMessages.id, {
      onDelete: "cascade",
    }),
    // Resend (Svix) delivers each event at least once; this makes handling idempotent.
    svixId: text("svix_id").notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    occurredAt: tstz("occurred_at").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    // The message's campaign, copied so the campaign report reads one index (migration 0003).
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    // email.bounced: HARD (Resend's "Permanent") or SOFT (anything else).
    bounceType: text("bounce_type"),
    // email.clicked: the link, with a personal unsubscribe token cut off.
    link: text("link"),
  },
  (t) => [
    uniqueIndex("email_events_svix_id_key").on(t.svixId),
    index("email_events_message_idx").on(t.emailMessageId),
    index("email_events_campaign_type_idx")
      .on(t.campaignId, t.type, t.occurredAt)
      .where(sql`${t.campaignId} is not null`),
    check(
      "email_events_bounce_type_check",
      sql`${t.bounceType} is null or ${t.bounceType} in ('HARD', 'SOFT')`,
    ),
  ],
);

/** Addresses that get no mail at all, kept only as SHA-256 of the normalised address. */
export const suppressions = pgTable("suppressions", {
  emailHash: text("email_hash").primaryKey(),
  reason: suppressionReason("reason").notNull(),
  createdAt: tstz("created_at").notNull().defaultNow(),
});
