import type { Env } from "@xplorium/config";
import { schema, type Tx } from "@xplorium/db";
import { BOOKING_TYPES, type BookingStatus } from "@xplorium/domain";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { type ConsentConfig, recordConsentChange } from "../consent/consent";
import { lockCustomerStats, refreshCustomerStats } from "../customers/booking-stats";
import { phoneOrError, upsertCustomerTx } from "../customers/customer-profile";
import { emailSchema } from "../customers/identity";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { referralConflict } from "../loyalty/referral-rules";

const { bookings, customers } = schema;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const bookingCreateInput = z.object({
  email: emailSchema,
  name: z.preprocess(
    blankToUndefined,
    z.string().trim().max(120, { message: "Names are at most 120 characters." }).optional(),
  ),
  phone: z.preprocess(
    blankToUndefined,
    z.string().trim().max(40, { message: "That phone number is too long." }).optional(),
  ),
  type: z.enum(BOOKING_TYPES, { message: "Choose a booking type." }),
  scheduledAt: z.coerce.date({ message: "Enter the date and time of the visit." }),
  guests: z.coerce
    .number({ message: "Enter the number of guests." })
    .int({ message: "Guests are whole people." })
    .min(1, { message: "At least one guest." })
    .max(500, { message: "At most 500 guests." }),
  /** Integer minor units (cents) of the configured currency. */
  amount: z.coerce
    .number({ message: "Enter the amount." })
    .int({ message: "The amount is in cents (a whole number)." })
    .min(0, { message: "The amount cannot be negative." })
    .max(100_000_000, { message: "That amount is too large." }),
  notes: z.preprocess(blankToUndefined, z.string().trim().max(2000).optional()),
  /** Only true when the customer ticked the box themselves; never pre-ticked. */
  marketingConsent: z.boolean().default(false),
  /**
   * The booking site's own id: a repeated call with the same id, from the same API key, answers
   * with the first booking. Each key has its own id space; staff share one of their own.
   */
  externalId: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(100)
      .regex(/^[\w.:-]+$/, { message: "externalId: letters, digits and . _ : - only." })
      .optional(),
  ),
  /** A referral code given when booking; links a new customer to the referrer. */
  referralCode: z.preprocess(blankToUndefined, z.string().trim().toUpperCase().max(20).optional()),
});
export type BookingCreateInput = z.infer<typeof bookingCreateInput>;

/**
 * What creating a booking reads from the configuration: the currency and phone region, and the
 * consent slice for the double opt-in email when the marketing consent box was ticked.
 */
export type BookingConfig = ConsentConfig & Pick<Env, "CURRENCY" | "DEFAULT_PHONE_REGION">;

/** Where a booking came from: the admin form, the booking site's API push, or the portal. */
export type BookingSource = "ADMIN" | "API" | "PORTAL";

/**
 * What a caller of `bookings.create` gets back: ids and status, nothing the caller could not
 * already know. A replay (same externalId, same key) answers exactly this shape for the first
 * booking, so repeating someone's id never reads back their contact details, notes or amount;
 * the first call answers the same shape, so a retry after a lost answer is indistinguishable
 * from the original.
 */
export interface BookingReceipt {
  booking: {
    id: string;
    customerId: string | null;
    externalId: string | null;
    status: BookingStatus;
  };
  /** False when an earlier call with the same externalId (and key) already created it. */
  created: boolean;
}

export function bookingReceipt(result: {
  booking: typeof bookings.$inferSelect;
  created: boolean;
}): BookingReceipt {
  const { id, customerId, externalRef, status } = result.booking;
  return { booking: { id, customerId, externalId: externalRef, status }, created: result.created };
}

/**
 * Creates a booking and upserts its customer in one transaction (seed Step 4), updating the
 * customer's stats. With an externalId the call is idempotent per API key: the same key and id
 * return the booking created the first time, whatever else the retry says. An id is scoped to
 * the key that pushed it (`bookings.api_key_id`): another key using the same id creates its own
 * booking and never finds the first; staff (no key) share the null namespace. The full row is
 * for trusted callers in-process; over the API, answer with `bookingReceipt`.
 */
