import type { Env } from "@xplorium/config";
import { type Database, schema, type Tx } from "@xplorium/db";
import { AUTOMATION_KINDS, type AutomationKind } from "@xplorium/domain";
import {
  emailTransportName,
  type MarketingTemplate,
  personalize,
  renderMarketingTemplate,
} from "@xplorium/email";
import { eq, type SQL, sql } from "drizzle-orm";
import { unsubscribeUrl } from "../consent/unsubscribe";
import { type DepsWith, nowOf } from "../deps";
import { queueRenderedEmails } from "../messaging/queue";
import { sqlEmailSuppressionHash } from "../privacy/suppression-hash";
import { mergeValuesFor } from "./merge-values";

const { marketingAutomations } = schema;

/** `email_messages.template` of each automation's mail. */
export const AUTOMATION_TEMPLATE: Record<AutomationKind, string> = {
  BIRTHDAY: "automation:birthday",
  WIN_BACK: "automation:win-back",
  TIER_UPGRADE: "automation:tier-upgrade",
};

/**
 * A congratulation more than this late is no congratulation: upgrades older than this are
 * left alone (the worker was down, or the customer opted in long after). It also bounds the
 * scan of `tier_changes`.
 */
export const TIER_UPGRADE_LOOKBACK_DAYS = 7;

export type AutomationsConfig = Pick<
  Env,
  "TIME_ZONE" | "EMAIL_FROM" | "RESEND_API_KEY" | "PORTAL_URL" | "SESSION_SECRET"
>;

/** Customers per transaction: each batch's emails are personalised and stored inside it. */
const DEFAULT_BATCH = 500;
// pg_advisory_xact_lock(RUN_LOCK, n): runs of the same automation take turns, batch by batch.
const RUN_LOCK = 7_370_005;
const LOCK_OF: Record<AutomationKind, number> = { BIRTHDAY: 1, WIN_BACK: 2, TIER_UPGRADE: 3 };
/** Below every customer id: where a run's keyset starts. */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

type AutomationRow = typeof marketingAutomations.$inferSelect;

interface Clock {
  now: Date;
  timeZone: string;
}

const nowSql = (c: Clock) => sql`${c.now.toISOString()}::timestamptz`;
/** Today's date in the venue's time zone: it decides birthdays and day counts. */
const todaySql = (c: Clock) => sql`(${nowSql(c)} at time zone ${c.timeZone})::date`;
/** The venue-local date of a timestamptz column or expression. */
const localDate = (at: SQL, c: Clock) => sql`(${at} at time zone ${c.timeZone})::date`;

/**
 * Who may get marketing email at all: live, opted in to email, with an address that is not
 * suppressed (bounce, complaint, erasure). The worker checks consent again at delivery.
 */
const reachable = sql`c.erased_at is null and c.email is not null and c.marketing_opt_in
  and not exists (select 1 from suppressions s
    where s.email_hash = ${sqlEmailSuppressionHash(sql`c.email`)})`;

const notClaimed = (kind: AutomationKind, periodKey: SQL) => sql`not exists (
  select 1 from automation_sends s
  where s.automation = ${kind} and s.customer_id = c.id and s.period_key = ${periodKey})`;

/** The birthday in year `year` of the date `birth`: 29 February is 28 February in common years. */
const birthdayIn = (birth: SQL, year: SQL) => sql`make_date(${year},
  extract(month from ${birth})::int,
  least(extract(day from ${birth})::int,
        extract(day from (make_date(${year}, extract(month from ${birth})::int, 1)
                          + interval '1 month' - interval '1 day'))::int))`;

/**
 * BIRTHDAY: customers whose next birthday (today or later, in the venue's time zone) is at most
 * `days_before` days away. Period: the year of that birthday, so once per birthday. A run that
 * comes late (the worker was down, the automation was just switched on) still greets before the
 * birthday instead of never.
 */
function birthdayCandidates(a: AutomationRow, c: Clock, after: SQL): SQL {
  const today = todaySql(c);
  const year = sql`extract(year from ${today})::int`;
  return sql`
    with next as (
      select c.id,
        case when ${birthdayIn(sql`c.birth_date`, year)} >= ${today}
          then ${birthdayIn(sql`c.birth_date`, year)}
          else ${birthdayIn(sql`c.birth_date`, sql`${year} + 1`)} end as birthday
      from customers c
      where c.birth_date is not null and c.id > ${after} and ${reachable}
    )
    select c.id as customer_id, extract(year from n.birthday)::int::text as period_key
    from next n join customers c on c.id = n.id
    where n.birthday <= ${today} + ${a.daysBefore}::int
      and ${notClaimed("BIRTHDAY", sql`extract(year from n.birthday)::int::text`)}`;
}

