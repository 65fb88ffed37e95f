import { type Database, enqueueJob, schema } from "@xplorium/db";
import { type CampaignStatus, JOBS } from "@xplorium/domain";
import {
  type BatchEmail,
  type BatchTransport,
  sleep as defaultSleep,
  MAX_BATCH_SIZE,
  personalize,
  type RequestPacer,
  renderMarketingTemplate,
  trackingTags,
} from "@xplorium/email";
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { noRequest, systemActor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { listUnsubscribeHeaders, unsubscribeUrl } from "../consent/unsubscribe";
import type { DepsWith } from "../deps";
import { sqlEmailSuppressionHash } from "../privacy/suppression-hash";
import {
  CAMPAIGN_SEND_MAX_ATTEMPTS,
  CANCELLED_ERROR,
  type CampaignConfig,
  campaignJobKey,
} from "./campaigns";
import { mergeValuesFor } from "./merge-values";
import { marketingWhere, segmentFilter } from "./segments";

/**
 * Sending a campaign (ADR "campaign sending"): exactly once per recipient, as far as the
 * provider's idempotency keys allow, and resumable from any point.
 *
 *  1. Snapshot, once, in one transaction with SCHEDULED → SENDING: one INSERT … SELECT puts a
 *     QUEUED `email_messages` row per recipient (segment ∩ opted in ∩ not erased ∩ not
 *     suppressed), each with a fixed batch number (≤ 100 rows) drawn from the customer id
 *     order. No body is stored: the campaign is rendered once per run and personalised here.
 *  2. Per batch, the lowest batch number with QUEUED rows:
 *     claim (one statement): consent checked again, rows no longer allowed turn FAILED, the
 *     rest are stamped `attempted_at`; the campaign row must still be SENDING (cancel lands
 *     between batches) → one `resend.batch.send` with Idempotency-Key
 *     `campaign/<id>/batch/<n>`, paced and retried (429/5xx, Retry-After) → record (one
 *     statement): the rows SENT with their provider ids, the campaign's sent count moved.
 *  3. A crash anywhere leaves rows QUEUED; the next run claims the same batch again and sends
 *     it with the same key, which Resend answers from its record of the first request instead
 *     of mailing again (24 hours; the job's retries end well within them, and a batch first
 *     tried more than 23 hours ago is never sent again).
 *
 * One sender per campaign: a session advisory lock, held for the run, dies with its
 * connection; `resumeStalledCampaigns` restarts a campaign whose worker died.
 */

const { campaigns, emailMessages } = schema;

export const CAMPAIGN_BATCH_SIZE = MAX_BATCH_SIZE;
/** The campaign emails' `template`, for the outbox and the logs. */
export const CAMPAIGN_TEMPLATE = "campaign";

/** Beyond this, Resend may have forgotten the first request's key: never send such a batch again. */
const STALE_ATTEMPT = sql`interval '23 hours'`;
/** A SENDING campaign without a heartbeat for this long, and no live sender, is restarted. */
const STALLED_AFTER = sql`interval '2 minutes'`;

export const NOT_SENT = {
  erased: "Not sent: the customer was erased",
  optedOut: "Not sent: the customer has opted out of marketing email",
  stale:
    "Not sent again: an earlier attempt more than 23 hours ago may have delivered it, and the provider no longer remembers it",
  cancelledAfterAttempt:
    "Not sent again: the campaign was cancelled after an attempt whose outcome is unknown",
  campaignFailed: "Not sent: the campaign failed",
} as const;

export interface RetryPolicy {
  /** Tries of one batch within a run; then the run ends and the job is retried later. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this (a daily quota) ends the run instead of waiting. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

export interface CampaignSender {
  transport: BatchTransport;
  /** Shared by every sender in the process: the provider's limit is per account. */
  pacer: RequestPacer;
  retry?: Partial<RetryPolicy>;
  /** The worker's shutdown signal: the run stops between batches (and in waits). */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  log?: (message: string) => void;
  /** Test hooks: throwing from one is a crash at that point. */
  hooks?: {
    /** After the provider accepted a batch, before it is recorded. */
    afterSend?: (batchNo: number) => void | Promise<void>;
    /** After a batch is recorded. */
    afterBatch?: (batchNo: number) => void | Promise<void>;
  };
}

export type CampaignSendOutcome =
  | { outcome: "sent"; sent: number; failed: number }
  | { outcome: "cancelled" }
  | { outcome: "failed"; error: string }
  /** Another sender holds this campaign. */
  | { outcome: "busy" }
  /** Moved to a later time; that time's job sends it. */
  | { outcome: "not-due" }
  /** Nothing to do: a draft, or already finished. */
  | { outcome: "skipped"; status: CampaignStatus | null };

/** A problem with the campaign itself, not the moment: retrying will not help. */
export class CampaignNotSendable extends Error {}

// One sender per campaign

/**
 * Runs `fn` holding the campaign's session advisory lock on a reserved connection, or returns
 * "busy". A crashed process's connection closes and the lock goes with it.
 */
async function withSenderLock<T>(
  db: Database,
  campaignId: string,
  fn: () => Promise<T>,
): Promise<T | "busy"> {
  const conn = await db.$client.reserve();
  try {
    const key = `campaign-send:${campaignId}`;
    const keySql = "('x' || substr(md5($1), 1, 16))::bit(64)::bigint";
    const [row] = await conn.unsafe(`select pg_try_advisory_lock(${keySql}) as ok`, [key]);
    if (!row?.ok) return "busy";
    try {
      return await fn();
    } finally {
      await conn.unsafe(`select pg_advisory_unlock(${keySql})`, [key]);
    }
  } finally {
    conn.release();
  }
}

/** Whether some process is sending the campaign now (its lock is held). */
async function senderAlive(db: Database, campaignId: string): Promise<boolean> {
  const free = await withSenderLock(db, campaignId, async () => true);
  return free === "busy";
}

// 1. Snapshot

async function readCampaign(db: Database, id: string) {
  const [row] = await db
    .select({
      id: campaigns.id,
      status: campaigns.status,
      subject: campaigns.subject,
      preheader: campaigns.preheader,
      bodyMarkdown: campaigns.bodyMarkdown,
      segmentId: campaigns.segmentId,
      toWholeList: campaigns.toWholeList,
      // By the database's clock, which graphile-worker's run_at also follows.
      due: sql<boolean>`coalesce(${campaigns.scheduledAt} <= now() + interval '5 seconds', true)`,
    })
    .from(campaigns)
    .where(eq(campaigns.id, id));
  return row ?? null;
}

/** The audience's WHERE over customers; throws CampaignNotSendable for a deleted/invalid segment. */
async function audienceWhere(
  db: Database,
  campaign: { segmentId: string | null; toWholeList: boolean },
  timeZone: string,
): Promise<SQL> {
  if (campaign.segmentId) {
    const [segment] = await db
      .select({ filter: schema.segments.filter })
      .from(schema.segments)
      .where(eq(schema.segments.id, campaign.segmentId));
    const parsed = segment ? segmentFilter.safeParse(segment.filter) : null;
    if (!parsed?.success) {
      throw new CampaignNotSendable(
        "Its segment's filter is no longer valid; nobody was mailed. Build the segment again.",
      );
    }
    return marketingWhere(parsed.data, { timeZone });
  }
  if (campaign.toWholeList) return marketingWhere({}, { timeZone });
  throw new CampaignNotSendable("Its segment was deleted before sending; nobody was mailed.");
}

/**
 * SCHEDULED → SENDING with the recipients snapshotted, in one transaction: either both happened
 * or neither. Returns the status found (SENDING when this call or an earlier one did it).
 */
async function snapshotRecipients(
  db: Database,
  config: CampaignConfig,
  campaign: NonNullable<Awaited<ReturnType<typeof readCampaign>>>,
  transport: BatchTransport["name"],
): Promise<CampaignStatus> {
  const where = await audienceWhere(db, campaign, config.TIME_ZONE);
  const c = schema.customers;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: campaigns.status, subject: campaigns.subject })
      .from(campaigns)
      .where(eq(campaigns.id, campaign.id))
      .for("update");
    if (row?.status !== "SCHEDULED") return row?.status ?? "CANCELLED";
    await tx.execute(sql`
      insert into ${emailMessages} (kind, template, campaign_id, customer_id, to_email, from_email,
                                    subject, transport, status, batch_no)
      select 'MARKETING', ${CAMPAIGN_TEMPLATE}, ${campaign.id}, r.id, r.email, ${config.EMAIL_FROM},
             ${row.subject}, ${transport}::email_transport, 'QUEUED',
             ((row_number() over (order by r.id) - 1) / ${CAMPAIGN_BATCH_SIZE}::int)::int
      from (select ${c.id} as id, ${c.email} as email from ${c} where ${where}) r
      on conflict (campaign_id, customer_id) where campaign_id is not null do nothing`);
    const [counted] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(emailMessages)
      .where(eq(emailMessages.campaignId, campaign.id));
    const recipients = counted?.n ?? 0;
    await tx
      .update(campaigns)
      .set({
        status: "SENDING",
        startedAt: new Date(),
        lastProgressAt: new Date(),
        recipientCount: recipients,
        sentCount: 0,
        failedCount: 0,
      })
      .where(eq(campaigns.id, campaign.id));
    await recordAudit(tx, systemActor, noRequest, {
      action: "campaign.sending_started",
      entityType: "campaign",
      entityId: campaign.id,
      details: { recipients, batches: Math.ceil(recipients / CAMPAIGN_BATCH_SIZE) },
    });
    return "SENDING";
  });
}

