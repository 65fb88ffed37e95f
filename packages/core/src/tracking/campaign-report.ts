import type { Env } from "@xplorium/config";
import { schema } from "@xplorium/db";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";
import { opensAndClicksTracked } from "./tracking-settings";

const { campaigns } = schema;

export const campaignReportInput = z.object({
  campaignId: z.uuid({ message: "Choose a campaign." }),
});

/** The venue's time zone: the report's days and weeks start at its midnight. */
export type CampaignReportConfig = Pick<Env, "TIME_ZONE">;

export interface CampaignReportTotals {
  /** Every recipient row of the campaign, whatever became of it. */
  recipients: number;
  /** Handed to Resend: status SENT, DELIVERED, BOUNCED or COMPLAINED. */
  sent: number;
  /** Accepted by the recipient's mail server: DELIVERED, or COMPLAINED (only delivered mail is). */
  delivered: number;
  /** Recipients with at least one recorded open / click (while tracking was on). */
  uniqueOpens: number;
  uniqueClicks: number;
  /** Every recorded open / click, repeats included. */
  opens: number;
  clicks: number;
  /** Messages that bounced; hard = a "Permanent" bounce (the address is now suppressed). */
  bounces: number;
  hardBounces: number;
  softBounces: number;
  complaints: number;
  /** See `campaignReport` for the definition. */
  unsubscribes: number;
  /** Not sent: opted out or suppressed by send time, or the provider refused. */
  failed: number;
  /** Still waiting to be sent. */
  queued: number;
}

/** Fractions (0.25 = 25 %); null where the denominator is 0. */
export interface CampaignReportRates {
  /** delivered / sent */
  delivered: number | null;
  /** uniqueOpens / delivered */
  opened: number | null;
  /** uniqueClicks / delivered */
  clicked: number | null;
  /** bounces / sent */
  bounced: number | null;
  /** complaints / delivered */
  complained: number | null;
  /** unsubscribes / delivered */
  unsubscribed: number | null;
}

export interface CampaignReportPoint {
  /** Start of the hour (or day). */
  at: Date;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  complained: number;
}

export interface CampaignReport {
  campaign: {
    id: string;
    name: string;
    subject: string;
    status: (typeof schema.campaignStatus.enumValues)[number];
    startedAt: Date | null;
    finishedAt: Date | null;
  };
  /** Whether opens and clicks are being recorded now (Marketing → Settings). */
  trackingEnabled: boolean;
  totals: CampaignReportTotals;
  rates: CampaignReportRates;
  /**
   * Webhook events per hour since sending started, gaps filled with zeros; per day (in the
   * venue's time zone) once the events span more than a week.
   */
  series: { bucket: "hour" | "day"; points: CampaignReportPoint[] };
  /** The most clicked links, by recipients who clicked them. */
  topLinks: { link: string; clicks: number; uniqueClicks: number }[];
}

const HOURLY_UP_TO_HOURS = 7 * 24;
const MAX_DAYS = 400;
const TOP_LINKS = 10;

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
const int = (v: unknown) => Number(v ?? 0);

/**
 * A campaign's numbers, each one set-based query over indexes (email_messages by campaign and
 * status; email_events by campaign, type and time), in one read-only snapshot, so a
 * 100,000-recipient campaign costs a few index scans rather than a row per recipient.
 *
 * Unsubscribes: recipients whose marketing email consent was withdrawn (a WITHDRAWN EMAIL
 * consent event, from any source but a spam complaint, which counts as a complaint) after this
 * campaign's email was sent to them and before the next marketing email was sent to them:
 * the opt-out is put down to the last marketing email they got. Counted once per recipient.
 */
