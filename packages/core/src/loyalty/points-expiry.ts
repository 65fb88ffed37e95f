import type { Env } from "@xplorium/config";
import { type Database, schema, type Tx } from "@xplorium/db";
import { emailTransportName } from "@xplorium/email";
import { eq, type SQL, sql } from "drizzle-orm";
import { type DepsWith, nowOf } from "../deps";
import { queueEmail } from "../messaging/queue";
import { sqlEmailSuppressionHash } from "../privacy/suppression-hash";
import { postPoints } from "./ledger";

const { jobRuns, loyaltySettings } = schema;

/** The `job_runs.kind` of the daily run (the worker runs it as `JOBS.expirePoints`). */
export const POINTS_EXPIRY_KIND = "points-expiry";

export type PointsExpiryConfig = Pick<
  Env,
  | "POINTS_EXPIRY_MONTHS"
  | "POINTS_EXPIRY_WARNING_DAYS"
  | "TIME_ZONE"
  | "EMAIL_FROM"
  | "RESEND_API_KEY"
  | "PORTAL_URL"
>;

/** Customers per transaction: warning emails are rendered one by one inside it. */
const DEFAULT_BATCH = 200;
// An arbitrary application-wide key for pg_advisory_xact_lock: two runs take turns per batch.
const RUN_LOCK = 7_370_003;

export interface PointsExpirySettings {
  enabled: boolean;
  months: number;
  warningDays: number;
  /** When the job first ran with expiry on; inactivity counts from here at the earliest. */
  enabledAt: Date | null;
}

/** The slice of the expiry configuration the rules page shows. */
export type ExpirySettingsConfig = Pick<
  PointsExpiryConfig,
  "POINTS_EXPIRY_MONTHS" | "POINTS_EXPIRY_WARNING_DAYS"
>;

/** The configured expiry and when it took effect (for the admin's rules page). */
export async function pointsExpirySettings({
  db,
  config,
}: DepsWith<"db" | "config", ExpirySettingsConfig>): Promise<PointsExpirySettings> {
  const [row] = await db
    .select({ enabledAt: loyaltySettings.pointsExpiryEnabledAt })
    .from(loyaltySettings)
    .where(eq(loyaltySettings.id, 1));
  const enabled = config.POINTS_EXPIRY_MONTHS > 0;
  return {
    enabled,
    months: config.POINTS_EXPIRY_MONTHS,
    warningDays: config.POINTS_EXPIRY_WARNING_DAYS,
    enabledAt: enabled ? (row?.enabledAt ?? null) : null,
  };
}

interface Clock {
  months: number;
  timeZone: string;
  enabledAt: Date;
  now: Date;
}

/** Today's date in the venue's time zone. */
const todaySql = (c: Clock) =>
  sql`(${c.now.toISOString()}::timestamptz at time zone ${c.timeZone})::date`;

/**
 * Every live customer with points to lose and the venue-local date they lose them on: N months
 * after their last completed booking, or after expiry was turned on if that is later (never
 * retroactive). One set-based query; `only` narrows it to one customer for the re-check under
 * the lock.
 */
function dueSql(c: Clock, only?: string): SQL {
  return sql`
    select c.id, c.email, c.name, c.loyalty_points as points,
      ((greatest(
          (select max(b.completed_at) from bookings b
            where b.customer_id = c.id and b.status = 'COMPLETED'),
          ${c.enabledAt.toISOString()}::timestamptz
        ) at time zone ${c.timeZone}) + make_interval(months => ${c.months}::int))::date as due_on
    from customers c
    where c.erased_at is null and c.loyalty_points > 0
      ${only ? sql`and c.id = ${only}::uuid` : sql``}`;
}

/**
 * Turns the recorded start of expiry on or off to match the configuration: the first run with
 * expiry on stores `now`; a run with it off clears it, so turning it on again later starts the
 * clock afresh.
 */
