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
    // The booking site's own id, so pushes through the API are idempotent.
    externalRef: text("external_ref"),
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
    uniqueIndex("bookings_external_ref_key").on(t.externalRef),
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
