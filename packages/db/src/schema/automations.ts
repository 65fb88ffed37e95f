import { AUTOMATION_KINDS } from "@xplorium/domain";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { customers } from "./customers";
import { emailMessages } from "./marketing";
import { staffUsers } from "./staff";

export const automationKind = pgEnum("automation_kind", AUTOMATION_KINDS);

/**
 * The marketing automations (DESIGN.md "Marketing"): one row per kind, created OFF with a default
 * template by migration 0004. Each kind reads only its own settings: BIRTHDAY `days_before`,
 * WIN_BACK `inactivity_days` and `cooldown_days`, TIER_UPGRADE none.
 */
export const marketingAutomations = pgTable(
  "marketing_automations",
  {
    kind: automationKind("kind").primaryKey(),
    enabled: boolean("enabled").notNull().default(false),
    // When it was last switched on: tier upgrades before this are never congratulated.
    enabledAt: tstz("enabled_at"),
    daysBefore: integer("days_before").notNull().default(7),
    inactivityDays: integer("inactivity_days").notNull().default(90),
    cooldownDays: integer("cooldown_days").notNull().default(180),
    subject: text("subject").notNull(),
    preheader: text("preheader").notNull().default(""),
    bodyMarkdown: text("body_markdown").notNull().default(""),
    lastRunAt: tstz("last_run_at"),
    updatedByStaffId: uuid("updated_by_staff_id").references(() => staffUsers.id, {
      onDelete: "set null",
    }),
    ...timestamps,
  },
  (t) => [
    check("marketing_automations_days_before", sql`${t.daysBefore} between 0 and 60`),
    check("marketing_automations_inactivity", sql`${t.inactivityDays} between 14 and 1095`),
    check("marketing_automations_cooldown", sql`${t.cooldownDays} between 7 and 1095`),
    check(
      "marketing_automations_enabled_has_time",
      sql`not ${t.enabled} or ${t.enabledAt} is not null`,
    ),
  ],
);

/**
 * The send log and the idempotency guard in one: a customer's period of an automation is claimed
 * by inserting its row, and the unique (automation, customer, period) makes that happen once
 * however often and however concurrently the job runs (ADR "automation periods").
 */
export const automationSends = pgTable(
  "automation_sends",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    automation: automationKind("automation").notNull(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    // BIRTHDAY: the birthday's year; WIN_BACK: "first" or "after:<date of the previous one>";
    // TIER_UPGRADE: the tier_changes id.
    periodKey: text("period_key").notNull(),
    emailMessageId: uuid("email_message_id").references(() => emailMessages.id, {
      onDelete: "set null",
    }),
    // The run's clock (tests pass a fixed one), not the commit time.
    sentAt: tstz("sent_at").notNull(),
  },
  (t) => [
    uniqueIndex("automation_sends_period_key").on(t.automation, t.customerId, t.periodKey),
    index("automation_sends_log_idx").on(t.automation, t.sentAt.desc(), t.id.desc()),
  ],
);
