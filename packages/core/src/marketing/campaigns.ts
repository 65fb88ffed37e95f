import type { Env } from "@xplorium/config";
import { type Database, type DbOrTx, enqueueJob, schema } from "@xplorium/db";
import { type CampaignStatus, JOBS } from "@xplorium/domain";
import {
  emailTransportName,
  type MarketingMessage,
  type MergeValues,
  personalize,
  renderMarketingTemplate,
  SAMPLE_MERGE_VALUES,
  unknownMergeTags,
} from "@xplorium/email";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { type Actor, type RequestMeta, staffIdOf } from "../actor";
import { changedFields } from "../audit/changes";
import { recordAudit } from "../audit/record-audit";
import { emailSchema } from "../customers/identity";
import { type DepsWith, nowOf } from "../deps";
import { AppError, notFound } from "../errors";
import { queueRenderedEmail } from "../messaging/queue";
import { mergeValuesFor } from "./merge-values";

const { campaigns, segments, staffUsers, customers, emailMessages } = schema;

/** The job key of a campaign's sender job (`JOBS.sendCampaign`): one sender job each. */
export const campaignJobKey = (campaignId: string) => `${JOBS.sendCampaign}:${campaignId}`;
/**
 * graphile-worker retries with exponential backoff (e^attempt seconds); 10 attempts span about
 * ten hours, well inside Resend's 24-hour idempotency window (ADR "campaign sending").
 */
export const CAMPAIGN_SEND_MAX_ATTEMPTS = 10;

/** What the campaign editor and the sender need from the environment. */
export type CampaignConfig = Pick<
  Env,
  "EMAIL_FROM" | "SESSION_SECRET" | "PORTAL_URL" | "TIME_ZONE" | "RESEND_API_KEY"
>;

// Validation

const fields = {
  name: z
    .string({ message: "Give the campaign a name." })
    .trim()
    .min(2, { message: "Give the campaign a name (at least 2 characters)." })
    .max(120, { message: "Keep the name under 120 characters." }),
  subject: z
    .string({ message: "Write a subject." })
    .trim()
    .min(1, { message: "Write a subject." })
    .max(200, { message: "Keep the subject under 200 characters." }),
  preheader: z.string().trim().max(200, { message: "Keep the preheader under 200 characters." }),
  bodyMarkdown: z
    .string({ message: "Write the email." })
    .max(50_000, { message: "Keep the email under 50,000 characters." }),
  /** A saved segment, or null for the whole marketing list. */
  segmentId: z.uuid({ message: "Choose a segment." }).nullable(),
};

export const campaignCreateInput = z.object({
  name: fields.name,
  subject: fields.subject,
  preheader: fields.preheader.default(""),
  bodyMarkdown: fields.bodyMarkdown.default(""),
  segmentId: fields.segmentId.default(null),
});
export type CampaignCreateInput = z.input<typeof campaignCreateInput>;

export const campaignUpdateInput = z.object({
  id: z.uuid({ message: "Unknown campaign." }),
  name: fields.name.optional(),
  subject: fields.subject.optional(),
  preheader: fields.preheader.optional(),
  bodyMarkdown: fields.bodyMarkdown.optional(),
  segmentId: fields.segmentId.optional(),
});
export type CampaignUpdateInput = z.input<typeof campaignUpdateInput>;

export const campaignIdInput = z.object({ id: z.uuid({ message: "Unknown campaign." }) });

/** Unknown merge tags, as field errors on the field that holds them. */
function mergeTagErrors(message: Partial<MarketingMessage>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of ["subject", "preheader", "bodyMarkdown"] as const) {
    const text = message[field];
    if (!text) continue;
    const unknown = unknownMergeTags({
      subject: "",
      preheader: "",
      bodyMarkdown: "",
      [field]: text,
    });
    if (unknown.length > 0) {
      errors[field] = [
        `Unknown merge tag${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Use {{firstName}}, {{points}}, {{tier}} or {{pointsToNextTier}}.`,
      ];
    }
  }
  return errors;
}

function refuseUnknownTags(message: Partial<MarketingMessage>) {
  const fieldErrors = mergeTagErrors(message);
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("BAD_REQUEST", "The email uses merge tags that do not exist.", {
      fieldErrors,
    });
  }
}

