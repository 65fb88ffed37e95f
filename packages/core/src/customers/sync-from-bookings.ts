import type { Tx } from "@xplorium/db";
import { sql } from "drizzle-orm";
import type { Actor, RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { sqlEmailSuppressionHash } from "../privacy/suppression-hash";
import {
  BOOKING_STATS_AGGREGATES,
  lockCustomerStats,
  setStatsFrom,
  statsDiffer,
} from "./booking-stats";
import { REFERRAL_CODE_PREFIX, UNAMBIGUOUS_ALPHABET } from "./referral-code";

export interface SyncFromBookingsResult {
  /** Customers created for addresses that matched no one. */
  created: number;
  /** Existing customers whose stats changed. */
  updated: number;
  /** Bookings linked to a customer. */
  linked: number;
  /** Bookings still without a customer afterwards (no usable email, or suppressed). */
  unlinked: number;
  /** Of those, bookings whose address is suppressed or belonged to an erased customer. */
  suppressed: number;
}

// Candidate referral codes drawn per new customer. A candidate is dropped when an existing
// customer has it or another candidate of this run drew it too; with 31^6 codes, losing all
// four is vanishingly unlikely, and that customer would simply be created by the next run.
const CODE_CANDIDATES = 4;

/**
 * Rebuilds customers from bookings in ONE statement (data-modifying CTEs, no per-row loop):
 *
 * 1. unlinked bookings (customer_id null) are grouped by normalised contact email
 *    (lower(btrim()), the expression of `bookings_unlinked_email_idx`); addresses that are not
 *    plausibly an email are left alone;
 * 2. each address resolves to the live customer with that email, else the live customer it is
 *    an alias of; an address that is suppressed (its SHA-256 is in `suppressions`) or is the
 *    alias of an erased customer never gets a customer, so erased people are not brought back;
 * 3. other addresses become new customers: name and phone from their most recent booking that
 *    has one, a fresh referral code, no marketing consent, and their stats computed from the
 *    bookings about to be linked (the insert's rows are invisible to later CTEs);
 * 4. the bookings are linked;
 * 5. every live customer's stats are recomputed from its bookings plus the just-linked ones
 *    (the linking CTE's RETURNING: all CTEs share one snapshot taken before the update), and
 *    only rows whose stats changed are written.
 *
 * Running it again changes nothing (created = updated = linked = 0). The stats definitions
 * are in `booking-stats.ts`.
 */
function syncStatement() {
  const n = UNAMBIGUOUS_ALPHABET.length;
  return sql`
    with
    unlinked as (
      select b.id,
             lower(btrim(b.contact_email)) as email,
             nullif(btrim(b.contact_name), '') as name,
             b.contact_phone as phone,
             b.status, b.scheduled_at, b.amount, b.created_at
      from bookings b
      where b.customer_id is null
    ),
    by_email as (
      select u.email,
             (array_agg(u.name order by u.scheduled_at desc, u.created_at desc, u.id desc)
                filter (where u.name is not null))[1] as name,
             (array_agg(u.phone order by u.scheduled_at desc, u.created_at desc, u.id desc)
                filter (where u.phone ~ '^[+][1-9][0-9]{6,14}$'))[1] as phone,
             count(*)::int as booking_count,
             ${BOOKING_STATS_AGGREGATES}
      from unlinked u
      where u.email ~ '^[^@[:space:]]+@[^@[:space:]]+$' and length(u.email) <= 254
      group by u.email
    ),
    resolved as (
      select e.*,
             coalesce(c.id, ac.id) as customer_id,
             -- Only matters when no live customer matched.
             (s.email_hash is not null or a.email is not null) as blocked
      from by_email e
      left join customers c on c.email = e.email
      left join customer_email_aliases a on a.email = e.email
      left join customers ac on ac.id = a.customer_id and ac.erased_at is null
      left join suppressions s on s.email_hash = ${sqlEmailSuppressionHash(sql`e.email`)}
    ),
    to_create as (
      select * from resolved where customer_id is null and not blocked
    ),
    code_draws as materialized (
      select t.*, k, uuid_send(gen_random_uuid()) as r
      from to_create t cross join generate_series(1, ${CODE_CANDIDATES}::int) as k
    ),
    codes as (
      select d.*,
             ${REFERRAL_CODE_PREFIX}::text || (
               select string_agg(
                        substr(${UNAMBIGUOUS_ALPHABET}::text,
                               1 + (get_byte(d.r, p) * 256 + get_byte(d.r, p + 1)) % ${n}::int, 1),
                        '' order by p)
               -- uuid v4 bytes without the version and variant bits.
               from unnest(array[0, 2, 4, 10, 12, 14]) as p
             ) as code
      from code_draws d
    ),
    chosen as (
      select distinct on (x.email) x.*
      from (select codes.*, count(*) over (partition by code) as draws from codes) x
      where x.draws = 1
        and not exists (select 1 from customers c where c.referral_code = x.code)
      order by x.email, x.k
    ),
    inserted as (
      insert into customers
        (email, name, phone, referral_code, total_bookings, first_booking_at, last_booking_at, total_spent)
      select email, name, phone, code, total_bookings, first_booking_at, last_booking_at, total_spent
      from chosen
      -- A customer created meanwhile under that email: its bookings wait for the next run.
      on conflict do nothing
      returning id, email
    ),
    links as (
      select email, customer_id from resolved where customer_id is not null
      union all
      select email, id from inserted
    ),
    linked as (
      update bookings b
      set customer_id = l.customer_id, updated_at = now()
      from links l
      where b.customer_id is null and lower(btrim(b.contact_email)) = l.email
      returning b.customer_id, b.status, b.scheduled_at, b.amount
    ),
    stats as (
      select customer_id, ${BOOKING_STATS_AGGREGATES}
      from (
        select customer_id, status, scheduled_at, amount from bookings where customer_id is not null
        union all
        select customer_id, status, scheduled_at, amount from linked
      ) src
      group by customer_id
    ),
    updated as (
      update customers c
      set ${setStatsFrom("n")}
      from (
        select c0.id,
               coalesce(s.total_bookings, 0) as total_bookings,
               s.first_booking_at,
               s.last_booking_at,
               coalesce(s.total_spent, 0) as total_spent
        from customers c0
        left join stats s on s.customer_id = c0.id
        where c0.erased_at is null
      ) n
      where c.id = n.id and ${statsDiffer("c", "n")}
      returning c.id
    )
    select
      (select count(*) from inserted)::int as created,
      (select count(*) from updated)::int as updated,
      (select count(*) from linked)::int as linked,
      ((select count(*) from unlinked) - (select count(*) from linked))::int as unlinked,
      (select coalesce(sum(booking_count), 0) from resolved where customer_id is null and blocked)::int
        as suppressed`;
}

/**
 * Sync from bookings inside the caller's transaction: takes the stats lock (so two syncs never
 * overlap and booking writes in flight are in the snapshot), runs the one statement and
 * audits the counts.
 */
export async function syncFromBookingsInTx(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  opts: { jobRunId?: string } = {},
): Promise<SyncFromBookingsResult> {
  await lockCustomerStats(tx, "exclusive");
  const [row] = await tx.execute<Record<keyof SyncFromBookingsResult, number>>(syncStatement());
  const result: SyncFromBookingsResult = {
    created: row!.created,
    updated: row!.updated,
    linked: row!.linked,
    unlinked: row!.unlinked,
    suppressed: row!.suppressed,
  };
  await recordAudit(tx, actor, meta, {
    action: "customers.synced",
    ...(opts.jobRunId ? { entityType: "job_run", entityId: opts.jobRunId } : {}),
    details: { ...result },
  });
  return result;
}

/** Sync from bookings in a transaction of its own (the job runner uses the `InTx` form). */
export function syncFromBookings({
  db,
  actor,
  meta,
}: DepsWith<"db" | "actor" | "meta">): Promise<SyncFromBookingsResult> {
  return db.transaction((tx) => syncFromBookingsInTx(tx, actor, meta));
}
