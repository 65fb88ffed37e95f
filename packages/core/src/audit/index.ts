/** The audit domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { auditListInput, listAudit } from "./audit-list";
export { recordAudit } from "./record-audit";
