export {
  CONNECTION_PARAMETERS,
  createDb,
  type Database,
  type DbHandle,
  type DbOrTx,
  type Tx,
} from "./client";
export { ensureDatabaseExists, type ResolvedDatabase, resolveDatabase } from "./connection";
export { type CompiledQuery, copyOut, inlineParams, quoteLiteral } from "./copy-out";
export { type EnqueueOptions, enqueueJob, enqueueJobs } from "./jobs";
// Applying migrations needs graphile-worker (its queue schema): `@xplorium/db/migrate`, so the
// apps' bundles, which only read, never carry the job queue.
export { migrationsFolder } from "./migrations-folder";
export { checkReadiness, type ReadinessReport } from "./readiness";
export * as schema from "./schema";
