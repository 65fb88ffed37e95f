import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * `pnpm test:reliability`: faults and load against production builds (issue 8 item 5). Not part
 * of `pnpm test`: it builds the apps, runs two instances of each plus two workers on one embedded
 * PostgreSQL, restarts that PostgreSQL under load and kills a worker. Loopback only, bounded,
 * stops by itself (about two minutes on two cores).
 */
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, "../.."),
    include: ["tests/reliability/**/*.reliability.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