export async function createBooking(
  { db, actor, meta, config }: Deps<BookingConfig>,
  { source, ...input }: BookingCreateInput & { source: BookingSource },
) {
  const phone = phoneOrError(input.phone, config.DEFAULT_PHONE_REGION);
  // The key that pushes a booking owns its external id.
  const apiKeyId = actor.type === "apiKey" ? actor.id : null;
  return db.transaction(async (tx) => {
    // Booking writes run side by side but never interleave with a sync from bookings.
    await lockCustomerStats(tx, "shared");
    if (input.externalId) {
      // Serialise retries of one external id of one key; the unique index on
      // (coalesce(api_key_id, zero uuid), external_ref) is the last line of defence.
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtext(${`booking:${apiKeyId ?? "staff"}:${input.externalId}`}))`,
      );
      const [existing] = await tx
        .select()
        .from(bookings)
        .where(
          and(
            eq(bookings.externalRef, input.externalId),
            apiKeyId ? eq(bookings.apiKeyId, apiKeyId) : isNull(bookings.apiKeyId),
          ),
        );
      if (existing) return { booking: existing, created: false, customerCreated: false };
    }
    const { customer, created: customerCreated } = await upsertCustomerTx(
      tx,
      { email: input.email, name: input.name, phone },
      { fillOnly: true },
    );
    if (customerCreated && input.referralCode) {
      await linkReferral(tx, customer, input.referralCode);
    }
    const [booking] = await tx
      .insert(bookings)
      .values({
        customerId: customer.id,
        externalRef: input.externalId ?? null,
        apiKeyId,
        type: input.type,
        scheduledAt: input.scheduledAt,
        guests: input.guests,
        amount: input.amount,
        currency: config.CURRENCY,
        contactEmail: input.email,
        contactName: input.name ?? null,
        contactPhone: phone ?? null,
        notes: input.notes ?? null,
        source,
        createdByStaffId: actor.type === "staff" ? actor.id : null,
      })
      .returning();
    await refreshCustomerStats(tx, [customer.id]);
    if (input.marketingConsent) {
      // Not from the signed-in customer: pending until they confirm from the emailed link.
      await recordConsentChange(tx, config, {
        customerId: customer.id,
        channel: "EMAIL",
        granted: true,
        source: source === "ADMIN" ? "STAFF" : "BOOKING_FORM",
        confirmed: false,
        staffUserId: actor.type === "staff" ? actor.id : null,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    await recordAudit(tx, actor, meta, {
      action: "booking.created",
      entityType: "booking",
      entityId: booking!.id,
      details: {
        customerId: customer.id,
        customerCreated,
        after: {
          type: booking!.type,
          status: booking!.status,
          scheduledAt: booking!.scheduledAt,
          guests: booking!.guests,
          amount: booking!.amount,
          externalRef: booking!.externalRef,
        },
        marketingConsent: input.marketingConsent,
      },
    });
    return { booking: booking!, created: true, customerCreated };
  });
}

/**
 * Links a just-created customer to the owner of a referral code. A code that looks like the
 * customer's own (`referralConflict`: same phone, look-alike email) is ignored rather than
 * refused, so the booking still goes through; it just earns no referral bonus.
 */
async function linkReferral(
  tx: Tx,
  customer: { id: string; email: string | null; phone: string | null },
  code: string,
) {
  const [referrer] = await tx
    .select({ id: customers.id, email: customers.email, phone: customers.phone })
    .from(customers)
    .where(
      and(
        eq(customers.referralCode, code),
        isNull(customers.erasedAt),
        ne(customers.id, customer.id),
      ),
    );
  if (!referrer) {
    throw new AppError("BAD_REQUEST", "Please check the highlighted fields.", {
      fieldErrors: { referralCode: ["No customer has that referral code."] },
    });
  }
  if (referralConflict(customer, referrer)) return;
  await tx
    .update(customers)
    .set({ referredById: referrer.id })
    .where(eq(customers.id, customer.id));
}
