/** The customers domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { customerById } from "./customer-detail";
export { changeTag, setCustomerNotes, tagSchema, tagSuggestions } from "./customer-edits";
export { exportCustomersCsv } from "./customer-export";
export { CUSTOMER_SORTS, countCustomers, customerListInput, listCustomers } from "./customer-list";
export {
  duplicateSuggestions,
  mergeCustomers,
  mergeCustomersInput,
  mergePreview,
  mergePreviewInput,
} from "./customer-merge";
export {
  customerUpdateInput,
  customerUpsertInput,
  updateCustomer,
  upsertCustomer,
} from "./customer-profile";
export { type CustomerFilterInput, customerFilterInput } from "./customer-query";
export { customerSummary } from "./customer-summary";
export {
  customerSyncStatus,
  runCustomerSync,
  startCustomerSync,
} from "./customer-sync-job";
export { customerTimeline, customerTimelineInput } from "./customer-timeline";
export { emailSchema } from "./identity";
export { portalProfile, portalProfileInput, updateOwnProfile } from "./portal-profile";
