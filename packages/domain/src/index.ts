/**
 * The domain's vocabulary, in one place for every layer: the database enums are built from these
 * lists (packages/db/src/schema/enums.ts), core and the API validate against them, and the apps
 * (which never import core or db) render and filter with them. No dependencies, no I/O.
 */

/** Loyalty tiers, lowest first. VIP is given by staff, never earned. */
export const TIERS = ["BRONZE", "SILVER", "GOLD", "PLATINUM", "VIP"] as const;
export type Tier = (typeof TIERS)[number];
/** The tiers lifetime points reach (VIP excluded). */
export const EARNED_TIERS = ["BRONZE", "SILVER", "GOLD", "PLATINUM"] as const;
export type EarnedTier = (typeof EARNED_TIERS)[number];

export const BOOKING_TYPES = ["CAFE", "PLAYGROUND", "PARTY", "EVENT"] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];
export const BOOKING_STATUSES = ["PENDING", "APPROVED", "COMPLETED", "CANCELLED"] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** The statuses staff can move a booking to (every booking starts PENDING). */
export const BOOKING_STATUS_CHANGES = ["APPROVED", "COMPLETED", "CANCELLED"] as const;
export type BookingStatusChange = (typeof BOOKING_STATUS_CHANGES)[number];
/** Which status changes staff can make from each status (CANCELLED is final). */
export const BOOKING_STATUS_TRANSITIONS: Record<BookingStatus, readonly BookingStatusChange[]> = {
  PENDING: ["APPROVED", "COMPLETED", "CANCELLED"],
  APPROVED: ["COMPLETED", "CANCELLED"],
  COMPLETED: ["CANCELLED"],
  CANCELLED: [],
};
export const BOOKING_SOURCES = ["ADMIN", "API", "PORTAL", "IMPORT", "SEED"] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];

export const PREFERRED_CONTACTS = ["EMAIL", "PHONE", "SMS", "ANY"] as const;
export type PreferredContact = (typeof PREFERRED_CONTACTS)[number];

export const VOUCHER_STATUSES = ["ISSUED", "USED", "CANCELLED", "EXPIRED"] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export const CONSENT_CHANNELS = ["EMAIL", "SMS"] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const CAMPAIGN_STATUSES = [
  "DRAFT",
  "SCHEDULED",
  "SENDING",
  "SENT",
  "CANCELLED",
  "FAILED",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The merge tags a campaign or automation may use: `{{firstName}}` and so on. */
export const MERGE_TAGS = ["firstName", "points", "tier", "pointsToNextTier"] as const;
export type MergeTag = (typeof MERGE_TAGS)[number];

/** The marketing automations, one row each in `marketing_automations`. */
export const AUTOMATION_KINDS = ["BIRTHDAY", "WIN_BACK", "TIER_UPGRADE"] as const;
export type AutomationKind = (typeof AUTOMATION_KINDS)[number];

/**
 * An automation's settings, all in days: what messages call each, and its limits (the table's
 * check constraints, migration 0004).
 */
export const AUTOMATION_SETTINGS = {
  daysBefore: { what: "days before the birthday", min: 0, max: 60 },
  inactivityDays: { what: "inactivity", min: 14, max: 1095 },
  cooldownDays: { what: "the cooldown", min: 7, max: 1095 },
} as const;
export type AutomationSetting = keyof typeof AUTOMATION_SETTINGS;
/** Which settings each automation reads (the others stay untouched). */
export const AUTOMATION_SETTINGS_OF: Record<AutomationKind, readonly AutomationSetting[]> = {
  BIRTHDAY: ["daysBefore"],
  WIN_BACK: ["inactivityDays", "cooldownDays"],
  TIER_UPGRADE: [],
};

/**
 * Every job the worker runs, by graphile-worker task name (`domain:action`: its crontab does not
 * accept `.`). Core enqueues by these names inside the transaction that makes the job due; the
 * worker registers a task under each (apps/worker/src/tasks/index.ts).
 */
export const JOBS = {
  sendEmail: "email:send",
  dropExpiredSecretBodies: "email:drop-expired-secret-bodies",
  purgeExpiredAuth: "auth:purge-expired",
  syncCustomers: "customers:sync",
  expirePoints: "loyalty:expire-points",
  checkLedger: "loyalty:check-ledger",
  expireVouchers: "loyalty:expire-vouchers",
  runAutomations: "marketing:run-automations",
  sendCampaign: "campaign:send",
  resumeCampaigns: "campaign:resume",
  refreshAnalytics: "analytics:refresh",
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];
