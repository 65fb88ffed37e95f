import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger, runMigrations as runQueueMigrations } from "graphile-worker";
import postgres from "postgres";

import { migrationsFolder } from "./migrations-folder";

export { migrationsFolder };

const quietLogger = new Logger(() => () => {});

/** Applies the drizzle SQL migrations and the job queue's own schema. Idempotent. */
export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
  await runQueueMigrations({ connectionString: url, logger: quietLogger });
}