// 2. Batches

interface ClaimedRow {
  id: string;
  customerId: string | null;
  batchNo: number;
  fromEmail: string;
  /** Why it is not sent (now FAILED), or null. */
  block: string | null;
  email: string | null;
  name: string | null;
  loyaltyPoints: number | null;
  lifetimePoints: number | null;
  loyaltyTier: string | null;
}

/**
 * The next batch after `after` (the lowest batch number with QUEUED rows), in one statement:
 * the campaign row locked (a cancel waits for this, or this finds it cancelled and claims
 * nothing), the batch's QUEUED rows locked, consent checked again against the customer as they
 * are now (opted in, not erased, address not suppressed), the refused rows FAILED and counted,
 * the rest stamped `attempted_at` and addressed to the customer's current email.
 */
async function claimNextBatch(
  db: Database,
  campaignId: string,
  after: number,
): Promise<ClaimedRow[]> {
  const rows = await db.execute(sql`
    with campaign as (
      select id from campaigns where id = ${campaignId} and status = 'SENDING'
      for no key update
    ),
    batch as (
      select m.id, m.customer_id, m.attempted_at
      from email_messages m
      where m.campaign_id = ${campaignId} and m.status = 'QUEUED'
        and exists (select 1 from campaign)
        and m.batch_no = (select min(batch_no) from email_messages
                          where campaign_id = ${campaignId} and status = 'QUEUED'
                            and batch_no > ${after}::int)
      for update of m
    ),
    checked as (
      select b.id, c.email, c.name, c.loyalty_points, c.lifetime_points, c.loyalty_tier,
        case
          when c.id is null or c.erased_at is not null or c.email is null then ${NOT_SENT.erased}
          when not c.marketing_opt_in then ${NOT_SENT.optedOut}
          when s.reason is not null then
            'Not sent: the address is suppressed (' || lower(replace(s.reason::text, '_', ' ')) || ')'
          when b.attempted_at < now() - ${STALE_ATTEMPT} then ${NOT_SENT.stale}
        end as block
      from batch b
      left join customers c on c.id = b.customer_id
      left join suppressions s on s.email_hash = ${sqlEmailSuppressionHash(sql`c.email`)}
    ),
    updated as (
      update email_messages m set
        status = case when k.block is null then m.status else 'FAILED'::email_status end,
        error = k.block,
        to_email = case when k.block is null then k.email else m.to_email end,
        attempted_at = case when k.block is null then coalesce(m.attempted_at, now())
                            else m.attempted_at end
      from checked k
      where m.id = k.id
      returning m.id, m.customer_id, m.batch_no, m.from_email, k.block, k.email, k.name,
                k.loyalty_points, k.lifetime_points, k.loyalty_tier
    ),
    progress as (
      update campaigns set
        failed_count = failed_count + (select count(*) from updated where block is not null)::int,
        last_progress_at = now()
      where id = (select id from campaign)
    )
    select id, customer_id as "customerId", batch_no as "batchNo", from_email as "fromEmail",
           block, email, name, loyalty_points as "loyaltyPoints",
           lifetime_points as "lifetimePoints", loyalty_tier as "loyaltyTier"
    from updated
    order by id`);
  return rows as unknown as ClaimedRow[];
}