export async function campaignReport(
  { db, config }: DepsWith<"db" | "config", CampaignReportConfig>,
  { campaignId }: z.input<typeof campaignReportInput>,
): Promise<CampaignReport> {
  return db.transaction(
    async (tx) => {
      const [campaign] = await tx
        .select({
          id: campaigns.id,
          name: campaigns.name,
          subject: campaigns.subject,
          status: campaigns.status,
          startedAt: campaigns.startedAt,
          finishedAt: campaigns.finishedAt,
        })
        .from(campaigns)
        .where(eq(campaigns.id, campaignId));
      if (!campaign) throw notFound("Campaign");

      const [messages] = await tx.execute<Record<string, unknown>>(sql`
        select count(*) as recipients,
          count(*) filter (where status in ('SENT', 'DELIVERED', 'BOUNCED', 'COMPLAINED')) as sent,
          count(*) filter (where status in ('DELIVERED', 'COMPLAINED')) as delivered,
          count(*) filter (where status = 'BOUNCED') as bounces,
          count(*) filter (where status = 'COMPLAINED') as complaints,
          count(*) filter (where status = 'FAILED') as failed,
          count(*) filter (where status = 'QUEUED') as queued,
          extract(epoch from min(sent_at)) as first_sent_at
        from email_messages
        where campaign_id = ${campaignId}`);

      const [events] = await tx.execute<Record<string, unknown>>(sql`
        select
          count(distinct email_message_id) filter (where type = 'email.opened') as unique_opens,
          count(*) filter (where type = 'email.opened') as opens,
          count(distinct email_message_id) filter (where type = 'email.clicked') as unique_clicks,
          count(*) filter (where type = 'email.clicked') as clicks,
          count(distinct email_message_id)
            filter (where type = 'email.bounced' and bounce_type = 'HARD') as hard_bounces,
          extract(epoch from min(occurred_at)) as first_at,
          extract(epoch from max(occurred_at)) as last_at
        from email_events
        where campaign_id = ${campaignId}
          and type in ('email.delivered', 'email.opened', 'email.clicked', 'email.bounced',
                       'email.complained')`);

      const [unsub] = await tx.execute<{ unsubscribes: unknown }>(sql`
        select count(*) as unsubscribes
        from email_messages m
        where m.campaign_id = ${campaignId}
          and m.customer_id is not null
          and m.sent_at is not null
          and exists (
            select 1 from consent_events e
            where e.customer_id = m.customer_id
              and e.channel = 'EMAIL'
              and e.action = 'WITHDRAWN'
              and e.source <> 'COMPLAINT'
              and e.created_at >= m.sent_at
              and e.created_at < coalesce(
                (select min(n.sent_at) from email_messages n
                  where n.customer_id = m.customer_id
                    and n.kind = 'MARKETING'
                    and n.sent_at is not null
                    and n.sent_at > m.sent_at),
                'infinity'::timestamptz))`);

      const totalsRow = messages ?? {};
      const eventsRow = events ?? {};
      const bounces = int(totalsRow.bounces);
      const hardBounces = Math.min(int(eventsRow.hard_bounces), bounces);
      const totals: CampaignReportTotals = {
        recipients: int(totalsRow.recipients),
        sent: int(totalsRow.sent),
        delivered: int(totalsRow.delivered),
        uniqueOpens: int(eventsRow.unique_opens),
        uniqueClicks: int(eventsRow.unique_clicks),
        opens: int(eventsRow.opens),
        clicks: int(eventsRow.clicks),
        bounces,
        hardBounces,
        softBounces: bounces - hardBounces,
        complaints: int(totalsRow.complaints),
        unsubscribes: int(unsub?.unsubscribes),
        failed: int(totalsRow.failed),
        queued: int(totalsRow.queued),
      };

      // Times come back as epoch seconds: no driver date parsing to second-guess.
      const toDate = (v: unknown) =>
        v === null || v === undefined ? null : new Date(Number(v) * 1000);
      const firstEvent = toDate(eventsRow.first_at);
      const lastEvent = toDate(eventsRow.last_at);
      const starts = [campaign.startedAt, toDate(totalsRow.first_sent_at), firstEvent].filter(
        (d): d is Date => d !== null,
      );
      let series: CampaignReport["series"] = { bucket: "hour", points: [] };
      if (starts.length > 0 && lastEvent) {
        const start = new Date(Math.min(...starts.map((d) => d.getTime())));
        const end = lastEvent < start ? start : lastEvent;
        const hours = (end.getTime() - start.getTime()) / 3_600_000;
        const bucket = hours <= HOURLY_UP_TO_HOURS ? "hour" : "day";
        // Hours in UTC (every zone's hours line up with them, near enough); days in the venue's.
        const zone = bucket === "hour" ? "UTC" : config.TIME_ZONE;
        const step = bucket === "hour" ? sql`interval '1 hour'` : sql`interval '1 day'`;
        const unit = sql.raw(`'${bucket}'`);
        const points = await tx.execute<Record<string, unknown>>(sql`
          with ev as (
            select date_trunc(${unit}, occurred_at at time zone ${zone}) as local_bucket,
              type, count(*) as n
            from email_events
            where campaign_id = ${campaignId}
              and type in ('email.delivered', 'email.opened', 'email.clicked', 'email.bounced',
                           'email.complained')
            group by 1, 2
          ),
          buckets as (
            select b as local_bucket
            from generate_series(
              date_trunc(${unit}, ${start.toISOString()}::timestamptz at time zone ${zone}),
              date_trunc(${unit}, ${end.toISOString()}::timestamptz at time zone ${zone}),
              ${step}) as b
            limit ${bucket === "hour" ? HOURLY_UP_TO_HOURS + 1 : MAX_DAYS}
          )
          select extract(epoch from b.local_bucket at time zone ${zone}) as at,
            coalesce(sum(ev.n) filter (where ev.type = 'email.delivered'), 0) as delivered,
            coalesce(sum(ev.n) filter (where ev.type = 'email.opened'), 0) as opened,
            coalesce(sum(ev.n) filter (where ev.type = 'email.clicked'), 0) as clicked,
            coalesce(sum(ev.n) filter (where ev.type = 'email.bounced'), 0) as bounced,
            coalesce(sum(ev.n) filter (where ev.type = 'email.complained'), 0) as complained
          from buckets b
          left join ev on ev.local_bucket = b.local_bucket
          group by b.local_bucket
          order by b.local_bucket`);
        series = {
          bucket,
          points: points.map((p) => ({
            at: new Date(Number(p.at) * 1000),
            delivered: int(p.delivered),
            opened: int(p.opened),
            clicked: int(p.clicked),
            bounced: int(p.bounced),
            complained: int(p.complained),
          })),
        };
      }

      const links = await tx.execute<{ link: string; clicks: unknown; unique_clicks: unknown }>(sql`
        select link, count(*) as clicks, count(distinct email_message_id) as unique_clicks
        from email_events
        where campaign_id = ${campaignId} and type = 'email.clicked' and link is not null
        group by link
        order by unique_clicks desc, clicks desc, link
        limit ${TOP_LINKS}`);

      return {
        campaign,
        trackingEnabled: await opensAndClicksTracked(tx),
        totals,
        rates: {
          delivered: rate(totals.delivered, totals.sent),
          opened: rate(totals.uniqueOpens, totals.delivered),
          clicked: rate(totals.uniqueClicks, totals.delivered),
          bounced: rate(totals.bounces, totals.sent),
          complained: rate(totals.complaints, totals.delivered),
          unsubscribed: rate(totals.unsubscribes, totals.delivered),
        },
        series,
        topLinks: links.map((l) => ({
          link: l.link,
          clicks: int(l.clicks),
          uniqueClicks: int(l.unique_clicks),
        })),
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
