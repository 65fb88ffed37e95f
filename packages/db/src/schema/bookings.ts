import { sql } from "drizzle-orm";
import {
  bigint,
  char,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { apiKeys } from "./auth";
import { timestamps, tstz } from "./columns";
import { customers } from "./customers";
import { bookingSource, bookingStatus, bookingType } from "./enums";
import { staffUsers } from "./staff";

export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Null only for imported bookings not yet linked by customers.syncFromBookings.
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "restrict" }),
    // The booking site's own id, so pushes through the API are idempotent. Scoped to the API
    // key that pushed it (`api_key_id`): one key can neither see nor replay another's ids.
    externalRef: text("external_ref"),
    apiKeyId: uuid("api_key_id").references(() => apiKeys.id, { onDelete: "restrict" }),
    type: bookingType("type").notNull(),
    status: bookingStatus("status").notNull().default("PENDING"),
    scheduledAt: tstz("scheduled_at").notNull(),
    guests: integer("guests").notNull().default(1),
    amount: bigint("amount", { mode: "number" }).notNull().default(0),
    currency: char("currency", { length: 3 }).notNull(),
    // Contact details as given on the booking; removed on erasure.
    contactEmail: text("contact_email"),
    contactName: text("contact_name"),
    contactPhone: text("contact_phone"),
    notes: text("notes"),
    source: bookingSource("source").notNull().default("ADMIN"),
    completedAt: tstz("completed_at"),
    // Staff recorded "review posted" (+25 points, once per booking).
    reviewPostedAt: tstz("review_posted_at"),
    cancelledAt: tstz("cancelled_at"),
    createdByStaffId: uuid("created_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    ...timestamps,
  },
  (t) => [
    // One booking per (key, external id); ids pushed without a key share the null namespace.
    uniqueIndex("bookings_api_key_external_ref_key")
      .on(sql`coalesce(${t.apiKeyId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.externalRef)
      .where(sql`${t.externalRef} is not null`),
    index("bookings_customer_scheduled_idx").on(t.customerId, t.scheduledAt.desc()),
    index("bookings_scheduled_idx").on(t.scheduledAt.desc(), t.id),
    index("bookings_status_scheduled_idx").on(t.status, t.scheduledAt.desc()),
    // syncFromBookings finds unlinked bookings by their normalised contact email.
    index("bookings_unlinked_email_idx")
      .on(sql`lower(btrim(${t.contactEmail}))`)
      .where(sql`${t.customerId} is null`),
    check("bookings_guests_positive", sql`${t.guests} > 0`),

    check("bookings_amount_nonnegative", sql`${t.amount} >= 0`),
    check(
      "bookings_completed_has_time",
      sql`${t.status} <> 'COMPLETED' or ${t.completedAt} is not null`,
    ),
  ],
);
