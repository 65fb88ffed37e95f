/**
 * `pnpm exec tsx bench/memory.ts [node args…]` (docs/performance.md): the admin production server's
 * memory. Starts it on the benchmark database (BENCH_CUSTOMERS, built by `pnpm bench` or
 * bench/build-only.ts) with `node [node args…]` in apps/admin (default: as production runs it,
 * tooling/scripts/production.ts; pass e.g. `--import tsx server.ts` to compare), then its RSS
 * idle, while a fast reader downloads the CSV export of every customer, and while a slow reader
 * (SLOW_MBPS, default 4 MB/s) does; before the exports, MEMORY_LOAD_SECONDS (default 10) of
 * search and list traffic. Ports: BENCH_PG_PORT, BENCH_ADMIN_PORT.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createSession } from "@xplorium/auth";
import { createDb } from "@xplorium/db";
import { repoRoot } from "@xplorium/db/embedded";
import { insertStaff } from "@xplorium/db/testing";
import autocannon from "autocannon";
import { productionCommand } from "../tooling/scripts/production";
import { benchDatabase } from "./database";
import { rssMb, withPeakRss } from "./report";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ADMIN_PORT = Number(process.env.BENCH_ADMIN_PORT ?? 3310);
const SLOW_MBPS = Number(process.env.SLOW_MBPS ?? 4);
const args = process.argv.slice(2);
const nodeArgs = args.length > 0 ? args : productionCommand("admin").args;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak RSS of `pid` (sampled every 10 ms) while `fn` runs. */
const peakWhile = <T>(pid: number, fn: () => Promise<T>) => withPeakRss(pid, fn, 10);

/** Downloads `url`, reading at most `mbps` MB/s (Infinity: as fast as it comes). */
function download(url: string, cookie: string, mbps: number) {
  return new Promise<{ bytes: number; ms: number }>((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(url, { headers: { cookie } }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`export: ${res.statusCode}`));
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (!Number.isFinite(mbps)) return;
          // Behind schedule for the allowed rate: stop reading until it catches up.
          const dueMs = (bytes / (mbps * 1e6)) * 1000 - (performance.now() - t0);
          if (dueMs > 1) {
            res.pause();
            setTimeout(() => res.resume(), dueMs);
          }
        });
        res.on("end", () => resolve({ bytes, ms: performance.now() - t0 }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

const bench = await benchDatabase({ customers: CUSTOMERS, log: console.log });
const handle = createDb(bench.url, { max: 2 });
const staff = await insertStaff(handle.db, {
  role: "OWNER",
  email: `mem-${Date.now()}@bench.local`,
});
const session = await createSession(handle.db, { kind: "STAFF", staffUserId: staff.id });
const cookie = `__Host-xp_staff_session=${session.token}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: bench.url,
  SESSION_SECRET: "bench-session-secret-0123456789abcdefghijklmnop",
  ADMIN_PORT: String(ADMIN_PORT),
  ADMIN_URL: `http://localhost:${ADMIN_PORT}`,
  LOG_LEVEL: "warn",
  // Nothing is mailed from a benchmark: the outbox, chosen (production requires it said).
  EMAIL_TRANSPORT: "outbox",
};
delete env.RESEND_API_KEY;
const child = spawn(process.execPath, nodeArgs, {
  cwd: path.join(repoRoot, "apps/admin"),
  env: { ...env, ...(args.length > 0 ? {} : productionCommand("admin").env) },
  stdio: ["ignore", "inherit", "inherit"],
  detached: true,
});
const pid = child.pid ?? 0;
try {
  const until = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://localhost:${ADMIN_PORT}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) throw new Error("the admin server did not come up");
    await sleep(200);
  }
  await sleep(2000);
  const startup = rssMb(pid);
  // A few ordinary requests (the sign-in page renders through Remix), then settle.
  for (let i = 0; i < 20; i++) await fetch(`http://localhost:${ADMIN_PORT}/sign-in`);
  await sleep(3000);
  const idle = rssMb(pid);
  // Traffic first, as a server that has been up a while has served (MEMORY_LOAD_SECONDS, default
  // 10; 0 to skip): searches and list pages at 4 connections, then a settle.
  const loadSeconds = Number(process.env.MEMORY_LOAD_SECONDS ?? 10);
  let afterLoad = idle;
  let loadPeak = idle;
  if (loadSeconds > 0) {
    const trpc = (input: unknown) =>
      `http://localhost:${ADMIN_PORT}/api/trpc/customers.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    const [, peak] = await peakWhile(pid, () =>
      Promise.all(
        [{ q: "mar", withTotal: false }, { q: "quint", withTotal: false }, { limit: 50 }].map(
          (input) =>
            autocannon({
              url: trpc(input),
              headers: { cookie },
              connections: 2,
              duration: loadSeconds,
            }),
        ),
      ),
    );
    loadPeak = peak;
    await sleep(3000);
    afterLoad = rssMb(pid);
  }
  const url = `http://localhost:${ADMIN_PORT}/customers/export`;
  const [fast, fastPeak] = await peakWhile(pid, () => download(url, cookie, Infinity));
  await sleep(3000);
  const afterFast = rssMb(pid);
  const [slow, slowPeak] = await peakWhile(pid, () => download(url, cookie, SLOW_MBPS));
  const r = (x: number) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify(
      {
        command: `node ${nodeArgs.join(" ")}`,
        customers: CUSTOMERS,
        rssMb: {
          afterStart: r(startup),
          idle: r(idle),
          loadPeak: r(loadPeak),
          afterLoad: r(afterLoad),
          fastExportPeak: r(fastPeak),
          afterFastExport: r(afterFast),
          slowExportPeak: r(slowPeak),
        },
        fast: { mb: r(fast.bytes / 1e6), ms: r(fast.ms) },
        slow: { mb: r(slow.bytes / 1e6), ms: r(slow.ms), mbps: SLOW_MBPS },
      },
      null,
      2,
    ),
  );
} finally {
  try {
    process.kill(-pid, "SIGTERM");
  } catch {}
  await handle.close();
  await sleep(1000);
  await bench.stop();
}
