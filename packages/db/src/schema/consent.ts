import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { customers } from "./customers";
import { consentAction, consentChannel, consentSource, consentState } from "./enums";
import { staffUsers } from "./staff";

/** Every consent change, never updated except to confirm a pending (double opt-in) grant. */
export const consentEvents = pgTable(
  "consent_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    channel: consentChannel("channel").notNull(),
    action: consentAction("action").notNull(),
    state: consentState("state").notNull().default("CONFIRMED"),
    source: consentSource("source").notNull(),
    wordingVersion: text("wording_version").notNull(),
    wording: text("wording"),
    staffUserId: uuid("staff_user_id").references(() => staffUsers.id, { onDelete: "set null" }),
    ip: text("ip"),
    userAgent: text("user_agent"),
    confirmedAt: tstz("confirmed_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("consent_events_customer_idx").on(t.customerId, t.createdAt.desc())],
);
