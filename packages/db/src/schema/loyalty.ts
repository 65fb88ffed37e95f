import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { bookings } from "./bookings";
import { timestamps, tstz } from "./columns";
import { customers } from "./customers";
import { ledgerReason, loyaltyTier, voucherStatus } from "./enums";
import { staffUsers } from "./staff";

export const rewards = pgTable(
  "rewards",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Stable key matching the seed's LOYALTY_REWARDS types (FREE_BEVERAGE, ...).
    code: text("code").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    pointsCost: integer("points_cost").notNull(),
    active: boolean("active").notNull().default(true),
    stock: integer("stock"),
    voucherValidityDays: integer("voucher_validity_days").notNull().default(90),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("rewards_code_key").on(t.code),
    check("rewards_points_cost_positive", sql`${t.pointsCost} > 0`),
    check("rewards_stock_nonnegative", sql`${t.stock} is null or ${t.stock} >= 0`),
    check("rewards_validity_positive", sql`${t.voucherValidityDays} > 0`),
  ],
);

export const vouchers = pgTable(
  "vouchers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "restrict" }),
    rewardId: uuid("reward_id")
      .notNull()
      .references(() => rewards.id, { onDelete: "restrict" }),
    pointsSpent: integer("points_spent").notNull(),
    status: voucherStatus("status").notNull().default("ISSUED"),
    issuedAt: tstz("issued_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    usedByStaffId: uuid("used_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    cancelledAt: tstz("cancelled_at"),
  },
  (t) => [
    uniqueIndex("vouchers_code_key").on(t.code),
    index("vouchers_customer_idx").on(t.customerId, t.issuedAt.desc()),
    index("vouchers_status_expires_idx").on(t.status, t.expiresAt),
    check("vouchers_points_spent_positive", sql`${t.pointsSpent} > 0`),
    check("vouchers_used_has_time", sql`${t.status} <> 'USED' or ${t.usedAt} is not null`),
  ],
);

/** Append-only: every change of points is one row (DESIGN.md "Points ledger"). */
export const loyaltyLedger = pgTable(
  "loyalty_ledger",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "restrict" }),
    delta: integer("delta").notNull(),
    reason: ledgerReason("reason").notNull(),
    note: text("note"),
    balanceAfter: integer("balance_after").notNull(),
    // Whether this row moved lifetime (qualifying) points; redemptions do not.
    countsTowardLifetime: boolean("counts_toward_lifetime").notNull(),
    lifetimeAfter: integer("lifetime_after").notNull(),
    bookingId: uuid("booking_id").references(() => bookings.id, { onDelete: "restrict" }),
    voucherId: uuid("voucher_id").references(() => vouchers.id, { onDelete: "restrict" }),
    staffUserId: uuid("staff_user_id").references(() => staffUsers.id, { onDelete: "set null" }),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("loyalty_ledger_idempotency_key").on(t.idempotencyKey),
    index("loyalty_ledger_customer_idx").on(t.customerId, t.createdAt.desc()),
    index("loyalty_ledger_booking_idx").on(t.bookingId),
    check("loyalty_ledger_delta_nonzero", sql`${t.delta} <> 0`),
    check("loyalty_ledger_lifetime_nonnegative", sql`${t.lifetimeAfter} >= 0`),
  ],
);

export const tierChanges = pgTable(
  "tier_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    fromTier: loyaltyTier("from_tier").notNull(),
    toTier: loyaltyTier("to_tier").notNull(),
    reason: text("reason").notNull(),
    staffUserId: uuid("staff_user_id").references(() => staffUsers.id, { onDelete: "set null" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("tier_changes_customer_idx").on(t.customerId, t.createdAt.desc()),
    index("tier_changes_created_idx").on(t.createdAt),
    check("tier_changes_moves", sql`${t.fromTier} <> ${t.toTier}`),
  ],
);
