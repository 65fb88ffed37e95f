import { BOOKING_STATUS_CHANGES, BOOKING_TYPES } from "@xplorium/domain";
import { z } from "zod";
import { parseAmount } from "~/lib/form-values";

/**
 * The bookings pages' forms (ADR 022). Limits and messages are the booking procedures' own
 * (packages/core bookings/booking-create.ts, booking-status.ts), so the browser says what the
 * server would; the procedures still validate.
 */

/** A datetime-local value ("2026-12-01T15:00"), read in the venue's time zone by the action. */
const venueTime = z
  .string({ message: "Enter the date and time of the visit." })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "Enter the date and time of the visit." });

/** /bookings/new: a walk-in or phone booking. */
export const newBookingForm = z.object({
  email: z
    .string({ message: "Enter an email address." })
    .max(254, { message: "That email address is too long." }),
  name: z.string().max(120, { message: "Names are at most 120 characters." }).optional(),
  phone: z.string().max(40, { message: "That phone number is too long." }).optional(),
  type: z.enum(BOOKING_TYPES, { message: "Choose a booking type." }),
  scheduledAt: venueTime,
  guests: z
    .number({ message: "Enter the number of guests." })
    .int({ message: "Guests are whole people." })
    .min(1, { message: "At least one guest." })
    .max(500, { message: "At most 500 guests." }),
  /** "25", "25.5", "25,50" in the currency's units; blank is 0. */
  amount: z
    .string()
    .optional()
    .refine((raw) => parseAmount(raw ?? "") !== null, { message: "Enter an amount like 25.50." }),
  referralCode: z.string().max(20).optional(),
  notes: z.string().max(2000).optional(),
  marketingConsent: z.boolean().optional(),
});

/** The bookings list's row buttons: a status change, or "Review posted". */
export const bookingRowForms = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("status"),
    bookingId: z.string({ message: "Unknown booking." }),
    status: z.enum(BOOKING_STATUS_CHANGES, {
      message: "Choose approve, complete or cancel.",
    }),
  }),
  z.object({ intent: z.literal("review"), bookingId: z.string({ message: "Unknown booking." }) }),
]);
