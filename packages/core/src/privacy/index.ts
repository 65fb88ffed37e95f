/** The privacy domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { eraseConfirmation, eraseCustomer } from "./customer-erasure";
export { listGdprRequests } from "./gdpr-requests";
export { exportPersonalData, type PersonalData } from "./personal-data-export";
export { personalDataFileName, personalDataZip } from "./personal-data-zip";