async function syncEnabledAt(db: Database, enabled: boolean, now: Date): Promise<Date | null> {
  const [row] = await db
    .insert(loyaltySettings)
    .values({ id: 1, pointsExpiryEnabledAt: enabled ? now : null })
    .onConflictDoUpdate({
      target: loyaltySettings.id,
      set: {
        pointsExpiryEnabledAt: enabled
          ? sql`coalesce(${loyaltySettings.pointsExpiryEnabledAt}, excluded.points_expiry_enabled_at)`
          : null,
        updatedAt: sql`now()`,
      },
    })
    .returning({ enabledAt: loyaltySettings.pointsExpiryEnabledAt });
  return row?.enabledAt ?? null;
}

interface NoticeRow extends Record<string, unknown> {
  customer_id: string;
  due_on: string;
  expires_on: string;
  points: number;
  email: string | null;
  name: string | null;
  suppressed: boolean;
}

/**
 * (a) Warnings. In batches, one transaction each: the customers whose points fall due within the
 * warning window and who have no notice for that date get one (a set-based INSERT … SELECT, the
 * primary key (customer, due date) making it once per customer per expiry), and their emails are
 * queued in the same transaction. A warning that goes out late (the job was down) names a date
 * the full warning period away, so nobody loses points without that much notice.
 */
