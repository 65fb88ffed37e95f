import { existsSync } from "node:fs";
import path from "node:path";

/**
 * How production runs each process (docs/decisions/018-built-server-bundle.md): plain `node`
 * on the bundle the app's `build` script writes, never tsx, with these V8 flags. The apps'
 * `start` scripts spell out the same command (tests/production-bundle.test.ts checks they
 * agree); the e2e setup, the reliability cluster and the benchmark spawn it from here.
 *
 * `--max-semi-space-size=4` (MB): V8's young generation otherwise grows to 64 MB semi-spaces
 * on a machine with a few GB, which the server keeps committed for good (≈ 160 MB of its idle
 * RSS); 4 MB semi-spaces keep the admin server at ≈ 160 MB idle and ≈ 165 MB while it streams
 * the full CSV export, with no measurable loss of request throughput (docs/performance.md).
 *
 * `--max-old-space-size=128` (MB), web servers only: under traffic V8 otherwise lets the old
 * generation grow well past what is live (≈ 30–60 MB) and keeps it, and the admin server sat at
 * ≈ 240 MB after 30 s of searches; with the ceiling ≈ 180 MB. No request holds more than a few
 * MB (exports stream; a personal-data download is ≈ 1 MB), so the ceiling leaves ample room;
 * were it ever reached the process would stop and be restarted. The worker keeps V8's default.
 *
 * `MALLOC_ARENA_MAX=2`, web servers only: glibc otherwise keeps an allocation arena per thread
 * (libuv's pool, V8's helpers), each holding freed memory; two arenas saved ≈ 8–12 MB of RSS
 * after traffic (docs/performance.md) at no measurable cost.
 */
export type ProductionProcess = "admin" | "portal" | "worker";

const WEB_FLAGS = ["--max-semi-space-size=4", "--max-old-space-size=128"] as const;
export const PRODUCTION_NODE_FLAGS: Record<ProductionProcess, readonly string[]> = {
  admin: WEB_FLAGS,
  portal: WEB_FLAGS,
  worker: ["--max-semi-space-size=4"],
};

/** Each process's built entry, relative to its app folder. */
export const PRODUCTION_ENTRY: Record<ProductionProcess, string> = {
  admin: "build/server/server.js",
  portal: "build/server/server.js",
  worker: "build/main.js",
};

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** Environment the production processes start with (on top of their configuration). */
export const PRODUCTION_ENV: Record<ProductionProcess, Record<string, string>> = {
  admin: { MALLOC_ARENA_MAX: "2" },
  portal: { MALLOC_ARENA_MAX: "2" },
  worker: {},
};

/** `spawn(process.execPath, args, { cwd, env: { ...yours, ...env } })` for one process. */
export function productionCommand(app: ProductionProcess) {
  return {
    cwd: path.join(repoRoot, "apps", app),
    args: [...PRODUCTION_NODE_FLAGS[app], PRODUCTION_ENTRY[app]],
    env: PRODUCTION_ENV[app],
  };
}

/** Whether every production entry has been built (the harnesses' *_SKIP_BUILD shortcuts). */
export function productionBuildExists(): boolean {
  return (Object.keys(PRODUCTION_ENTRY) as ProductionProcess[]).every((app) => {
    const { cwd } = productionCommand(app);
    return existsSync(path.join(cwd, PRODUCTION_ENTRY[app]));
  });
}

/** Waits until a started server answers `url` (its /readyz) with a success, or throws. */
export async function waitFor(url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 300) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}
