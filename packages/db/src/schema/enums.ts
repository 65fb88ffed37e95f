import { pgEnum } from "drizzle-orm/pg-core";

export const staffRole = pgEnum("staff_role", ["OWNER", "MANAGER", "FRONT_DESK", "MARKETING"]);
export const loyaltyTier = pgEnum("loyalty_tier", ["BRONZE", "SILVER", "GOLD", "PLATINUM", "VIP"]);
export const preferredContact = pgEnum("preferred_contact", ["EMAIL", "PHONE", "SMS", "ANY"]);
export const bookingType = pgEnum("booking_type", ["CAFE", "PLAYGROUND", "PARTY", "EVENT"]);
export const bookingStatus = pgEnum("booking_status", [
  "PENDING",
  "APPROVED",
  "COMPLETED",
  "CANCELLED",
]);
export const bookingSource = pgEnum("booking_source", ["ADMIN", "API", "PORTAL", "IMPORT", "SEED"]);
export const sessionKind = pgEnum("session_kind", ["STAFF", "CUSTOMER"]);
export const ledgerReason = pgEnum("ledger_reason", [
  "BOOKING_COMPLETED",
  "BOOKING_REVERSED",
  "REFERRAL_REFERRER",
  "REFERRAL_REFEREE",
  "REVIEW_POSTED",
  "MANUAL_ADJUSTMENT",
  "REDEMPTION",
  "VOUCHER_REFUND",
  "POINTS_EXPIRED",
  "MERGE",
]);
export const voucherStatus = pgEnum("voucher_status", ["ISSUED", "USED", "CANCELLED", "EXPIRED"]);
export const consentChannel = pgEnum("consent_channel", ["EMAIL", "SMS"]);
export const consentAction = pgEnum("consent_action", ["GRANTED", "WITHDRAWN"]);
export const consentState = pgEnum("consent_state", ["CONFIRMED", "PENDING"]);
export const consentSource = pgEnum("consent_source", [
  "PORTAL",
  "STAFF",
  "BOOKING_FORM",
  "UNSUBSCRIBE_LINK",
  "IMPORT",
  "API",
  // A spam complaint reported by the mail provider (Resend's email.complained webhook).
  "COMPLAINT",
]);
export const campaignStatus = pgEnum("campaign_status", [
  "DRAFT",
  "SCHEDULED",
  "SENDING",
  "SENT",
  "CANCELLED",
  "FAILED",
]);
export const emailKind = pgEnum("email_kind", ["TRANSACTIONAL", "MARKETING"]);
export const emailTransport = pgEnum("email_transport", ["RESEND", "OUTBOX"]);
export const emailStatus = pgEnum("email_status", [
  "QUEUED",
  "SENT",
  "DELIVERED",
  "BOUNCED",
  "COMPLAINED",
  "FAILED",
]);
export const suppressionReason = pgEnum("suppression_reason", [
  "HARD_BOUNCE",
  "COMPLAINT",
  "ERASURE",
  "MANUAL",
]);
export const actorType = pgEnum("actor_type", ["STAFF", "CUSTOMER", "API_KEY", "SYSTEM"]);
export const gdprRequestType = pgEnum("gdpr_request_type", ["EXPORT", "ERASURE"]);
export const gdprRequestStatus = pgEnum("gdpr_request_status", ["PENDING", "COMPLETED", "FAILED"]);
export const gdprRequestSource = pgEnum("gdpr_request_source", ["PORTAL", "STAFF"]);
export const jobRunStatus = pgEnum("job_run_status", ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]);