/**
 * WIN_BACK: customers with a completed booking, none in the last `inactivity_days` days and none
 * coming up (a PENDING or APPROVED booking from now on), whose previous win-back email (if any) is
 * at least `cooldown_days` old. Period: "first", then "after:<date of the previous one>", a chain
 * two concurrent runs always compute alike.
 */
function winBackCandidates(a: AutomationRow, c: Clock, after: SQL): SQL {
  const today = todaySql(c);
  return sql`
    with lapsed as (
      select b.customer_id as id
      from bookings b
      where b.status = 'COMPLETED' and b.customer_id > ${after}
      group by b.customer_id
      having ${localDate(sql`max(b.completed_at)`, c)} <= ${today} - ${a.inactivityDays}::int
    ),
    candidates as (
      select c.id,
        (select max(s.sent_at) from automation_sends s
          where s.automation = 'WIN_BACK' and s.customer_id = c.id) as previous
      from lapsed l join customers c on c.id = l.id
      where ${reachable}
        and not exists (select 1 from bookings u
          where u.customer_id = c.id and u.status in ('PENDING', 'APPROVED')
            and u.scheduled_at >= ${nowSql(c)})
    )
    select c.id as customer_id, k.period_key
    from candidates w
    join customers c on c.id = w.id
    cross join lateral (select case when w.previous is null then 'first'
      else 'after:' || ${localDate(sql`w.previous`, c)}::text end as period_key) k
    where (w.previous is null
        or ${localDate(sql`w.previous`, c)} <= ${today} - ${a.cooldownDays}::int)
      and ${notClaimed("WIN_BACK", sql`k.period_key`)}`;
}

/**
 * TIER_UPGRADE: each customer's latest tier change since the automation was switched on (and
 * within the lookback), when it was upward (enum order: BRONZE < … < PLATINUM < VIP) and the
 * customer still holds that tier. Period: the tier change's id, so once per upgrade; upgrades
 * from before switching on, downgrades, and an upgrade already undone are never mailed.
 */
function tierUpgradeCandidates(a: AutomationRow, c: Clock, after: SQL): SQL {
  const since = a.enabledAt ?? c.now;
  return sql`
    with latest as (
      select distinct on (t.customer_id) t.id, t.customer_id, t.from_tier, t.to_tier
      from tier_changes t
      where t.created_at >= ${since.toISOString()}::timestamptz
        and t.created_at >= ${nowSql(c)} - make_interval(days => ${TIER_UPGRADE_LOOKBACK_DAYS})
        and t.created_at <= ${nowSql(c)}
        and t.customer_id > ${after}
      order by t.customer_id, t.created_at desc, t.id desc
    )
    select c.id as customer_id, l.id::text as period_key
    from latest l join customers c on c.id = l.customer_id
    where l.to_tier > l.from_tier and c.loyalty_tier = l.to_tier
      and ${reachable}
      and ${notClaimed("TIER_UPGRADE", sql`l.id::text`)}`;
}

/**
 * Each automation's eligible customers and their period keys (`customer_id`, `period_key`),
 * only customers after `after` in id order: a run keysets through them batch by batch, so a
 * large first run (switching win-back on) reads each customer once, not once per batch.
 */
const CANDIDATES: Record<AutomationKind, (a: AutomationRow, c: Clock, after: SQL) => SQL> = {
  BIRTHDAY: birthdayCandidates,
  WIN_BACK: winBackCandidates,
  TIER_UPGRADE: tierUpgradeCandidates,
};

type ClaimedRow = {
  send_id: string;
  customer_id: string;
  email: string;
  name: string | null;
  loyalty_points: number;
  lifetime_points: number;
  loyalty_tier: string;
};
/** How many were picked, with each claimed customer (one row of nulls when none was). */
type BatchRow = { picked: number; last_picked: string | null } & (
  | ClaimedRow
  | { [K in keyof ClaimedRow]: null }
);

/**
 * One batch, one transaction: claim up to `batch` customers' periods in ONE
 * INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING, personalise their emails, store them with
 * one multi-row INSERT and one bulk enqueue, and link them to the claims. A crash anywhere
 * rolls all of it back: never a claim without its email, nor an email without its claim.
 */
