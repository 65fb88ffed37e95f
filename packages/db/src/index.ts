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
export { migrateDatabase, migrationsFolder } from "./migrate";
export { checkReadiness, type ReadinessReport } from "./readiness";
export * as schema from "./schema";
