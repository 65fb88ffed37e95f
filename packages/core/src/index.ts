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
export { exportCustomersCsv } from "./customers/customer-export";
export {
  CUSTOMER_SORTS,
  type CustomerListInput,
  type CustomerSort,
  customerListInput,
  listCustomers,
} from "./customers/customer-list";
export { type CustomerFilterInput, customerFilterInput } from "./customers/customer-query";
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
