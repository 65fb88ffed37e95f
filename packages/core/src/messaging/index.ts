/** The messaging domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { type DeliverOptions, type DeliverOutcome, deliverEmail } from "./deliver";
export { listOutbox } from "./outbox";
export { queueEmail } from "./queue";
export { dropExpiredSecretBodies, dropUndeliveredErasureEmails } from "./retention";
