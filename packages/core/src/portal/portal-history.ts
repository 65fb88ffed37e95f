import { type DbOrTx, schema } from "@xplorium/db";
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { DepsWith } from "../deps";
import { voucherLifeColumns } from "../loyalty/vouchers";
import { BOOKING_TYPE_LABELS, describeLedgerRow } from "./ledger-labels";

const { bookings, loyaltyLedger, rewards, vouchers } = schema;

/**
 * One page of a customer's own history, newest first. The cursor is the last row's time as
 * text with microseconds (a JS Date would round to milliseconds and skip or repeat rows) and
 * its id, which breaks ties: keyset pagination with no gaps or duplicates.
 */
export const portalPageInput = z.object({
  limit: z.number().int().min(1).max(50).default(20),
  cursor: z
    .object({
      at: z.iso.datetime({ offset: true, message: "Invalid page." }),
      id: z.uuid({ message: "Invalid page." }),
    })
    .nullish(),
});
export type PortalPageInput = z.input<typeof portalPageInput>;
/** One page of one customer's history: the session's customer, never an id from the input. */
export type PortalHistoryInput = PortalPageInput & { customerId: string };
export interface PortalCursor {
  at: string;
  id: string;
}

/** A timestamp column as UTC text with microseconds: the cursor's `at`. */
const microsText = (column: unknown) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Points of this booking for this customer: the award, a review, and any reversal. */
const BOOKING_POINT_REASONS = ["BOOKING_COMPLETED", "BOOKING_REVERSED", "REVIEW_POSTED"] as const;

/**
 * The customer's bookings, newest visit first (keyset on scheduled_at, id, through
 * bookings_customer_scheduled_idx): date, type, status, amount and the points the visit brought.
 * `customerId` is always the session's customer.
 */
export async function portalBookings(
  { db }: DepsWith<"db">,
  { customerId, ...page }: PortalHistoryInput,
) {
  const input = portalPageInput.parse(page);
  const pointsEarned = sql<number>`coalesce((select sum(l.delta) from loyalty_ledger l
    where l.booking_id = ${bookings.id} and l.customer_id = ${customerId}
      and l.reason in (${sql.join(
        BOOKING_POINT_REASONS.map((r) => sql`${r}`),
        sql`, `,
      )})), 0)::int`;
  const rows = await db
    .select({
      id: bookings.id,
      at: microsText(bookings.scheduledAt),
      scheduledAt: bookings.scheduledAt,
      type: bookings.type,
      status: bookings.status,
      guests: bookings.guests,
      amount: bookings.amount,
      currency: bookings.currency,
      pointsEarned,
    })
    .from(bookings)
    .where(
      and(
        eq(bookings.customerId, customerId),
        input.cursor
          ? sql`(${bookings.scheduledAt}, ${bookings.id}) < (${input.cursor.at}::timestamptz, ${input.cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(bookings.scheduledAt), desc(bookings.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ at: _at, ...r }) => ({ ...r, typeLabel: BOOKING_TYPE_LABELS[r.type] })),
    nextCursor:
      rows.length > input.limit && last ? ({ at: last.at, id: last.id } as PortalCursor) : null,
  };
}

/**
 * The customer's points ledger, newest first (keyset on created_at, id, through
 * loyalty_ledger_customer_idx), each row with a human-readable reason.
 */
export async function portalPoints(
  { db }: DepsWith<"db">,
  { customerId, ...page }: PortalHistoryInput,
) {
  const input = portalPageInput.parse(page);
  const b = alias(bookings, "b");
  const v = alias(vouchers, "v");
  const rows = await db
    .select({
      id: loyaltyLedger.id,
      at: microsText(loyaltyLedger.createdAt),
      createdAt: loyaltyLedger.createdAt,
      delta: loyaltyLedger.delta,
      reason: loyaltyLedger.reason,
      note: loyaltyLedger.note,
      bookingCustomerId: b.customerId,
      bookingType: b.type,
      rewardName: rewards.name,
      // Only the customer's own voucher is named (after a merge both are theirs anyway).
      voucherCode: sql<string | null>`case when ${v.customerId} = ${customerId} then ${v.code} end`,
    })
    .from(loyaltyLedger)
    .leftJoin(b, eq(b.id, loyaltyLedger.bookingId))
    .leftJoin(v, eq(v.id, loyaltyLedger.voucherId))
    .leftJoin(rewards, eq(rewards.id, v.rewardId))
    .where(
      and(
        eq(loyaltyLedger.customerId, customerId),
        input.cursor
          ? sql`(${loyaltyLedger.createdAt}, ${loyaltyLedger.id}) < (${input.cursor.at}::timestamptz, ${input.cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(loyaltyLedger.createdAt), desc(loyaltyLedger.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map((r) => {
    const own = r.bookingCustomerId === customerId;
    const { label, detail } = describeLedgerRow({
      reason: r.reason,
      note: r.note,
      bookingType: own ? r.bookingType : null,
      friendsBooking: r.bookingCustomerId !== null && !own,
      rewardName: r.rewardName,
      voucherCode: r.voucherCode,
    });
    return {
      id: r.id,
      at: r.at,
      createdAt: r.createdAt,
      delta: r.delta,
      reason: r.reason,
      label,
      detail,
      voucherCode: r.voucherCode,
    };
  });
  const last = items.at(-1);
  return {
    items: items.map(({ at: _at, ...r }) => r),
    nextCursor:
      rows.length > input.limit && last ? ({ at: last.at, id: last.id } as PortalCursor) : null,
  };
}

/** The customer's voucher with this code (as printed, case-insensitive), or null. */
export async function portalVoucherByCode(
  { db }: DepsWith<"db">,
  { customerId, code }: { customerId: string; code: string },
) {
  const normalised = code.trim().toUpperCase();
  const [row] = await db
    .select({
      id: vouchers.id,
      code: vouchers.code,
      ...voucherLifeColumns,
      reward: { name: rewards.name, description: rewards.description },
    })
    .from(vouchers)
    .innerJoin(rewards, eq(rewards.id, vouchers.rewardId))
    .where(and(eq(vouchers.code, normalised), eq(vouchers.customerId, customerId)))
    .limit(1);
  return row ?? null;
}

/** How many of the customer's vouchers can be used now. */
export async function activeVoucherCount(db: DbOrTx, customerId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(vouchers)
    .where(
      and(
        eq(vouchers.customerId, customerId),
        eq(vouchers.status, "ISSUED"),
        sql`${vouchers.expiresAt} > now()`,
      ),
    );
  return row?.n ?? 0;
}
