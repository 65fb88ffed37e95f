import { schema } from "@xplorium/db";
import { BOOKING_STATUSES, BOOKING_TYPES } from "@xplorium/domain";
import { and, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";

const { bookings, customers } = schema;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const bookingListInput = z.object({
  type: z.preprocess(blankToUndefined, z.enum(BOOKING_TYPES).optional()),
  status: z.preprocess(blankToUndefined, z.enum(BOOKING_STATUSES).optional()),
  /** Scheduled on or after. */
  from: z.preprocess(blankToUndefined, z.coerce.date().optional()),
  /** Scheduled before. */
  to: z.preprocess(blankToUndefined, z.coerce.date().optional()),
  customerId: z.preprocess(blankToUndefined, z.uuid({ message: "Unknown customer." }).optional()),
  /**
   * Contact email (exact or prefix) or external id. Staff see every key's bookings, so one
   * external id may match several (each API key has its own id space).
   */
  q: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(100).optional()),
  limit: z.number().int().min(1).max(100).default(50),
  /** `nextCursor` of the previous page: scheduled_at (µs text) and id. */
  cursor: z.object({ at: z.string().max(40), id: z.uuid() }).nullish(),
});
export type BookingListInput = z.input<typeof bookingListInput>;

/**
 * Bookings newest visit first, filtered, keyset-paginated on (scheduled_at, id) through
 * bookings_scheduled_idx, with the customer's name and email and the filtered total.
 */
export async function listBookings({ db }: DepsWith<"db">, raw: BookingListInput) {
  const input = bookingListInput.parse(raw);
  const where: SQL[] = [];
  if (input.type) where.push(eq(bookings.type, input.type));
  if (input.status) where.push(eq(bookings.status, input.status));
  if (input.from) where.push(gte(bookings.scheduledAt, input.from));
  if (input.to) where.push(lt(bookings.scheduledAt, input.to));
  if (input.customerId) where.push(eq(bookings.customerId, input.customerId));
  if (input.q) {
    const prefix = `${input.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(
      or(
        sql`lower(${bookings.contactEmail}) like ${prefix}`,
        eq(bookings.externalRef, input.q),
      ) as SQL,
    );
  }
  const filtered = where.length ? and(...where) : undefined;
  const page = input.cursor
    ? sql`(${bookings.scheduledAt}, ${bookings.id}) < (${input.cursor.at}::timestamptz, ${input.cursor.id}::uuid)`
    : undefined;
  const [rows, [{ total } = { total: 0 }]] = await Promise.all([
    db
      .select({
        id: bookings.id,
        type: bookings.type,
        status: bookings.status,
        scheduledAt: bookings.scheduledAt,
        at: sql<string>`to_char(${bookings.scheduledAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        guests: bookings.guests,
        amount: bookings.amount,
        currency: bookings.currency,
        source: bookings.source,
        externalRef: bookings.externalRef,
        reviewPostedAt: bookings.reviewPostedAt,
        customerId: bookings.customerId,
        contactEmail: bookings.contactEmail,
        contactName: bookings.contactName,
        customerName: customers.name,
        customerEmail: customers.email,
      })
      .from(bookings)
      .leftJoin(customers, eq(customers.id, bookings.customerId))
      .where(and(filtered, page))
      .orderBy(desc(bookings.scheduledAt), desc(bookings.id))
      .limit(input.limit + 1),
    db.select({ total: sql<number>`count(*)::int` }).from(bookings).where(filtered),
  ]);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ at: _at, ...r }) => r),
    total,
    nextCursor: rows.length > input.limit && last ? { at: last.at, id: last.id } : null,
  };
}
