import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { tstz } from "./columns";
import { customers } from "./customers";
import { sessionKind } from "./enums";
import { staffUsers } from "./staff";

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // postgres.js sends and returns bytea as a Buffer; callers see a plain Uint8Array.
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => new Uint8Array(value),
});

/**
 * Lucia-style sessions: the cookie holds `id.secret`; only SHA-256(secret) is stored.
 * One table for both kinds; the check keeps each row bound to exactly one principal.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: bytea("secret_hash").notNull(),
    kind: sessionKind("kind").notNull(),
    staffUserId: uuid("staff_user_id").references(() => staffUsers.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
    lastVerifiedAt: tstz("last_verified_at").notNull().defaultNow(),
    // Staff: when the password was last entered in this session (sign-in, or the "confirm your
    // password" step before an owner-level action).
    passwordConfirmedAt: tstz("password_confirmed_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("sessions_staff_user_idx").on(t.staffUserId),
    index("sessions_customer_idx").on(t.customerId),
    index("sessions_last_verified_idx").on(t.lastVerifiedAt),
    check(
      "sessions_one_principal",
      sql`(${t.kind} = 'STAFF' and ${t.staffUserId} is not null and ${t.customerId} is null)
        or (${t.kind} = 'CUSTOMER' and ${t.customerId} is not null and ${t.staffUserId} is null)`,
    ),
  ],
);

/** Passwordless customer sign-in: a 6-digit code and a magic link, both stored hashed. */
export const loginCodes = pgTable(
  "login_codes",
  {
    id: text("id").primaryKey(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    codeHash: bytea("code_hash").notNull(),
    linkSecretHash: bytea("link_secret_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: tstz("expires_at").notNull(),
    consumedAt: tstz("consumed_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("login_codes_customer_idx").on(t.customerId, t.createdAt.desc()),
    index("login_codes_expires_idx").on(t.expiresAt),
    check("login_codes_attempts_nonnegative", sql`${t.attempts} >= 0`),
  ],
);

/** Keys for the booking site; `prefix` is shown and looked up, only SHA-256 of the secret kept. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: bytea("secret_hash").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'`),
    createdByStaffId: uuid("created_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    lastUsedAt: tstz("last_used_at"),
    revokedAt: tstz("revoked_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_keys_prefix_key").on(t.prefix)],
);

/** Fixed-window counters shared by every instance (DESIGN.md "Auth"). */
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    key: text("key").primaryKey(),
    count: integer("count").notNull(),
    resetAt: tstz("reset_at").notNull(),
  },
  (t) => [index("rate_limit_buckets_reset_idx").on(t.resetAt)],
);

/** "Forgot password" for staff: a single-use link; only SHA-256 of its secret is stored. */
export const staffPasswordResets = pgTable(
  "staff_password_resets",
  {
    id: text("id").primaryKey(),
    secretHash: bytea("secret_hash").notNull(),
    staffUserId: uuid("staff_user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    ip: text("ip"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("staff_password_resets_staff_idx").on(t.staffUserId, t.createdAt.desc()),
    index("staff_password_resets_expires_idx").on(t.expiresAt),
  ],
);

/**
 * The second step of a staff sign-in with two-factor authentication: the password was right,
 * the TOTP (or a recovery code) is still owed. Only SHA-256 of the challenge's secret is stored.
 */
export const staffSignInChallenges = pgTable(
  "staff_sign_in_challenges",
  {
    id: text("id").primaryKey(),
    secretHash: bytea("secret_hash").notNull(),
    staffUserId: uuid("staff_user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: tstz("expires_at").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("staff_sign_in_challenges_staff_idx").on(t.staffUserId),
    index("staff_sign_in_challenges_expires_idx").on(t.expiresAt),
    check("staff_sign_in_challenges_attempts_nonnegative", sql`${t.attempts} >= 0`),
  ],
);

/** Ten one-time recovery codes per enrolled staff member, stored hashed. */
export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    staffUserId: uuid("staff_user_id")
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    codeHash: bytea("code_hash").notNull(),
    usedAt: tstz("used_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [index("staff_recovery_codes_staff_idx").on(t.staffUserId)],
);

/** Venue-wide security switches, edited by owners; one row (id 1). */
export const securitySettings = pgTable(
  "security_settings",
  {
    id: smallint("id").primaryKey().default(1),
    // Every staff member must use two-factor sign-in (owners must once any owner has enrolled).
    requireStaffTwoFactor: boolean("require_staff_two_factor").notNull().default(false),
    updatedByStaffId: uuid("updated_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("security_settings_singleton", sql`${t.id} = 1`)],
);
