import {
  bookingCreateInput,
  bookingListInput,
  bookingReviewInput,
  bookingSetStatusInput,
  createBooking,
  listBookings,
  recordReview,
  setBookingStatus,
} from "@xplorium/core";
import { apiKeyOrStaffProcedure, createTRPCRouter, staffProcedure } from "../trpc";

export const bookingsRouter = createTRPCRouter({
  list: staffProcedure("read:booking")
    .input(bookingListInput)
    .query(({ ctx, input }) => listBookings(ctx.db, input)),

  /**
   * Walk-in/phone bookings from the admin, and the booking site's pushes with an API key
   * (`Authorization: Bearer …`, scope bookings:write) and its own externalId, which makes the
   * call idempotent. Upserts the customer in the same transaction.
   */
  create: apiKeyOrStaffProcedure("write:booking", "bookings:write")
    .input(bookingCreateInput)
    .mutation(({ ctx, input }) =>
      createBooking(ctx.db, ctx.actor, ctx.meta, input, {
        currency: ctx.env.CURRENCY,
        phoneRegion: ctx.env.DEFAULT_PHONE_REGION,
        source: ctx.actor.type === "apiKey" ? "API" : "ADMIN",
        consent: ctx.env,
      }),
    ),

  /** Approve, complete (awards points once) or cancel (reverses a completed booking's points). */
  setStatus: staffProcedure("write:booking")
    .input(bookingSetStatusInput)
    .mutation(({ ctx, input }) =>
      setBookingStatus(ctx.db, ctx.actor, ctx.meta, input, { timeZone: ctx.env.TIME_ZONE }),
    ),

  /** "Review posted": +25 points, once per completed booking. */
  recordReview: staffProcedure("write:booking")
    .input(bookingReviewInput)
    .mutation(({ ctx, input }) => recordReview(ctx.db, ctx.actor, ctx.meta, input)),
});
