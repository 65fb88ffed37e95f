import type { Env } from "@xplorium/config";
import { schema, type Tx } from "@xplorium/db";
import { BOOKING_STATUS_CHANGES, BOOKING_STATUS_TRANSITIONS } from "@xplorium/domain";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { lockCustomerStats, refreshCustomerStats } from "../customers/booking-stats";
import type { Deps, DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { lockCustomerForPoints, postPoints } from "../loyalty/ledger";
import { awardReferral } from "../loyalty/referral-awards";
import { bookingAward, LOYALTY_POINTS } from "../loyalty/rules";

const { bookings } = schema;

export const bookingSetStatusInput = z.object({
  bookingId: z.uuid({ message: "Unknown booking." }),
  status: z.enum(BOOKING_STATUS_CHANGES, {
    message: "Choose approve, complete or cancel.",
  }),
});

/** What a status change reads from the configuration: the venue's time zone (birthday awards). */
export type BookingStatusConfig = Pick<Env, "TIME_ZONE">;

const staffId = (actor: Actor) => (actor.type === "staff" ? actor.id : null);

async function lockBooking(tx: Tx, bookingId: string) {
  const [booking] = await tx
    .select()
    .from(bookings)
    .where(eq(bookings.id, bookingId))
    .for("update");
  if (!booking) throw notFound("Booking");
  return booking;
}

/**
 * Approve, complete or cancel. Completing awards the booking's points by the rules (exactly once,
 * however often it is retried, concurrently or not) and, on a referred customer's first
 * completed booking, the referral bonus; cancelling a completed booking reverses every point it
 * earned. Stats follow in the same transaction.
 */
export async function setBookingStatus(
  { db, actor, meta, config }: Deps<BookingStatusConfig>,
  input: z.infer<typeof bookingSetStatusInput>,
) {
  return db.transaction(async (tx) => {
    await lockCustomerStats(tx, "shared");
    // Lock order everywhere: booking, then customer (postPoints locks the customer).
    const before = await lockBooking(tx, input.bookingId);
    if (before.status === input.status) return { booking: before, changed: false, points: 0 };
    if (!BOOKING_STATUS_TRANSITIONS[before.status].includes(input.status)) {
      throw new AppError(
        "CONFLICT",
        `A ${before.status.toLowerCase()} booking cannot become ${input.status.toLowerCase()}.`,
      );
    }
    if (!before.customerId) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "This imported booking has no customer yet: run “Sync from bookings” first.",
      );
    }
    const now = new Date();
    const [after] = await tx
      .update(bookings)
      .set({
        status: input.status,
        ...(input.status === "COMPLETED" ? { completedAt: now } : {}),
        ...(input.status === "CANCELLED" ? { cancelledAt: now } : {}),
      })
      .where(eq(bookings.id, input.bookingId))
      .returning();

    let points = 0;
    let referral: string | null = null;
    if (input.status === "COMPLETED") {
      const customer = await lockCustomerForPoints(tx, before.customerId);
      const award = bookingAward(
        { type: before.type, scheduledAt: before.scheduledAt },
        customer,
        config.TIME_ZONE,
      );
      const posted = await postPoints(tx, {
        customerId: before.customerId,
        delta: award.points,
        reason: "BOOKING_COMPLETED",
        note: `${before.type.charAt(0)}${before.type.slice(1).toLowerCase()} booking${award.birthdayBonus ? " (birthday month ×2)" : ""}`,
        bookingId: before.id,
        staffUserId: staffId(actor),
        idempotencyKey: `booking:${before.id}:award`,
      });
      if (posted.posted) points = award.points;
      referral = await awardReferral(tx, { refereeId: before.customerId, bookingId: before.id });
    } else if (input.status === "CANCELLED" && before.status === "COMPLETED") {
      points = -(await reverseBookingPoints(tx, before.id, staffId(actor)));
    }
    await refreshCustomerStats(tx, [before.customerId]);
    await recordAudit(tx, actor, meta, {
      action: `booking.${input.status.toLowerCase()}`,
      entityType: "booking",
      entityId: before.id,
      details: {
        customerId: before.customerId,
        before: { status: before.status },
        after: { status: input.status },
        points,
        referral,
      },
    });
    return { booking: after!, changed: true, points };
  });
}

/**
 * Takes back everything a booking earned (its award, review and referral bonuses), per customer,
 * once. Balances may go negative (DESIGN.md); lifetime points drop too. Returns the points taken
 * from the booking's own customer.
 */
async function reverseBookingPoints(tx: Tx, bookingId: string, staffUserId: string | null) {
  const [booking] = await tx
    .select({ customerId: bookings.customerId })
    .from(bookings)
    .where(eq(bookings.id, bookingId));
  // The booking's own customer first (already locked), then the referrer: the same order as
  // completion, so the two cannot deadlock.
  const earned = await tx.execute<{ customer_id: string; total: number }>(sql`
    select customer_id, sum(delta)::int as total from loyalty_ledger
    where booking_id = ${bookingId} and reason <> 'BOOKING_REVERSED'
    group by customer_id having sum(delta) > 0
    order by customer_id is distinct from ${booking?.customerId ?? null}::uuid, customer_id`);
  let own = 0;
  for (const row of earned) {
    await postPoints(tx, {
      customerId: row.customer_id,
      delta: -row.total,
      reason: "BOOKING_REVERSED",
      note: "Booking cancelled after completion",
      bookingId,
      staffUserId,
      idempotencyKey: `booking:${bookingId}:reversal:${row.customer_id}`,
    });
    if (row.customer_id === booking?.customerId) own = row.total;
  }
  return own;
}

export const bookingReviewInput = z.object({ bookingId: z.uuid({ message: "Unknown booking." }) });

/** Staff record "review posted" on a completed booking: +25 points, once per booking. */
export async function recordReview(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: z.infer<typeof bookingReviewInput>,
) {
  return db.transaction(async (tx) => {
    const booking = await lockBooking(tx, input.bookingId);
    if (booking.status !== "COMPLETED" || !booking.customerId) {
      throw new AppError("CONFLICT", "Reviews can only be recorded for completed bookings.");
    }
    if (booking.reviewPostedAt) return { changed: false };
    await tx
      .update(bookings)
      .set({ reviewPostedAt: new Date() })
      .where(eq(bookings.id, booking.id));
    await postPoints(tx, {
      customerId: booking.customerId,
      delta: LOYALTY_POINTS.REVIEW_POSTED,
      reason: "REVIEW_POSTED",
      note: "Review posted",
      bookingId: booking.id,
      staffUserId: staffId(actor),
      idempotencyKey: `booking:${booking.id}:review`,
    });
    await recordAudit(tx, actor, meta, {
      action: "booking.review_recorded",
      entityType: "booking",
      entityId: booking.id,
      details: { customerId: booking.customerId, points: LOYALTY_POINTS.REVIEW_POSTED },
    });
    return { changed: true };
  });
}
