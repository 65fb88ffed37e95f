import { sql } from "drizzle-orm";
import { check, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { staffRole } from "./enums";

export const staffUsers = pgTable(
  "staff_users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: staffRole("role").notNull(),
    disabledAt: tstz("disabled_at"),
    passwordChangedAt: tstz("password_changed_at").notNull().defaultNow(),
    lastSignInAt: tstz("last_sign_in_at"),
    // Two-factor sign-in (TOTP): the secret, encrypted with a key derived from SESSION_SECRET;
    // `totp_pending_secret` during enrolment until the first code is confirmed.
    totpSecret: text("totp_secret"),
    totpPendingSecret: text("totp_pending_secret"),
    totpEnabledAt: tstz("totp_enabled_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("staff_users_email_key").on(t.email),
    check("staff_users_email_normalised", sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);