async function requireSegment(db: DbOrTx, segmentId: string | null) {
  if (!segmentId) return;
  const [row] = await db
    .select({ id: segments.id })
    .from(segments)
    .where(eq(segments.id, segmentId));
  if (!row) {
    throw new AppError("BAD_REQUEST", "That segment no longer exists.", {
      fieldErrors: { segmentId: ["That segment no longer exists; choose another."] },
    });
  }
}

// Reading

/** A campaign's state and counts: what the sender moves and the admin polls. */
const progressColumns = {
  status: campaigns.status,
  scheduledAt: campaigns.scheduledAt,
  startedAt: campaigns.startedAt,
  finishedAt: campaigns.finishedAt,
  cancelledAt: campaigns.cancelledAt,
  recipientCount: campaigns.recipientCount,
  sentCount: campaigns.sentCount,
  failedCount: campaigns.failedCount,
  error: campaigns.error,
};

const columns = {
  id: campaigns.id,
  name: campaigns.name,
  subject: campaigns.subject,
  preheader: campaigns.preheader,
  bodyMarkdown: campaigns.bodyMarkdown,
  segmentId: campaigns.segmentId,
  toWholeList: campaigns.toWholeList,
  ...progressColumns,
  createdByStaffId: campaigns.createdByStaffId,
  createdAt: campaigns.createdAt,
  updatedAt: campaigns.updatedAt,
};

type CampaignRow = {
  segmentId: string | null;
  toWholeList: boolean;
} & Record<string, unknown>;

/**
 * Who a campaign goes to: its segment, the whole marketing list, or (its segment was deleted)
 * nobody until someone chooses again. A deleted segment never widens to everyone.
 */
function audienceOf(row: CampaignRow, segmentName: string | null) {
  if (row.segmentId) return { kind: "segment" as const, segmentName };
  if (row.toWholeList) return { kind: "everyone" as const, segmentName: null };
  return { kind: "segmentDeleted" as const, segmentName: null };
}

export async function listCampaigns(deps: DepsWith<"db">) {
  const rows = await deps.db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      subject: campaigns.subject,
      status: campaigns.status,
      segmentId: campaigns.segmentId,
      toWholeList: campaigns.toWholeList,
      segmentName: segments.name,
      scheduledAt: campaigns.scheduledAt,
      startedAt: campaigns.startedAt,
      finishedAt: campaigns.finishedAt,
      recipientCount: campaigns.recipientCount,
      sentCount: campaigns.sentCount,
      failedCount: campaigns.failedCount,
      updatedAt: campaigns.updatedAt,
    })
    .from(campaigns)
    .leftJoin(segments, eq(segments.id, campaigns.segmentId))
    .orderBy(desc(campaigns.updatedAt), desc(campaigns.id))
    .limit(500);
  return rows.map((r) => ({ ...r, audience: audienceOf(r, r.segmentName) }));
}

export async function getCampaign(deps: DepsWith<"db">, { id }: { id: string }) {
  return campaignById(deps.db, id);
}

/** The campaign with its audience and author, read on `db` (or inside a transaction). */
async function campaignById(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ ...columns, segmentName: segments.name, createdByName: staffUsers.name })
    .from(campaigns)
    .leftJoin(segments, eq(segments.id, campaigns.segmentId))
    .leftJoin(staffUsers, eq(staffUsers.id, campaigns.createdByStaffId))
    .where(eq(campaigns.id, id));
  if (!row) throw notFound("Campaign");
  return { ...row, audience: audienceOf(row, row.segmentName) };
}

/**
 * What the admin polls while a campaign sends: counts from the campaign row (the sender moves
 * them with every batch), never a count over its emails.
 */
export async function campaignProgress(deps: DepsWith<"db">, { id }: { id: string }) {
  const [row] = await deps.db
    .select({ id: campaigns.id, ...progressColumns })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  if (!row) throw notFound("Campaign");
  const done = row.sentCount + row.failedCount;
  return {
    ...row,
    /** Not sent and not failed: still to go, or (cancelled, failed) never to go. */
    remaining: Math.max(0, row.recipientCount - done),
    percent:
      row.recipientCount > 0 ? Math.min(100, Math.round((done / row.recipientCount) * 100)) : 0,
  };
}

