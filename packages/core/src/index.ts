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
  type ChannelConsent,
  CONSENT_CHANNELS,
  CONSENT_CONFIRM_TTL_DAYS,
  CONSENT_WORDING,
  type ConsentChangeInput,
  type ConsentChangeResult,
  type ConsentChannel,
  type ConsentConfig,
  type ConsentConfirmation,
  type ConsentEventStatus,
  type ConsentLinkPreview,
  type ConsentSource,
  type ConsentWording,
  confirmConsent,
  consentConfirmUrl,
  consentHistory,
  previewConsentLink,
  recordConsentChange,
  setConsentByStaff,
} from "./consent/consent";
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
export { emailSchema, normalizeEmail, normalizePhone } from "./customers/identity";
export { generateReferralCode, randomCode, UNAMBIGUOUS_ALPHABET } from "./customers/referral-code";
export { listOutbox } from "./email/outbox";
export { AppError, type AppErrorCode, notFound } from "./errors";
export * from "./loyalty/rules";
export * from "./seed";
export {
  createStaff,
  listStaff,
  type StaffMember,
  type StaffUpdate,
  updateStaff,
} from "./staff/staff-admin";
