import {
  type BookingReceipt,
  bookingCreateInput,
  bookingListInput,
  bookingReceipt,
  bookingReviewInput,
  bookingSetStatusInput,
  createBooking,
  listBookings,
  recordReview,
  setBookingStatus,
} from "@xplorium/core/bookings";
import { apiKeyOrStaffProcedure, createTRPCRouter, staffProcedure } from "../trpc";

export const bookingsRouter = createTRPCRouter({
  list: staffProcedure("read:booking")
    .input(bookingListInput)
    .query(({ ctx, input }) => listBookings(ctx.deps, input)),

  /**
   * Walk-in/phone bookings from the admin, and the booking site's pushes with an API key
   * (`Authorization: Bearer …`, scope bookings:write) and its own externalId, which makes the
   * call idempotent per key. Upserts the customer in the same transaction.
   *
   * Answers ids and status only (`BookingReceipt`), first call and replay alike: repeating an
   * externalId must never read back a booking's contact details, notes or amount. Staff also
   * get `customerCreated` for the form's message; a key does not (it would tell whether an
   * address is already a customer).
   */
  create: apiKeyOrStaffProcedure("write:booking", "bookings:write")
    .input(bookingCreateInput)
    .mutation(async ({ ctx, input }) => {
      const result = await createBooking(ctx.deps, {
        ...input,
        source: ctx.actor.type === "apiKey" ? "API" : "ADMIN",
      });
      const receipt: BookingReceipt & { customerCreated?: boolean } = bookingReceipt(result);
      if (ctx.principal.type === "staff") receipt.customerCreated = result.customerCreated;
      return receipt;
    }),

  /** Approve, complete (awards points once) or cancel (reverses a completed booking's points). */
  setStatus: staffProcedure("write:booking")
    .input(bookingSetStatusInput)
    .mutation(({ ctx, input }) => setBookingStatus(ctx.deps, input)),

  /** "Review posted": +25 points, once per completed booking. */
  recordReview: staffProcedure("write:booking")
    .input(bookingReviewInput)
    .mutation(({ ctx, input }) => recordReview(ctx.deps, input)),
});
