import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, "../.."),
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tooling/e2e/global-setup.ts"],
    // One browser, journeys one after another: they share one database and two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
