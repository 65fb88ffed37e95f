/**
 * `pnpm db:backup [file]`: pg_dump of the configured database (DATABASE_URL, else the embedded
 * development cluster) to `file`, by default `backups/xplorium-<UTC time>.dump`.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { env } from "@xplorium/config";
import { backupDatabase } from "../src/backup";
import { resolveDatabase } from "../src/connection";

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, "")
  .replace(/\.\d+Z$/, "Z");
const file = path.resolve(process.argv[2] ?? path.join("backups", `xplorium-${stamp}.dump`));
mkdirSync(path.dirname(file), { recursive: true });

const database = await resolveDatabase((line) => console.log(`[db] ${line}`));
try {
  const { tool } = await backupDatabase(database.url, file, { binDir: env().PG_BIN_DIR });
  console.log(`Backup written to ${file} (${tool}).`);
  console.log(`Restore it with: pnpm db:restore ${path.relative(process.cwd(), file)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await database.stop?.();
}
