export { createDb, type Database, type DbHandle, type DbOrTx, type Tx } from "./client";
export { ensureDatabaseExists, resolveDatabase, type ResolvedDatabase } from "./connection";
export { enqueueJob, type EnqueueOptions } from "./jobs";
export { migrateDatabase, migrationsFolder } from "./migrate";
export * as schema from "./schema";
