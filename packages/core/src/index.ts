export * from "./actor";
export { analyticsCharts, BOOKING_TYPES as ANALYTICS_BOOKING_TYPES } from "./analytics/charts";
export { CHURN_LEVELS, CHURN_RULES, type ChurnLevel } from "./analytics/churn";
export {
  type ChurnListInput,
  type ChurnListItem,
  churnList,
  churnListInput,
} from "./analytics/churn-list";
export { customerAnalytics, customerAnalyticsInput } from "./analytics/customer-analytics";
export {
  analyticsDashboard,
  type DashboardInput,
  type DashboardOptions,
  dashboardInput,
  type Kpi,
} from "./analytics/dashboard";
export {
  addDays,
  type ComparedRange,
  compareRange,
  type DateRangeInput,
  dateRangeInput,
  defaultRange,
  MAX_RANGE_DAYS,
  todayIn,
} from "./analytics/date-range";
export {
  ANALYTICS_REFRESH_TASK,
  type AnalyticsRefreshOptions,
  type AnalyticsRefreshResult,
  refreshAnalytics,
} from "./analytics/refresh";
export {
  fmScore,
  quintileScore,
  RFM_GRID,
  RFM_SEGMENTS,
  type RfmSegment,
  rfmSegmentOf,
} from "./analytics/rfm";
export { analyticsRfm } from "./analytics/rfm-overview";
export {
  type AnalyticsSnapshot,
  type AnalyticsSummary,
  type HistogramBucket,
  readSnapshot as readAnalyticsSnapshot,
} from "./analytics/summary";
export {
  type ApiKeyCreateInput,
  type ApiKeySummary,
  apiKeyCreateInput,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "./api-keys/api-key-admin";
export { type AuditListInput, auditListInput, listAudit } from "./audit/audit-list";
export { type AuditEntry, recordAudit } from "./audit/record-audit";
export {
  CODE_CHECK_FAILURE_ANSWER_MS,
  CODE_FAILED,
  CODE_REQUEST_ANSWER_MS,
  LINK_FAILED,
  requestCustomerCode,
  verifyCustomerCode,
  verifyCustomerCodeOrSignUp,
  verifyCustomerLink,
} from "./auth/customer-sign-in";
export {
  openSignUpLink,
  type SignUpInput,
  signUpCustomer,
  signUpInput,
} from "./auth/customer-sign-up";
export {
  AUTH_LIMITS,
  enforceRateLimits,
  STAFF_SIGN_IN_ACCOUNT_WIDE,
  STAFF_SIGN_IN_DELAY,
} from "./auth/rate-limits";
export { SIGN_IN_ALERT } from "./auth/sign-in-alerts";
export {
  changeOwnPassword,
  checkNewPassword,
  SAME_PASSWORD,
  WRONG_CURRENT_PASSWORD,
} from "./auth/staff-password";
export {
  confirmStaffPassword,
  PASSWORD_CONFIRM_LIMITS,
  WRONG_CONFIRM_PASSWORD,
} from "./auth/staff-password-confirm";
export {
  checkStaffPasswordReset,
  PASSWORD_RESET_ANSWER_MS,
  PASSWORD_RESET_LIMITS,
  PASSWORD_RESET_PATH,
  PASSWORD_RESET_TTL_SECONDS,
  purgeStalePasswordResets,
  RESET_LINK_INVALID,
  requestStaffPasswordReset,
  resetStaffPassword,
} from "./auth/staff-password-reset";
export { STAFF_SIGN_IN_FAILURE_ANSWER_MS, signInStaff } from "./auth/staff-sign-in";
export {
  completeStaffSignIn,
  confirmTwoFactorEnrolment,
  disableTwoFactor,
  issueSignInChallenge,
  purgeExpiredSignInChallenges,
  regenerateRecoveryCodes,
  resetStaffTwoFactor,
  type SecuritySettingsView,
  SIGN_IN_CHALLENGE_MAX_ATTEMPTS,
  SIGN_IN_CHALLENGE_TTL_SECONDS,
  securitySettingsView,
  setRequireStaffTwoFactor,
  startTwoFactorEnrolment,
  TWO_FACTOR_LIMITS,
  type TwoFactorConfig,
  type TwoFactorPolicy,
  type TwoFactorStatus,
  twoFactorPolicy,
  twoFactorStatus,
} from "./auth/staff-two-factor";
export {
  BOOKING_STATUSES,
  BOOKING_TYPES,
  type BookingCreateInput,
  type BookingCreateOptions,
  type BookingReceipt,
  bookingCreateInput,
  bookingReceipt,
  createBooking,
} from "./bookings/booking-create";
export { type BookingListInput, bookingListInput, listBookings } from "./bookings/booking-list";
export {
  bookingReviewInput,
  bookingSetStatusInput,
  recordReview,
  STATUS_TRANSITIONS,
  setBookingStatus,
} from "./bookings/booking-status";
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
export {
  type PortalConsentInput,
  portalConsentInput,
  portalPrivacyOverview,
  setConsentByCustomer,
} from "./consent/customer-consent";
export {
  listUnsubscribeHeaders,
  maskEmail,
  previewUnsubscribe,
  readUnsubscribeToken,
  UNSUBSCRIBE_INVALID_MESSAGE,
  UNSUBSCRIBE_LIMITS,
  type UnsubscribePreview,
  type UnsubscribeResult,
  type UnsubscribeTarget,
  unsubscribe,
  unsubscribeToken,
  unsubscribeUrl,
} from "./consent/unsubscribe";
export { type CsvCell, csvField, formulaSafe, personText, toCsv } from "./csv/csv";
export {
  BOOKING_STATS_AGGREGATES,
  lockCustomerStats,
  refreshCustomerStats,
} from "./customers/booking-stats";
export { customerById } from "./customers/customer-detail";
export { changeTag, setCustomerNotes, tagSchema, tagSuggestions } from "./customers/customer-edits";
export { exportCustomersCsv } from "./customers/customer-export";
export {
  CUSTOMER_SORTS,
  type CustomerListInput,
  type CustomerSort,
  countCustomers,
  customerListInput,
  listCustomers,
  SEARCH_WINDOW,
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
export {
  type CustomerFilterInput,
  customerFilterInput,
  RELEVANCE_MAX_MATCHES,
} from "./customers/customer-query";
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
export {
  type CustomerTimelineInput,
  customerTimeline,
  customerTimelineInput,
  TIMELINE_KINDS,
  type TimelineEvent,
  type TimelineKind,
} from "./customers/customer-timeline";
export { emailSchema, normalizeEmail, normalizePhone } from "./customers/identity";
export {
  BIRTH_DATE_LOCKED_MESSAGE,
  type PortalProfileInput,
  portalProfile,
  portalProfileInput,
  updateOwnProfile,
} from "./customers/portal-profile";
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
export {
  checkLedger,
  LEDGER_CHECK_KIND,
  LEDGER_CHECK_TASK,
  type LedgerCheckResult,
  lastLedgerCheck,
} from "./loyalty/ledger-check";
export {
  POINTS_EXPIRY_KIND,
  POINTS_EXPIRY_TASK,
  type PointsExpiryConfig,
  type PointsExpiryResult,
  type PointsExpirySettings,
  pointsExpirySettings,
  runPointsExpiry,
} from "./loyalty/points-expiry";
export { awardReferral, type ReferralOutcome } from "./loyalty/referral-awards";
export {
  type ReferralConflict,
  type ReferralParty,
  referralConflict,
} from "./loyalty/referral-rules";
export {
  applyReferralCode,
  friendDisplayName,
  type ReferralConfig,
  referralApplyForInput,
  referralApplyInput,
  referralCodeSchema,
  referralShareUrl,
  referralSummary,
} from "./loyalty/referrals";
export {
  activeRewardCatalogue,
  createReward,
  forgetRewardCatalogue,
  listRewards,
  REWARD_CATALOGUE_CACHE_MS,
  type RewardCreateInput,
  type RewardUpdateInput,
  rewardCreateInput,
  rewardUpdateInput,
  updateReward,
} from "./loyalty/rewards";
export * from "./loyalty/rules";
export { loyaltyRulesSummary } from "./loyalty/rules-summary";
export {
  type AdjustPointsInput,
  adjustPoints,
  adjustPointsInput,
  setVip,
  setVipInput,
} from "./loyalty/staff-adjustments";
export { tierHistory, tierHistoryInput, tierScale } from "./loyalty/tier-history";
export {
  cancelVoucher,
  cancelVoucherInput,
  expireVouchers,
  generateVoucherCode,
  listRecentVouchers,
  listVouchersForCustomer,
  lookupVoucher,
  markVoucherUsed,
  type RedeemRewardInput,
  redeemReward,
  redeemRewardInput,
  VOUCHER_CODE_PREFIX,
  type VoucherState,
  type VoucherView,
  voucherCodeCandidates,
  voucherCodeInput,
  voucherIdInput,
  voucherListInput,
} from "./loyalty/vouchers";
export {
  AUTOMATION_KINDS,
  AUTOMATION_TEMPLATE,
  AUTOMATIONS_TASK,
  type AutomationKind,
  type AutomationRunResult,
  type AutomationsConfig,
  runAutomations,
  TIER_UPGRADE_LOOKBACK_DAYS,
} from "./marketing/automation-runner";
export {
  AUTOMATION_INFO,
  type AutomationLogInput,
  type AutomationPreviewInput,
  type AutomationSetEnabledInput,
  type AutomationUpdateInput,
  automationKindInput,
  automationLog,
  automationLogInput,
  automationPreviewInput,
  automationSetEnabledInput,
  automationUpdateInput,
  listAutomations,
  previewAutomationMessage,
  requestAutomationRun,
  setAutomationEnabled,
  updateAutomation,
} from "./marketing/automations";
export {
  batchIdempotencyKey,
  CAMPAIGN_BATCH_SIZE,
  CAMPAIGN_RESUME_TASK,
  CAMPAIGN_TEMPLATE,
  CampaignNotSendable,
  type CampaignSender,
  type CampaignSendOutcome,
  DEFAULT_RETRY,
  failCampaign,
  NOT_SENT,
  type RetryPolicy,
  resumeStalledCampaigns,
  runCampaignSend,
} from "./marketing/campaign-send";
export {
  CAMPAIGN_SEND_MAX_ATTEMPTS,
  CAMPAIGN_SEND_TASK,
  CANCELLED_ERROR,
  type CampaignConfig,
  type CampaignCreateInput,
  type CampaignPreviewInput,
  type CampaignScheduleInput,
  type CampaignStatus,
  type CampaignTestSendInput,
  type CampaignUpdateInput,
  campaignCreateInput,
  campaignIdInput,
  campaignJobKey,
  campaignPreviewInput,
  campaignProgress,
  campaignScheduleInput,
  campaignTestSendInput,
  campaignUpdateInput,
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  scheduleCampaign,
  sendCampaignNow,
  sendCampaignTest,
  updateCampaign,
} from "./marketing/campaigns";
export {
  exportMarketingListCsv,
  type MarketingExportInput,
  marketingExportInput,
} from "./marketing/marketing-export";
export { type MergeSource, mergeValuesFor } from "./marketing/merge-values";
export {
  createSegment,
  deleteSegment,
  duplicateSegment,
  getSegment,
  listSegments,
  type MarketingListInput,
  marketingList,
  marketingListInput,
  marketingWhere,
  parseSegmentFilter,
  type SegmentCreateInput,
  type SegmentFilter,
  type SegmentFilterInput,
  type SegmentPreviewInput,
  type SegmentQueryOptions,
  type SegmentUpdateInput,
  segmentCount,
  segmentCreateInput,
  segmentFilter,
  segmentIdInput,
  segmentPreview,
  segmentPreviewInput,
  segmentUpdateInput,
  segmentWhere,
  updateSegment,
} from "./marketing/segments";
export {
  BOOKING_TYPE_LABELS,
  describeLedgerRow,
  type LedgerRowFacts,
} from "./portal/ledger-labels";
export {
  activeVoucherCount,
  type PortalCursor,
  type PortalPageInput,
  portalBookings,
  portalPageInput,
  portalPoints,
  portalVoucherByCode,
} from "./portal/portal-history";
export { portalSummary, tierProgress } from "./portal/portal-summary";
export { loyaltyProgramme, type WayToEarn, waysToEarn } from "./portal/ways-to-earn";
export { ERASED, type ErasedIdentity, scrubAuditDetails } from "./privacy/audit-scrub";
export {
  ERASE_CONFIRM_WORD,
  type EraseCustomerInput,
  type ErasureConfig,
  type ErasureResult,
  eraseConfirmation,
  eraseCustomer,
} from "./privacy/customer-erasure";
export { listGdprRequests } from "./privacy/gdpr-requests";
export {
  collectPersonalData,
  exportPersonalData,
  type GdprSource,
  PERSONAL_DATA_TABLES,
  type PersonalData,
} from "./privacy/personal-data-export";
export {
  bookingsCsv,
  personalDataFileName,
  personalDataZip,
  pointsCsv,
} from "./privacy/personal-data-zip";
export { emailSuppressionHash, sqlEmailSuppressionHash } from "./privacy/suppression-hash";
export * from "./seed";
export {
  createStaff,
  listStaff,
  type StaffMember,
  type StaffUpdate,
  updateStaff,
} from "./staff/staff-admin";
export {
  type CampaignReport,
  type CampaignReportPoint,
  type CampaignReportRates,
  type CampaignReportTotals,
  campaignReport,
  campaignReportInput,
} from "./tracking/campaign-report";
export {
  type EmailEventOutcome,
  isHardBounce,
  type RecordEmailEventResult,
  recordEmailEvent,
} from "./tracking/record-email-event";
export {
  type ParsedResendWebhook,
  parseResendWebhook,
  type ResendEmailEvent,
  TRACKED_EVENT_TYPES,
  type TrackedEventType,
} from "./tracking/resend-event";
export {
  opensAndClicksTracked,
  type TrackingSettings,
  type TrackingSettingsInput,
  trackingSettings,
  trackingSettingsInput,
  updateTrackingSettings,
} from "./tracking/tracking-settings";
export {
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookSignatureHeaders,
  type WebhookSignatureVerdict,
} from "./tracking/webhook-signature";
