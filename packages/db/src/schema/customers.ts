import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { bookingType, loyaltyTier, preferredContact } from "./enums";

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Trimmed and lower-cased; null only once the customer has been erased.
    email: text("email"),
    name: text("name"),
    // E.164
    phone: text("phone"),
    loyaltyPoints: integer("loyalty_points").notNull().default(0),
    lifetimePoints: integer("lifetime_points").notNull().default(0),
    loyaltyTier: loyaltyTier("loyalty_tier").notNull().default("BRONZE"),
    // Integer minor units of the configured currency.
    totalSpent: bigint("total_spent", { mode: "number" }).notNull().default(0),
    preferredContactMethod: preferredContact("preferred_contact_method").notNull().default("EMAIL"),
    // Off until given (DESIGN.md "Consent"); kept in step with consent_events.
    marketingOptIn: boolean("marketing_opt_in").notNull().default(false),
    smsOptIn: boolean("sms_opt_in").notNull().default(false),
    preferredTypes: bookingType("preferred_types").array().notNull().default(sql`'{}'`),
    notes: text("notes"),
    tags: text("tags").array().notNull().default(sql`'{}'`),
    totalBookings: integer("total_bookings").notNull().default(0),
    firstBookingAt: tstz("first_booking_at"),
    lastBookingAt: tstz("last_booking_at"),
    // The booking site's user account, when the customer has one.
    userId: text("user_id"),
    birthDate: date("birth_date"),
    birthDateSetAt: tstz("birth_date_set_at"),
    referralCode: text("referral_code").notNull(),
    referredById: uuid("referred_by_id").references((): AnyPgColumn => customers.id, {
      onDelete: "set null",
    }),
    erasedAt: tstz("erased_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("customers_email_key").on(t.email),
    uniqueIndex("customers_user_id_key").on(t.userId),
    uniqueIndex("customers_referral_code_key").on(t.referralCode),
    check("customers_email_normalised", sql`${t.email} = lower(btrim(${t.email}))`),
    check("customers_email_present", sql`${t.email} is not null or ${t.erasedAt} is not null`),
    check("customers_lifetime_points_nonnegative", sql`${t.lifetimePoints} >= 0`),
    check("customers_total_spent_nonnegative", sql`${t.totalSpent} >= 0`),
    check("customers_total_bookings_nonnegative", sql`${t.totalBookings} >= 0`),
    check("customers_not_self_referred", sql`${t.referredById} <> ${t.id}`),
    index("customers_email_trgm_idx").using("gin", t.email.op("gin_trgm_ops")),
    index("customers_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
    index("customers_phone_trgm_idx").using("gin", t.phone.op("gin_trgm_ops")),
    index("customers_tags_idx").using("gin", t.tags),
    index("customers_tier_idx").on(t.loyaltyTier, t.id),
    index("customers_last_booking_idx").on(t.lastBookingAt.desc().nullsLast(), t.id),
    // The customer list's default order and keyset (customer-query.ts "lastBooking": the sort
    // key never null), walked backwards for "most recent first".
    index("customers_last_booking_key_idx").on(
      sql`coalesce(${t.lastBookingAt}, '-infinity'::timestamptz)`,
      t.id,
    ),
    index("customers_created_at_idx").on(t.createdAt, t.id),
    index("customers_referred_by_idx").on(t.referredById),
  ],
);

/** Old addresses of merged customers, so later bookings find the survivor. */
export const customerEmailAliases = pgTable(
  "customer_email_aliases",
  {
    email: text("email").primaryKey(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("customer_email_aliases_customer_idx").on(t.customerId),
    check("customer_email_aliases_normalised", sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);