async function queueWarnings(db: Database, config: PointsExpiryConfig, c: Clock, batch: number) {
  const warningDays = config.POINTS_EXPIRY_WARNING_DAYS;
  const today = todaySql(c);
  const portalUrl = new URL("/", config.PORTAL_URL).toString();
  let warned = 0;
  for (;;) {
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${RUN_LOCK}::bigint)`);
      const inserted = await tx.execute<NoticeRow>(sql`
        with due as (${dueSql(c)}),
        picked as (
          select d.id, d.points, d.due_on,
            greatest(d.due_on, ${today} + ${warningDays}::int) as expires_on
          from due d
          where d.due_on - ${warningDays}::int <= ${today}
            and not exists (select 1 from points_expiry_notices n
              where n.customer_id = d.id and n.due_on = d.due_on)
          order by d.id
          limit ${batch}
        ),
        inserted as (
          insert into points_expiry_notices (customer_id, due_on, expires_on, points)
          select id, due_on, expires_on, points from picked
          on conflict do nothing
          returning customer_id, due_on, expires_on, points
        )
        select i.customer_id, i.due_on::text as due_on, i.expires_on::text as expires_on,
          i.points, c.email, c.name,
          exists (select 1 from suppressions s
            where s.email_hash = ${sqlEmailSuppressionHash(sql`c.email`)}) as suppressed
        from inserted i join customers c on c.id = i.customer_id`);
      const sent: { customer_id: string; due_on: string; email_id: string }[] = [];
      for (const n of inserted) {
        // A suppressed address (bounce, complaint) gets no mail; the notice still counts.
        if (!n.email || n.suppressed) continue;
        const emailId = await queueEmail(tx, {
          template: "points-expiry-warning",
          props: {
            name: n.name,
            points: n.points,
            expiresOn: n.expires_on,
            months: c.months,
            portalUrl,
          },
          to: n.email,
          from: config.EMAIL_FROM,
          customerId: n.customer_id,
          transport: emailTransportName(config),
        });
        sent.push({ customer_id: n.customer_id, due_on: n.due_on, email_id: emailId });
      }
      if (sent.length > 0) {
        await tx.execute(sql`
          update points_expiry_notices n set email_message_id = v.email_id
          from jsonb_to_recordset(${JSON.stringify(sent)}::jsonb)
            as v(customer_id uuid, due_on date, email_id uuid)
          where n.customer_id = v.customer_id and n.due_on = v.due_on`);
      }
      return inserted.length;
    });
    warned += rows;
    if (rows < batch) return warned;
  }
}

/** The customers whose warned expiry date has come, still due on the date they were warned for. */
function expiringSql(c: Clock, opts: { after?: string; only?: string; limit?: number }): SQL {
  return sql`
    with due as (${dueSql(c, opts.only)})
    select d.id, d.points, n.expires_on::text as expires_on
    from due d
    join points_expiry_notices n on n.customer_id = d.id and n.due_on = d.due_on
    where n.expires_on <= ${todaySql(c)}
      ${opts.after ? sql`and d.id > ${opts.after}::uuid` : sql``}
      and not exists (select 1 from loyalty_ledger l
        where l.idempotency_key = 'expiry:' || d.id || ':' || n.expires_on::text)
    order by d.id
    ${opts.limit ? sql`limit ${opts.limit}` : sql``}`;
}

interface ExpiringRow extends Record<string, unknown> {
  id: string;
  points: number;
  expires_on: string;
}

/**
 * (b) Expiry. The candidates are selected set-based, a batch at a time (keyset on the id). The
 * posting is the one per-customer loop, and only because it must be: each customer needs their
 * own locked, idempotent ledger row through `postPoints`, the only way points change. Under the
 * lock the customer is checked again (a booking may have completed since), and the whole
 * positive balance is posted as POINTS_EXPIRED with the key `expiry:<customer>:<date>`.
 */
async function expirePoints(db: Database, c: Clock, batch: number) {
  let expired = 0;
  let points = 0;
  let after: string | undefined;
  for (;;) {
    const candidates = await db.execute<ExpiringRow>(expiringSql(c, { after, limit: batch }));
    for (const candidate of candidates) {
      const posted = await db.transaction(async (tx: Tx) => {
        const [locked] = await tx.execute<{ id: string }>(sql`
          select id from customers where id = ${candidate.id}::uuid and erased_at is null
          for update`);
        if (!locked) return 0;
        const [still] = await tx.execute<ExpiringRow>(expiringSql(c, { only: candidate.id }));
        if (!still || still.points <= 0) return 0;
        const r = await postPoints(tx, {
          customerId: still.id,
          delta: -still.points,
          reason: "POINTS_EXPIRED",
          note: `Expired: no completed booking for ${c.months} ${c.months === 1 ? "month" : "months"}`,
          idempotencyKey: `expiry:${still.id}:${still.expires_on}`,
        });
        return r.posted ? still.points : 0;
      });
      if (posted > 0) {
        expired += 1;
        points += posted;
      }
    }
    if (candidates.length < batch) return { expired, points };
    after = candidates.at(-1)!.id;
  }
}

export type PointsExpiryResult =
  | { enabled: false }
  | {
      enabled: true;
      enabledAt: Date;
      /** Warnings recorded this run (emails queued for all but suppressed addresses). */
      warned: number;
      /** Customers whose points expired this run, and how many points in all. */
      expired: number;
      pointsExpired: number;
    };

/**
 * The daily points-expiry job (DESIGN.md "Earning rules": optional, warned first, never
 * retroactive). Safe to run any number of times a day: warnings are once per customer per
 * expiry date and the expiry postings are idempotent. Erased customers are never touched. Each
 * run with expiry on leaves a `job_runs` row (kind `points-expiry`) with its counts.
 */
export async function runPointsExpiry(
  deps: DepsWith<"db" | "config", PointsExpiryConfig>,
  input: { batchSize?: number } = {},
): Promise<PointsExpiryResult> {
  const { db, config } = deps;
  const now = nowOf(deps);
  const batch = input.batchSize ?? DEFAULT_BATCH;
  const enabled = config.POINTS_EXPIRY_MONTHS > 0;
  const enabledAt = await syncEnabledAt(db, enabled, now);
  if (!enabled || !enabledAt) return { enabled: false };

  const clock: Clock = {
    months: config.POINTS_EXPIRY_MONTHS,
    timeZone: config.TIME_ZONE,
    enabledAt,
    now,
  };
  const [run] = await db
    .insert(jobRuns)
    .values({ kind: POINTS_EXPIRY_KIND, status: "RUNNING", startedAt: sql`now()` })
    .returning({ id: jobRuns.id });
  try {
    const warned = await queueWarnings(db, config, clock, batch);
    const { expired, points } = await expirePoints(db, clock, batch);
    const result = { warned, expired, pointsExpired: points };
    await db
      .update(jobRuns)
      .set({ status: "SUCCEEDED", result, finishedAt: sql`now()` })
      .where(eq(jobRuns.id, run!.id));
    return { enabled: true, enabledAt, ...result };
  } catch (error) {
    await db
      .update(jobRuns)
      .set({
        status: "FAILED",
        error: error instanceof Error ? error.message : String(error),
        finishedAt: sql`now()`,
      })
      .where(eq(jobRuns.id, run!.id));
    throw error;
  }
}
