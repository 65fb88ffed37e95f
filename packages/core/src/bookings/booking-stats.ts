import type { DbOrTx } from "@xplorium/db";
import { sql } from "drizzle-orm";

/**
 * The stats definitions, shared by the booking flow and syncFromBookings:
 * - total_bookings: bookings that are not CANCELLED;
 * - first/last_booking_at: earliest/latest scheduled_at of those;
 * - total_spent: sum of amounts of COMPLETED bookings.
 */
export const STATS_AGGREGATES = sql`
  count(b.id) filter (where b.status <> 'CANCELLED') as total_bookings,
  min(b.scheduled_at) filter (where b.status <> 'CANCELLED') as first_booking_at,
  max(b.scheduled_at) filter (where b.status <> 'CANCELLED') as last_booking_at,
  coalesce(sum(b.amount) filter (where b.status = 'COMPLETED'), 0) as total_spent`;

/** Recomputes the stats of some customers from their bookings, in one statement. */
export async function refreshCustomerStats(db: DbOrTx, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await db.execute(sql`
    update customers c set
      total_bookings = s.total_bookings,
      first_booking_at = s.first_booking_at,
      last_booking_at = s.last_booking_at,
      total_spent = s.total_spent,
      updated_at = now()
    from (
      select c2.id, ${STATS_AGGREGATES}
      from customers c2 left join bookings b on b.customer_id = c2.id
      where c2.id = any(${`{${customerIds.join(",")}}`}::uuid[])
      group by c2.id
    ) s
    where c.id = s.id
      and (c.total_bookings, c.first_booking_at, c.last_booking_at, c.total_spent)
        is distinct from (s.total_bookings, s.first_booking_at, s.last_booking_at, s.total_spent)`);
}
