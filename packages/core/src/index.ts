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
export { customerById } from "./customers/customer-detail";
export { changeTag, setCustomerNotes, tagSchema, tagSuggestions } from "./customers/customer-edits";
export {
  CUSTOMER_SORTS,
  type CustomerListInput,
  type CustomerSort,
  customerListInput,
  listCustomers,
} from "./customers/customer-list";
export {
  canonicalEmail,
  DUPLICATE_REASONS,
  type DuplicateReason,
  duplicateSuggestions,
  type MergeCustomersInput,
  type MergeKeep,
  mergeCustomers,
  mergeCustomersInput,
  mergeKeep,
  mergePreview,
  mergePreviewInput,
} from "./customers/customer-merge";
export {
  type CustomerUpdateInput,
  type CustomerUpsertInput,
  customerUpdateInput,
  customerUpsertInput,
  findCustomerByEmailForUpdate,
  PREFERRED_CONTACT,
  phoneOrError,
  updateCustomer,
  upsertCustomer,
  upsertCustomerTx,
} from "./customers/customer-profile";
export { customerSummary } from "./customers/customer-summary";
export {
  type CustomerTimelineInput,
  customerTimeline,
  customerTimelineInput,
  TIMELINE_KINDS,
  type TimelineEvent,
  type TimelineKind,
} from "./customers/customer-timeline";
export { emailSchema, normalizeEmail, normalizePhone } from "./customers/identity";
export { generateReferralCode, randomCode, UNAMBIGUOUS_ALPHABET } from "./customers/referral-code";
export { listOutbox } from "./email/outbox";
export { AppError, type AppErrorCode, notFound } from "./errors";
export {
  COUNTS_TOWARD_LIFETIME,
  type LedgerPosting,
  type LedgerReason,
  ledgerDrift,
  lockCustomerForPoints,
  type PostingResult,
  postPoints,
  setTierVip,
  type TierChange,
} from "./loyalty/ledger";
export * from "./loyalty/rules";
export {
  type AdjustPointsInput,
  adjustPoints,
  adjustPointsInput,
  setVip,
  setVipInput,
} from "./loyalty/staff-adjustments";
export * from "./seed";
export {
  createStaff,
  listStaff,
  type StaffMember,
  type StaffUpdate,
  updateStaff,
} from "./staff/staff-admin";