// Writing

export async function createCampaign(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: CampaignCreateInput,
) {
  const input = campaignCreateInput.parse(raw);
  refuseUnknownTags(input);
  return db.transaction(async (tx) => {
    await requireSegment(tx, input.segmentId);
    const values = {
      name: input.name,
      subject: input.subject,
      preheader: input.preheader,
      bodyMarkdown: input.bodyMarkdown,
      segmentId: input.segmentId,
      toWholeList: input.segmentId === null,
    };
    const [created] = await tx
      .insert(campaigns)
      .values({ ...values, createdByStaffId: staffIdOf(actor) })
      .returning({ id: campaigns.id });
    await recordAudit(tx, actor, meta, {
      action: "campaign.created",
      entityType: "campaign",
      entityId: created!.id,
      details: { after: values },
    });
    return campaignById(tx, created!.id);
  });
}

/** Locks the campaign row for a status change; NOT_FOUND when there is none. */
async function lockCampaign(tx: DbOrTx, id: string) {
  const [row] = await tx.select(columns).from(campaigns).where(eq(campaigns.id, id)).for("update");
  if (!row) throw notFound("Campaign");
  return row;
}

const STATUS_WORDS: Record<CampaignStatus, string> = {
  DRAFT: "a draft",
  SCHEDULED: "scheduled",
  SENDING: "sending",
  SENT: "sent",
  CANCELLED: "cancelled",
  FAILED: "failed",
};

/** Edits a draft: once scheduled, what was approved is what goes out. */
export async function updateCampaign(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: CampaignUpdateInput,
) {
  const { id, ...input } = campaignUpdateInput.parse(raw);
  refuseUnknownTags(input);
  return db.transaction(async (tx) => {
    const before = await lockCampaign(tx, id);
    if (before.status !== "DRAFT") {
      throw new AppError(
        "CONFLICT",
        `Only a draft can be edited; this campaign is ${STATUS_WORDS[before.status]}.`,
      );
    }
    const patch: Record<string, unknown> = {};
    for (const key of ["name", "subject", "preheader", "bodyMarkdown"] as const) {
      if (input[key] !== undefined) patch[key] = input[key];
    }
    if (input.segmentId !== undefined) {
      await requireSegment(tx, input.segmentId);
      patch.segmentId = input.segmentId;
      patch.toWholeList = input.segmentId === null;
    }
    const { changes, was } = changedFields(before, patch);
    if (Object.keys(changes).length === 0) {
      return { campaign: await campaignById(tx, id), changed: false };
    }
    await tx.update(campaigns).set(changes).where(eq(campaigns.id, id));
    await recordAudit(tx, actor, meta, {
      action: "campaign.updated",
      entityType: "campaign",
      entityId: id,
      details: { before: was, after: changes },
    });
    return { campaign: await campaignById(tx, id), changed: true };
  });
}

/** A campaign may be scheduled or sent only when it is complete and knows whom it is for. */
function requireSendable(row: {
  subject: string;
  preheader: string;
  bodyMarkdown: string;
  segmentId: string | null;
  toWholeList: boolean;
}) {
  refuseUnknownTags(row);
  const fieldErrors: Record<string, string[]> = {};
  if (!row.subject.trim()) fieldErrors.subject = ["Write a subject before sending."];
  if (!row.bodyMarkdown.trim()) fieldErrors.bodyMarkdown = ["Write the email before sending."];
  if (!row.segmentId && !row.toWholeList) {
    fieldErrors.segmentId = ["Its segment was deleted; choose who it goes to before sending."];
  }
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("BAD_REQUEST", "This campaign is not ready to send.", { fieldErrors });
  }
}

export const campaignScheduleInput = z.object({
  id: z.uuid({ message: "Unknown campaign." }),
  scheduledAt: z.date({ message: "Choose when to send it." }),
});
export type CampaignScheduleInput = z.input<typeof campaignScheduleInput>;

