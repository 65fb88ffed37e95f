import { defineConfig } from "vitest/config";

// The Remix Vite plugin is never loaded here: tests import packages and route modules directly.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["tooling/scripts/test-global-setup.ts"],
    // Each file gets its own database; files run in parallel on the two cores.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
