import { sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  pgTable,
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