/** The batch's rows SENT with their provider ids, and the campaign's count moved: one statement. */
async function recordSent(
  db: Database,
  campaignId: string,
  sent: { id: string; providerId: string | null; subject: string }[],
) {
  await db.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(sent)}::jsonb)
        as v(id uuid, "providerId" text, subject text)
    ),
    sent as (
      update email_messages m set
        status = 'SENT', provider_message_id = v."providerId", subject = v.subject, sent_at = now()
      from v
      where m.id = v.id and m.status = 'QUEUED'
      returning 1
    )
    update campaigns set
      sent_count = sent_count + (select count(*) from sent)::int,
      last_progress_at = now()
    where id = ${campaignId}`);
}

/** A batch the provider refused for good (validation): its rows FAILED with the reason. */
async function recordRejected(db: Database, campaignId: string, ids: string[], error: string) {
  await db.execute(sql`
    with failed as (
      update email_messages m set status = 'FAILED', error = ${error}
      where m.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
        and m.status = 'QUEUED'
      returning 1
    )
    update campaigns set
      failed_count = failed_count + (select count(*) from failed)::int,
      last_progress_at = now()
    where id = ${campaignId}`);
}

type Delivery =
  | { kind: "accepted"; ids: (string | null)[] }
  /** Resend already has this key with another payload: the batch went out in an earlier try. */
  | { kind: "accepted-earlier" }
  | { kind: "rejected"; error: string };

const QUOTA_CODES = new Set(["daily_quota_exceeded", "monthly_quota_exceeded"]);

/** The batch through the pacer and the provider, retrying what may succeed later. */
async function deliverBatch(
  sender: CampaignSender,
  emails: BatchEmail[],
  idempotencyKey: string,
): Promise<Delivery> {
  const policy = { ...DEFAULT_RETRY, ...sender.retry };
  const sleep = sender.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    // The outbox is our own table: no provider limit to respect.
    if (sender.transport.name !== "OUTBOX") await sender.pacer.take(sender.signal);
    const r = await sender.transport.sendBatch(emails, { idempotencyKey });
    if (r.ok) return { kind: "accepted", ids: r.ids };
    const what = `${idempotencyKey}: ${r.status ?? "no answer"} ${r.code} (${r.message})`;
    if (r.status === 409 && r.code === "invalid_idempotent_request") {
      return { kind: "accepted-earlier" };
    }
    if (QUOTA_CODES.has(r.code)) throw new Error(`Sending quota reached at ${what}`);
    const retryable =
      r.status === null ||
      r.status === 429 ||
      r.status >= 500 ||
      (r.status === 409 && r.code === "concurrent_idempotent_requests");
    if (!retryable) {
      if (r.status === 400 || r.status === 422) {
        return { kind: "rejected", error: `Refused by the provider: ${r.message}` };
      }
      // 401/403 and the like: configuration, not this batch. The job retries, then gives up.
      throw new Error(`Provider refused ${what}`);
    }
    if (attempt >= policy.attempts) throw new Error(`Gave up after ${attempt} tries: ${what}`);
    const backoff =
      Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) *
      (0.75 + Math.random() / 4);
    const wait = r.retryAfterMs ?? backoff;
    if (wait > policy.maxRetryAfterMs) throw new Error(`Asked to wait ${wait} ms at ${what}`);
    sender.log?.(`retrying ${what} in ${Math.round(wait)} ms`);
    // A 429 is about the account: every sender in the process waits. A 5xx only this one.
    if (r.status === 429) sender.pacer.pause(wait);
    else await sleep(wait, sender.signal);
  }
}

export const batchIdempotencyKey = (campaignId: string, batchNo: number) =>
  `campaign/${campaignId}/batch/${batchNo}`;

// 3. Finishing

async function finishSent(db: Database, campaignId: string) {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({ status: "SENT", finishedAt: new Date(), lastProgressAt: new Date() })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.status, "SENDING")))
      .returning({ sent: campaigns.sentCount, failed: campaigns.failedCount });
    if (row) {
      await recordAudit(tx, systemActor, noRequest, {
        action: "campaign.sent",
        entityType: "campaign",
        entityId: campaignId,
        details: row,
      });
    }
    return row ?? null;
  });
}

/**
 * A cancelled (or failed) campaign's emails still QUEUED become FAILED: those never tried with
 * `reason`, those tried before without a recorded outcome with a note saying so.
 */
async function dropQueued(db: Database, campaignId: string, reason: string) {
  await db
    .update(emailMessages)
    .set({
      status: "FAILED",
      error: sql`case when ${emailMessages.attemptedAt} is null then ${reason}
        else ${NOT_SENT.cancelledAfterAttempt} end`,
    })
    .where(and(eq(emailMessages.campaignId, campaignId), eq(emailMessages.status, "QUEUED")));
}

/** The worker gave up on the campaign (or it cannot be sent): FAILED, with why, for staff. */
export async function failCampaign(
  { db }: DepsWith<"db">,
  { campaignId, error }: { campaignId: string; error: string },
) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set({ status: "FAILED", error, finishedAt: new Date() })
      .where(
        and(eq(campaigns.id, campaignId), sql`${campaigns.status} in ('SCHEDULED', 'SENDING')`),
      )
      .returning({ id: campaigns.id });
    if (!row) return;
    await tx
      .update(emailMessages)
      .set({ status: "FAILED", error: NOT_SENT.campaignFailed })
      .where(
        and(
          eq(emailMessages.campaignId, campaignId),
          eq(emailMessages.status, "QUEUED"),
          isNull(emailMessages.attemptedAt),
        ),
      );
    await recordAudit(tx, systemActor, noRequest, {
      action: "campaign.failed",
      entityType: "campaign",
      entityId: campaignId,
      details: { error },
    });
  });
}

// The run

/**
 * One run of a campaign's send job: snapshot if not yet done, then batches until none is left,
 * the campaign is cancelled, or the worker shuts down. Safe to run again at any point.
 */
export async function runCampaignSend(
  { db, config }: DepsWith<"db" | "config", CampaignConfig>,
  { campaignId, sender }: { campaignId: string; sender: CampaignSender },
): Promise<CampaignSendOutcome> {
  const result = await withSenderLock(db, campaignId, async (): Promise<CampaignSendOutcome> => {
    const campaign = await readCampaign(db, campaignId);
    if (!campaign) return { outcome: "skipped", status: null };
    if (campaign.status === "CANCELLED") {
      await dropQueued(db, campaignId, CANCELLED_ERROR);
      return { outcome: "cancelled" };
    }
    if (campaign.status === "SCHEDULED") {
      // Moved to later after this job was queued: the job for the new time sends it.
      if (!campaign.due) return { outcome: "not-due" };
      let status: CampaignStatus;
      try {
        status = await snapshotRecipients(db, config, campaign, sender.transport.name);
      } catch (error) {
        if (!(error instanceof CampaignNotSendable)) throw error;
        await failCampaign({ db }, { campaignId, error: error.message });
        return { outcome: "failed", error: error.message };
      }
      if (status !== "SENDING") return { outcome: "skipped", status };
    } else if (campaign.status !== "SENDING") {
      return { outcome: "skipped", status: campaign.status };
    }

    const template = await renderMarketingTemplate(campaign);
    const personalise = (rows: ClaimedRow[]) =>
      rows.map((r) => {
        const customerId = r.customerId!;
        const target = { customerId, channel: "EMAIL" as const };
        const values = mergeValuesFor({
          name: r.name,
          loyaltyPoints: r.loyaltyPoints ?? 0,
          lifetimePoints: r.lifetimePoints ?? 0,
          loyaltyTier: r.loyaltyTier ?? "BRONZE",
        });
        const email = personalize(template, {
          ...values,
          unsubscribeUrl: unsubscribeUrl(config, target),
        });
        const batchEmail: BatchEmail = {
          from: r.fromEmail,
          to: r.email!,
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: listUnsubscribeHeaders(config, target),
          // The webhook handler finds the email, its campaign and its customer by these.
          tags: trackingTags({ emailId: r.id, customerId, campaignId }),
        };
        return { id: r.id, email: batchEmail };
      });

    // A batch's record (one UPDATE) runs while the next batch is claimed and sent: it touches
    // other rows, and a crash before it lands only means the batch is claimed and replayed
    // under its key again. It is awaited before the next record, before finishing, and always.
    let recording: Promise<void> = Promise.resolve();
    const record = (batchNo: number, delivery: Delivery, sent: ReturnType<typeof personalise>) => {
      const write =
        delivery.kind === "rejected"
          ? recordRejected(
              db,
              campaignId,
              sent.map((p) => p.id),
              delivery.error,
            )
          : recordSent(
              db,
              campaignId,
              sent.map((p, i) => ({
                id: p.id,
                providerId: delivery.kind === "accepted" ? (delivery.ids[i] ?? null) : null,
                subject: p.email.subject,
              })),
            );
      recording = write.then(() => sender.hooks?.afterBatch?.(batchNo));
      // Observed here so a failure waiting to be awaited is never an unhandled rejection.
      recording.catch(() => {});
    };

    try {
      let after = -1;
      for (;;) {
        if (sender.signal?.aborted) throw sender.signal.reason ?? new Error("Worker stopping");
        const claimed = await claimNextBatch(db, campaignId, after);
        if (claimed.length === 0) {
          await recording;
          // Anything left below the cursor (never in one run; cheap to make sure).
          if (after >= 0) {
            after = -1;
            continue;
          }
          const [state] = await db
            .select({ status: campaigns.status })
            .from(campaigns)
            .where(eq(campaigns.id, campaignId));
          if (state?.status === "CANCELLED") {
            await dropQueued(db, campaignId, CANCELLED_ERROR);
            return { outcome: "cancelled" };
          }
          if (state?.status !== "SENDING") {
            return { outcome: "skipped", status: state?.status ?? null };
          }
          const done = await finishSent(db, campaignId);
          return { outcome: "sent", sent: done?.sent ?? 0, failed: done?.failed ?? 0 };
        }
        const batchNo = claimed[0]!.batchNo;
        after = batchNo;
        const sendable = claimed.filter((r) => r.block === null && r.email && r.customerId);
        if (sendable.length === 0) continue;
        const personalised = personalise(sendable);
        const delivery = await deliverBatch(
          sender,
          personalised.map((p) => p.email),
          batchIdempotencyKey(campaignId, batchNo),
        );
        if (delivery.kind === "accepted-earlier") {
          sender.log?.(`batch ${batchNo} was accepted by an earlier attempt`);
        }
        await recording;
        await sender.hooks?.afterSend?.(batchNo);
        record(batchNo, delivery, personalised);
      }
    } finally {
      await recording.catch(() => {});
    }
  });
  return result === "busy" ? { outcome: "busy" } : result;
}

/**
 * The crontab's safety net: a SENDING campaign (or a SCHEDULED one past its time) with no
 * heartbeat for two minutes, no live sender holding its lock and no job waiting to retry gets a
 * new send job. That is a worker killed mid-send: graphile-worker would leave its job locked
 * for four hours. Returns the campaigns restarted.
 */
export async function resumeStalledCampaigns({ db }: DepsWith<"db">): Promise<string[]> {
  const stalled = (await db.execute(sql`
    select c.id from campaigns c
    where c.status in ('SENDING', 'SCHEDULED')
      and coalesce(c.last_progress_at, c.scheduled_at) < now() - ${STALLED_AFTER}
      and not exists (
        select 1 from graphile_worker.jobs j
        where j.key = 'campaign:send:' || c.id::text
          and j.locked_at is null and j.attempts < j.max_attempts
      )`)) as unknown as { id: string }[];
  const restarted: string[] = [];
  for (const { id } of stalled) {
    if (await senderAlive(db, id)) continue;
    await enqueueJob(
      db,
      JOBS.sendCampaign,
      { campaignId: id },
      { jobKey: campaignJobKey(id), maxAttempts: CAMPAIGN_SEND_MAX_ATTEMPTS },
    );
    restarted.push(id);
  }
  return restarted;
}
