/** The consent domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export {
  CONSENT_WORDING,
  type ConsentConfig,
  confirmConsent,
  consentHistory,
  previewConsentLink,
  setConsentByStaff,
} from "./consent";
export {
  portalConsentInput,
  portalPrivacyOverview,
  setConsentByCustomer,
} from "./customer-consent";
export { listUnsubscribeHeaders, previewUnsubscribe, unsubscribe } from "./unsubscribe";
