/**
 * `pnpm db:restore <file> [--replace]`: pg_restore of a `pnpm db:backup` file into the configured
 * database (DATABASE_URL, else the embedded development cluster), in one transaction. An empty
 * database is restored into as is; one with tables only with --replace, which drops and
 * recreates what the backup holds. Stop the apps and the worker first.
 */
import path from "node:path";
import { env } from "@xplorium/config";
import { restoreDatabase } from "../src/backup";
import { resolveDatabase } from "../src/connection";

const args = process.argv.slice(2);
const replace = args.includes("--replace");
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("Usage: pnpm db:restore <backup file> [--replace]");
  process.exit(2);
}

const database = await resolveDatabase((line) => console.log(`[db] ${line}`));
try {
  const { tool } = await restoreDatabase(database.url, path.resolve(file), {
    binDir: env().PG_BIN_DIR,
    replace,
  });
  console.log(`Restored ${file} (${tool}).`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await database.stop?.();
}