/**
 * DRAFT (or SCHEDULED, to move it) → SCHEDULED at `at`, with its send job enqueued for that
 * moment in the same transaction (graphile-worker `run_at`; the job key keeps one job per
 * campaign, so moving the time moves the job).
 */
async function scheduleAt(
  db: Database,
  actor: Actor,
  meta: RequestMeta,
  id: string,
  at: Date,
  action: "campaign.scheduled" | "campaign.send_now",
) {
  return db.transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    if (row.status !== "DRAFT" && row.status !== "SCHEDULED") {
      throw new AppError(
        "CONFLICT",
        `This campaign is ${STATUS_WORDS[row.status]}; only a draft or a scheduled campaign can be sent.`,
      );
    }
    requireSendable(row);
    await requireSegment(tx, row.segmentId);
    await tx
      .update(campaigns)
      .set({ status: "SCHEDULED", scheduledAt: at })
      .where(eq(campaigns.id, id));
    await enqueueJob(
      tx,
      JOBS.sendCampaign,
      { campaignId: id },
      { runAt: at, jobKey: campaignJobKey(id), maxAttempts: CAMPAIGN_SEND_MAX_ATTEMPTS },
    );
    await recordAudit(tx, actor, meta, {
      action,
      entityType: "campaign",
      entityId: id,
      details: {
        before: { status: row.status, scheduledAt: row.scheduledAt },
        after: { status: "SCHEDULED", scheduledAt: at },
      },
    });
    return campaignById(tx, id);
  });
}

export async function scheduleCampaign(
  deps: DepsWith<"db" | "actor" | "meta">,
  raw: CampaignScheduleInput,
) {
  const { db, actor, meta } = deps;
  const input = campaignScheduleInput.parse(raw);
  if (input.scheduledAt.getTime() <= nowOf(deps).getTime() + 60_000) {
    throw new AppError("BAD_REQUEST", "Choose a time in the future.", {
      fieldErrors: {
        scheduledAt: ["Choose a time at least a minute from now, or use “Send now”."],
      },
    });
  }
  return scheduleAt(db, actor, meta, input.id, input.scheduledAt, "campaign.scheduled");
}

/** Sends at once: scheduled for now, so the worker picks it up within a poll. */
export async function sendCampaignNow(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: z.input<typeof campaignIdInput>,
) {
  const { id } = campaignIdInput.parse(raw);
  return scheduleAt(db, actor, meta, id, new Date(), "campaign.send_now");
}

export const CANCELLED_ERROR = "Not sent: the campaign was cancelled";

/**
 * SCHEDULED or SENDING → CANCELLED. A scheduled campaign's job later finds it cancelled and does
 * nothing; a sending one stops before its next batch (a batch already handed to the provider
 * still goes). Emails not yet handed over are marked FAILED here at once; the sender marks
 * the rest when it stops.
 */
export async function cancelCampaign(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: z.input<typeof campaignIdInput>,
) {
  const { id } = campaignIdInput.parse(raw);
  return db.transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    if (row.status !== "SCHEDULED" && row.status !== "SENDING") {
      throw new AppError(
        "CONFLICT",
        `Only a scheduled or sending campaign can be cancelled; this one is ${STATUS_WORDS[row.status]}.`,
      );
    }
    await tx
      .update(campaigns)
      .set({ status: "CANCELLED", cancelledAt: new Date(), finishedAt: new Date() })
      .where(eq(campaigns.id, id));
    const dropped = await tx
      .update(emailMessages)
      .set({ status: "FAILED", error: CANCELLED_ERROR })
      .where(
        and(
          eq(emailMessages.campaignId, id),
          eq(emailMessages.status, "QUEUED"),
          isNull(emailMessages.attemptedAt),
        ),
      )
      .returning({ id: emailMessages.id });
    await recordAudit(tx, actor, meta, {
      action: "campaign.cancelled",
      entityType: "campaign",
      entityId: id,
      details: {
        before: { status: row.status },
        after: { status: "CANCELLED" },
        sentBefore: row.sentCount,
        notSent: dropped.length,
      },
    });
    return campaignById(tx, id);
  });
}

// Preview and test sends

