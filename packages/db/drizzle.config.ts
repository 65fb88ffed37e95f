import { defineConfig } from "drizzle-kit";

// `pnpm db:generate` only diffs the schema against migrations/meta; it needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
