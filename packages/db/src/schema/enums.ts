import {
  BOOKING_SOURCES,
  BOOKING_STATUSES,
  BOOKING_TYPES,
  CAMPAIGN_STATUSES,
  CONSENT_CHANNELS,
  PREFERRED_CONTACTS,
  TIERS,
  VOUCHER_STATUSES,
} from "@xplorium/domain";
import { pgEnum } from "drizzle-orm/pg-core";

// The lists every layer shares come from @xplorium/domain; the rest are the database's own.

export const staffRole = pgEnum("staff_role", ["OWNER", "MANAGER", "FRONT_DESK", "MARKETING"]);
export const loyaltyTier = pgEnum("loyalty_tier", TIERS);
export const preferredContact = pgEnum("preferred_contact", PREFERRED_CONTACTS);
export const bookingType = pgEnum("booking_type", BOOKING_TYPES);
export const bookingStatus = pgEnum("booking_status", BOOKING_STATUSES);
export const bookingSource = pgEnum("booking_source", BOOKING_SOURCES);
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
export const voucherStatus = pgEnum("voucher_status", VOUCHER_STATUSES);
export const consentChannel = pgEnum("consent_channel", CONSENT_CHANNELS);
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
export const campaignStatus = pgEnum("campaign_status", CAMPAIGN_STATUSES);
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
