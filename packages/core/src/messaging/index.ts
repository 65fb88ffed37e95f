/** The messaging domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { listOutbox } from "./outbox";
