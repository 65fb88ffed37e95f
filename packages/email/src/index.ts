export {
  type BatchEmail,
  type BatchResult,
  type BatchTransport,
  batchTransportFor,
  MAX_BATCH_SIZE,
  outboxBatchTransport,
  parseRetryAfter,
  resendBatchTransport,
} from "./batch-transport";
export {
  type MarketingMessage,
  type MarketingTemplate,
  type MergeValues,
  markdownToEmailHtml,
  type PersonalizedEmail,
  personalize,
  renderMarketingTemplate,
  SAMPLE_MERGE_VALUES,
  unknownMergeTags,
} from "./marketing";
export { type RenderedEmail, renderEmail } from "./render";
export { createRequestPacer, type PacerOptions, type RequestPacer, sleep } from "./request-pacer";
export type { SecretEmail, TemplateName, TemplateProps } from "./templates";
export { AFTER_ERASURE_TEMPLATES, SECRET_TEMPLATES, templates } from "./templates";
export {
  type EmailTag,
  type ReadTrackingTags,
  readTrackingTags,
  TRACKING_TAGS,
  type TrackingIds,
  trackingTags,
} from "./tracking-tags";
export {
  type DeliveryResult,
  type EmailTransport,
  type EmailTransportConfig,
  emailTransportName,
  emailTransportStartupNotice,
  type OutgoingEmail,
  outboxTransport,
  resendTransport,
  transportFor,
} from "./transport";
