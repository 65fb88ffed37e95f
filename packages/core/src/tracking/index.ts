/** The tracking domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { campaignReport, campaignReportInput } from "./campaign-report";
export { recordEmailEvent } from "./record-email-event";
export { parseResendWebhook } from "./resend-event";
export {
  trackingSettings,
  trackingSettingsInput,
  updateTrackingSettings,
} from "./tracking-settings";
export { verifyWebhookSignature } from "./webhook-signature";