export const campaignPreviewInput = z.object({
  subject: z.string().max(200).default(""),
  preheader: z.string().max(200).default(""),
  bodyMarkdown: z.string().max(50_000).default(""),
  /** A real customer whose values fill the merge tags; none: the sample values. */
  customerId: z.uuid({ message: "Unknown customer." }).optional(),
});
export type CampaignPreviewInput = z.input<typeof campaignPreviewInput>;

/** Where a preview's unsubscribe link points: nowhere, so a click in the preview does nothing. */
const PREVIEW_UNSUBSCRIBE_URL = "#unsubscribe";

async function mergeCustomer(db: DbOrTx, customerId: string | undefined) {
  if (!customerId) return null;
  const [row] = await db
    .select({
      id: customers.id,
      email: customers.email,
      name: customers.name,
      loyaltyPoints: customers.loyaltyPoints,
      lifetimePoints: customers.lifetimePoints,
      loyaltyTier: customers.loyaltyTier,
    })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)));
  if (!row) {
    throw new AppError("NOT_FOUND", "Customer not found.", {
      fieldErrors: { customerId: ["That customer no longer exists."] },
    });
  }
  return row;
}

/**
 * The email as a recipient would get it, from the editor's unsaved text: rendered once, then
 * personalised with a real customer's values (or the samples), every value HTML-escaped.
 * Unknown merge tags do not stop the preview: they come back as field errors to show inline.
 */
export async function previewCampaign(deps: DepsWith<"db">, raw: CampaignPreviewInput) {
  const input = campaignPreviewInput.parse(raw);
  const customer = await mergeCustomer(deps.db, input.customerId);
  const values: MergeValues = customer ? mergeValuesFor(customer) : SAMPLE_MERGE_VALUES;
  const template = await renderMarketingTemplate(input);
  const email = personalize(template, { ...values, unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL });
  return {
    ...email,
    fieldErrors: mergeTagErrors(input),
    customer: customer ? { id: customer.id, email: customer.email, name: customer.name } : null,
  };
}

export const campaignTestSendInput = z.object({
  id: z.uuid({ message: "Unknown campaign." }),
  to: z
    .array(emailSchema, { message: "Enter at least one address." })
    .min(1, { message: "Enter at least one address." })
    .max(5, { message: "Send a test to at most 5 addresses." }),
  customerId: z.uuid({ message: "Unknown customer." }).optional(),
});
export type CampaignTestSendInput = z.input<typeof campaignTestSendInput>;

/**
 * The saved campaign to 1–5 addresses, subject prefixed "[Test] ", as TRANSACTIONAL mail (the
 * addresses are staff, not marketing recipients: no consent applies, and a suppressed address
 * still gets nothing). Not linked to the campaign's emails, so its counts stay true.
 */
export async function sendCampaignTest(
  { db, actor, meta, config }: DepsWith<"db" | "actor" | "meta" | "config", CampaignConfig>,
  raw: CampaignTestSendInput,
) {
  const input = campaignTestSendInput.parse(raw);
  const to = [...new Set(input.to)];
  return db.transaction(async (tx) => {
    const campaign = await campaignById(tx, input.id);
    refuseUnknownTags(campaign);
    const customer = await mergeCustomer(tx, input.customerId);
    const values = customer ? mergeValuesFor(customer) : SAMPLE_MERGE_VALUES;
    const template = await renderMarketingTemplate(campaign);
    const email = personalize(template, { ...values, unsubscribeUrl: PREVIEW_UNSUBSCRIBE_URL });
    const ids: string[] = [];
    for (const address of to) {
      ids.push(
        await queueRenderedEmail(tx, {
          kind: "TRANSACTIONAL",
          template: "campaign-test",
          rendered: { ...email, subject: `[Test] ${email.subject}` },
          to: address,
          from: config.EMAIL_FROM,
          customerId: null,
          transport: emailTransportName(config),
        }),
      );
    }
    await recordAudit(tx, actor, meta, {
      action: "campaign.test_sent",
      entityType: "campaign",
      entityId: campaign.id,
      details: { to, customerId: customer?.id ?? null, emailIds: ids },
    });
    return { queued: ids.length, to };
  });
}
