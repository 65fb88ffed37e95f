/** Shared with the admin so `?sort=` in the URL is checked against the same list. */
export { LINK_FAILED } from "@xplorium/core/auth";
export { CONSENT_WORDING } from "@xplorium/core/consent";
export { CUSTOMER_SORTS, type CustomerFilterInput } from "@xplorium/core/customers";
export {
  type ActionFailure,
  CHECK_THE_FIELDS,
  describeActionError,
  type FormResult,
  type FormResultOptions,
  type FormSubmission,
  formResult,
  parseForm,
  type Refusal,
} from "./action-errors";
export {
  type AppName,
  type Context,
  contextInput,
  createContext,
  type Principal,
  type RequestScope,
} from "./context";
export { handleCustomerExport } from "./customer-export";
export { handleTrpcRequest, TRPC_ENDPOINT } from "./http";
export { handleMarketingListExport } from "./marketing-export";
export { personalDataResponse } from "./personal-data-download";
export {
  passwordConfirmationStale,
  REASON_HEADER,
  REAUTH_MESSAGE,
  REAUTH_REQUIRED,
} from "./reauth";
export {
  type AppRouter,
  appRouter,
  createCaller,
  type RouterInputs,
  type RouterOutputs,
} from "./root";
export { MAX_NEXT_LENGTH, safeNext } from "./safe-next";
export { serverCaller } from "./server-caller";
export {
  type StaffTwoFactorSetupPrincipal,
  TWO_FACTOR_SETUP_PATH,
  TWO_FACTOR_SETUP_REQUIRED,
} from "./two-factor-gate";
