import type { DbOrTx } from "@xplorium/db";
import { sql } from "drizzle-orm";

/**
 * A customer's booking stats. One definition for every writer (the booking flow, sync from
 * bookings), so the columns mean the same whoever wrote them last:
 *
 * - `total_bookings`: the customer's bookings whose status is not CANCELLED;
 * - `first_booking_at` / `last_booking_at`: the earliest / latest `scheduled_at` of those same
 *   bookings, null when there are none;
 * - `total_spent`: the sum of `amount` (integer minor units) over COMPLETED bookings.
 *
 * This is the select list that computes them over a set of booking rows, which must have
 * `status`, `scheduled_at` and `amount` columns (group by the customer, or aggregate one
 * customer's bookings).
 */
export const BOOKING_STATS_AGGREGATES = sql.raw(`
  count(*) filter (where status <> 'CANCELLED')::int as total_bookings,
  min(scheduled_at) filter (where status <> 'CANCELLED') as first_booking_at,
  max(scheduled_at) filter (where status <> 'CANCELLED') as last_booking_at,
  coalesce(sum(amount) filter (where status = 'COMPLETED'), 0)::bigint as total_spent`);

/** True when customer row `target` does not already hold the stats in row `source`. */
export const statsDiffer = (target: string, source: string) =>
  sql.raw(`(${target}.total_bookings, ${target}.first_booking_at, ${target}.last_booking_at, ${target}.total_spent)
    is distinct from (${source}.total_bookings, ${source}.first_booking_at, ${source}.last_booking_at, ${source}.total_spent)`);

/** The SET list that copies the stats in row `source` onto the customer row, marking it updated. */
export const setStatsFrom = (source: string) =>
  sql.raw(`total_bookings = ${source}.total_bookings,
    first_booking_at = ${source}.first_booking_at,
    last_booking_at = ${source}.last_booking_at,
    total_spent = ${source}.total_spent,
    updated_at = now()`);

// An arbitrary application-wide key for pg_advisory_xact_lock.
const CUSTOMER_STATS_LOCK = 7_370_001;

/**
 * Serialises the writers of customer stats for the rest of the transaction. Sync from bookings
 * takes it exclusively before it reads anything, so it waits for booking writes in flight and
 * its snapshot includes them; a booking write takes it shared, so writes run side by side but
 * wait while a sync runs instead of being overwritten by the sync's older snapshot. Take it
 * before the first statement that reads bookings or customers.
 */
export async function lockCustomerStats(tx: DbOrTx, mode: "shared" | "exclusive"): Promise<void> {
  await tx.execute(
    mode === "shared"
      ? sql`select pg_advisory_xact_lock_shared(${CUSTOMER_STATS_LOCK}::bigint)`
      : sql`select pg_advisory_xact_lock(${CUSTOMER_STATS_LOCK}::bigint)`,
  );
}

/**
 * Recomputes the stats of the given (non-erased) customers from their bookings in one UPDATE,
 * writing only rows whose stats changed. For the booking flow after it inserts, completes or
 * cancels bookings; returns the ids that changed.
 */
export async function refreshCustomerStats(tx: DbOrTx, customerIds: string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const ids = `{${customerIds.join(",")}}`;
  const rows = await tx.execute<{ id: string }>(sql`
    update customers c
    set ${setStatsFrom("s")}
    from (
      select c0.id, st.*
      from customers c0
      cross join lateral (
        select ${BOOKING_STATS_AGGREGATES} from bookings b where b.customer_id = c0.id
      ) st
      where c0.id = any(${ids}::uuid[]) and c0.erased_at is null
    ) s
    where c.id = s.id and ${statsDiffer("c", "s")}
    returning c.id`);
  return rows.map((r) => r.id);
}
