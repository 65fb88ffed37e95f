import path from "node:path";
import { fileURLToPath } from "node:url";

/** The drizzle SQL migrations (packages/db/migrations), for applying them and for /readyz. */
export const migrationsFolder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../migrations",
);
