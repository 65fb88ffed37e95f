export * from "./actor";
export { type AuditListInput, auditListInput, listAudit } from "./audit/audit-list";
export { type AuditEntry, recordAudit } from "./audit/record-audit";
export {
  requestCustomerCode,
  verifyCustomerCode,
  verifyCustomerLink,
} from "./auth/customer-sign-in";
export { AUTH_LIMITS, enforceRateLimits } from "./auth/rate-limits";
export { signInStaff } from "./auth/staff-sign-in";
export {
  BOOKING_STATS_AGGREGATES,
  lockCustomerStats,
  refreshCustomerStats,
} from "./customers/booking-stats";
export { customerById } from "./customers/customer-detail";
export { changeTag, setCustomerNotes, tagSchema, tagSuggestions } from "./customers/customer-edits";
export {
  CUSTOMER_SORTS,
  type CustomerListInput,
  type CustomerSort,
  customerListInput,
  listCustomers,
} from "./customers/customer-list";
export { customerSummary } from "./customers/customer-summary";
export {
  CUSTOMER_SYNC_KIND,
  CUSTOMER_SYNC_TASK,
  type CustomerSyncOutcome,
  type CustomerSyncRun,
  type CustomerSyncStep,
  customerSyncStatus,
  runCustomerSync,
  startCustomerSync,
} from "./customers/customer-sync-job";
export { emailSchema, normalizeEmail, normalizePhone } from "./customers/identity";
export {
  generateReferralCode,
  REFERRAL_CODE_PREFIX,
  randomCode,
  UNAMBIGUOUS_ALPHABET,
} from "./customers/referral-code";
export {
  type SyncFromBookingsResult,
  syncFromBookings,
  syncFromBookingsInTx,
} from "./customers/sync-from-bookings";
export { listOutbox } from "./email/outbox";
export { AppError, type AppErrorCode, notFound } from "./errors";
export * from "./loyalty/rules";
export { emailSuppressionHash, sqlEmailSuppressionHash } from "./privacy/suppression-hash";
export * from "./seed";
export {
  createStaff,
  listStaff,
  type StaffMember,
  type StaffUpdate,
  updateStaff,
} from "./staff/staff-admin";
