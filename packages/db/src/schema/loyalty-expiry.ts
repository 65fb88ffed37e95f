import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  uuid,
} from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { customers } from "./customers";
import { emailMessages } from "./marketing";

/**
 * What the loyalty programme must remember between runs; one row (id 1). Configuration itself
 * lives in the environment (POINTS_EXPIRY_MONTHS …); this keeps only facts about the past.
 */
export const loyaltySettings = pgTable(
  "loyalty_settings",
  {
    id: smallint("id").primaryKey().default(1),
    // When the expiry job first ran with expiry on; cleared when it runs with expiry off.
    // Inactivity counts from here at the earliest, so turning expiry on is never retroactive.
    pointsExpiryEnabledAt: tstz("points_expiry_enabled_at"),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("loyalty_settings_singleton", sql`${t.id} = 1`)],
);

/**
 * One warning per customer per expiry: the points-expiry job writes it with the email in one
 * transaction, and expires points only once a customer has been told (DESIGN.md "Earning rules").
 */
export const pointsExpiryNotices = pgTable(
  "points_expiry_notices",
  {
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    // The venue-local date inactivity alone expires the points on.
    dueOn: date("due_on", { mode: "string" }).notNull(),
    // The date the warning named: dueOn, or later if the warning went out late.
    expiresOn: date("expires_on", { mode: "string" }).notNull(),
    // The balance when warned (what the email said).
    points: integer("points").notNull(),
    // Null when no email could go out (suppressed address); the notice still counts.
    emailMessageId: uuid("email_message_id").references(() => emailMessages.id, {
      onDelete: "set null",
    }),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.dueOn] }),
    index("points_expiry_notices_expires_idx").on(t.expiresOn),
    check("points_expiry_notices_not_early", sql`${t.expiresOn} >= ${t.dueOn}`),
  ],
);
