import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

/** `~/…` in an app's module means that app's `app/` folder, as its Vite config says. */
const appAlias = {
  name: "xplorium-app-alias",
  enforce: "pre" as const,
  resolveId(source: string, importer: string | undefined) {
    if (!source.startsWith("~/") || !importer) return null;
    const appDir = /^(.*[\\/]apps[\\/][^\\/]+[\\/]app)[\\/]/.exec(importer)?.[1];
    if (!appDir) return null;
    const base = path.join(appDir, source.slice(2));
    return (
      ["", ".ts", ".tsx"]
        .map((ext) => base + ext)
        .find((f) => existsSync(f) && statSync(f).isFile()) ?? null
    );
  },
};

// The Remix Vite plugin is never loaded here: tests import packages and route modules directly.
export default defineConfig({
  plugins: [appAlias],
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["tooling/scripts/test-global-setup.ts"],
    // Each file gets its own database; files run in parallel on the two cores.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
