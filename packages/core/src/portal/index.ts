/** The portal domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export {
  portalBookings,
  portalPageInput,
  portalPoints,
  portalVoucherByCode,
} from "./portal-history";
export { portalSummary } from "./portal-summary";
export { loyaltyProgramme } from "./ways-to-earn";