async function runBatch(
  tx: Tx,
  config: AutomationsConfig,
  automation: AutomationRow,
  template: MarketingTemplate,
  clock: Clock,
  batch: number,
  after: string | null,
): Promise<{ picked: number; lastPicked: string | null; claimed: number }> {
  const rows = await tx.execute<BatchRow>(sql`
    with candidates as (${CANDIDATES[automation.kind](automation, clock, sql`${after ?? NIL_UUID}::uuid`)}),
    picked as (select customer_id, period_key from candidates order by customer_id limit ${batch}),
    claimed as (
      insert into automation_sends (automation, customer_id, period_key, sent_at)
      select ${automation.kind}, customer_id, period_key, ${nowSql(clock)} from picked
      on conflict (automation, customer_id, period_key) do nothing
      returning id, customer_id
    )
    select (select count(*)::int from picked) as picked,
      (select customer_id from picked order by customer_id desc limit 1) as last_picked, x.*
    from (select 1) as one left join (
      select cl.id as send_id, c.id as customer_id, c.email, c.name,
        c.loyalty_points, c.lifetime_points, c.loyalty_tier
      from claimed cl join customers c on c.id = cl.customer_id
    ) x on true`);
  const picked = rows[0]?.picked ?? 0;
  const lastPicked = rows[0]?.last_picked ?? null;
  // Without the run lock a concurrent run may have claimed some of the picked: they conflict.
  const claimed = rows.filter((r): r is BatchRow & ClaimedRow => r.send_id !== null);
  if (claimed.length === 0) return { picked, lastPicked, claimed: 0 };

  const transport = emailTransportName(config);
  const emailIds = await queueRenderedEmails(
    tx,
    claimed.map((r) => ({
      kind: "MARKETING" as const,
      template: AUTOMATION_TEMPLATE[automation.kind],
      rendered: personalize(template, {
        ...mergeValuesFor({
          name: r.name,
          loyaltyPoints: r.loyalty_points,
          lifetimePoints: r.lifetime_points,
          loyaltyTier: r.loyalty_tier,
        }),
        unsubscribeUrl: unsubscribeUrl(config, { customerId: r.customer_id, channel: "EMAIL" }),
      }),
      to: r.email,
      from: config.EMAIL_FROM,
      customerId: r.customer_id,
      transport,
    })),
  );
  const links = claimed.map((r, i) => ({ send_id: r.send_id, email_id: emailIds[i] }));
  await tx.execute(sql`
    update automation_sends s set email_message_id = v.email_id
    from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as v(send_id uuid, email_id uuid)
    where s.id = v.send_id`);
  return { picked, lastPicked, claimed: claimed.length };
}

export interface AutomationRunResult {
  kind: AutomationKind;
  enabled: boolean;
  /** Customers claimed (and mailed) this run. */
  sent: number;
}

/** Runs one automation to the end, a batch per transaction; nothing when it is off. */
async function runAutomation(
  db: Database,
  config: AutomationsConfig,
  kind: AutomationKind,
  clock: Clock,
  batch: number,
): Promise<AutomationRunResult> {
  let sent = 0;
  let enabled = false;
  let rendered: { key: string; template: MarketingTemplate } | null = null;
  let after: string | null = null;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${RUN_LOCK}::int, ${LOCK_OF[kind]}::int)`);
      // Read under the lock, every batch: switching it off stops a long run at the next batch.
      const [automation] = await tx
        .select()
        .from(marketingAutomations)
        .where(eq(marketingAutomations.kind, kind));
      if (!automation?.enabled) return null;
      enabled = true;
      const key = automation.updatedAt.toISOString();
      if (rendered?.key !== key) {
        rendered = {
          key,
          template: await renderMarketingTemplate({
            subject: automation.subject,
            preheader: automation.preheader,
            bodyMarkdown: automation.bodyMarkdown,
          }),
        };
      }
      return runBatch(tx, config, automation, rendered.template, clock, batch, after);
    });
    if (n === null) break;
    sent += n.claimed;
    // Fewer picked than a batch: nobody further in id order is due. (Claimed can be fewer than
    // picked when a concurrent run got there first; the keyset moves past them either way.)
    if (n.picked < batch || !n.lastPicked) break;
    after = n.lastPicked;
  }
  if (enabled) {
    // Plain SQL: a run is not an edit, so updated_at (the template's version) stays.
    await db.execute(
      sql`update marketing_automations set last_run_at = ${nowSql(clock)} where kind = ${kind}`,
    );
  }
  return { kind, enabled, sent };
}

/**
 * The automations job (hourly, and on "Run now"): every automation that is on, or only `only`.
 * Safe to run any number of times, and from two workers at once: each customer's period is
 * claimed once (unique automation + customer + period), and runs of one automation take turns
 * under an advisory lock. `deps.now` is the run's clock (tests pass a fixed one).
 */
export async function runAutomations(
  deps: DepsWith<"db" | "config", AutomationsConfig>,
  opts: { only?: AutomationKind; batchSize?: number } = {},
): Promise<AutomationRunResult[]> {
  const { db, config } = deps;
  const clock: Clock = { now: nowOf(deps), timeZone: config.TIME_ZONE };
  const batch = opts.batchSize ?? DEFAULT_BATCH;
  const kinds = opts.only ? [opts.only] : AUTOMATION_KINDS;
  const results: AutomationRunResult[] = [];
  for (const kind of kinds) results.push(await runAutomation(db, config, kind, clock, batch));
  return results;
}
