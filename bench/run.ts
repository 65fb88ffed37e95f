import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createSession, validateStaffSession } from "@xplorium/auth";
import type { Actor, RequestMeta } from "@xplorium/core/actor";
import { analyticsDashboard } from "@xplorium/core/analytics";
import { countCustomers, customerFilterInput, listCustomers } from "@xplorium/core/customers";
import { segmentCount } from "@xplorium/core/marketing";
import { CONNECTION_PARAMETERS, copyOut, createDb, type Database } from "@xplorium/db";
import { repoRoot } from "@xplorium/db/embedded";
import { insertStaff } from "@xplorium/db/testing";
import autocannon from "autocannon";
import postgres from "postgres";
import { customerCsvQuery } from "../packages/core/src/customers/customer-export";
import { syncFromBookings } from "../packages/core/src/customers/sync-from-bookings";
import { productionBuildExists, productionCommand, waitFor } from "../tooling/scripts/production";
import { BENCH_TIME_ZONE } from "./build";
import { benchDatabase } from "./database";
import { type BenchContext, capturingDb } from "./kit";
import { pct, type Row, round, rssMb, withPeakRss } from "./report";
import { campaignScenarios } from "./scenarios/campaign";
import { gdprScenarios } from "./scenarios/gdpr";
import { redeemScenarios } from "./scenarios/redeem";

/**
 * `pnpm bench` (docs/performance.md): the benchmark database (1M customers by default;
 * BENCH_CUSTOMERS to change), the production builds of both apps on their own ports, then each
 * scenario through real HTTP beside the raw SQL it stands on. Loopback only, bounded in time.
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ADMIN_PORT = Number(process.env.BENCH_ADMIN_PORT ?? 3310);
const PORTAL_PORT = Number(process.env.BENCH_PORTAL_PORT ?? 3311);
const CURRENCY = "RSD";
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const log = (line: string) => console.log(line);
/** BENCH_ONLY=search,list,segment,dashboard,portal,sync,export,redeem,campaign,gdpr: run only
 * these groups, keeping the other rows of bench/results/latest.json. */
const ONLY = process.env.BENCH_ONLY?.split(",").map((x) => x.trim());
const enabled = (group: string) => !ONLY || ONLY.includes(group);

/** `n` timings of `fn` after `warmup` calls; `fn` may return its own duration (ms). */
async function timed(
  n: number,
  fn: () => Promise<unknown>,
  warmup = 3,
  record?: number[],
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  record?.splice(0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const own = await fn();
    out.push(typeof own === "number" ? own : performance.now() - t0);
  }
  return out;
}

const RESULTS = path.join(repoRoot, "bench/results/latest.json");
const previous: Row[] =
  ONLY && existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")).results : [];

function writeResults(machine: unknown, fresh: Row[]) {
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const kept = previous.filter((r) => !fresh.some((f) => f.scenario === r.scenario));
  writeFileSync(RESULTS, `${JSON.stringify({ machine, results: [...kept, ...fresh] }, null, 2)}\n`);
}

async function main() {
  const started = Date.now();
  const bench = await benchDatabase({ customers: CUSTOMERS, log });
  const handle = createDb(bench.url, { max: 8 });
  const raw = postgres(bench.url, {
    max: 8,
    onnotice: () => {},
    connection: CONNECTION_PARAMETERS,
  });
  const cap = capturingDb(bench.url);
  /** The statements a product function sends, without transaction control. */
  const statementsOf = async (fn: (db: Database) => Promise<unknown>) =>
    (await cap.capture(fn)).filter((q) => !/^\s*(begin|commit|rollback)\b/i.test(q.query));
  /** One captured statement, replayed as raw SQL (prepared, as postgres.js sends it). */
  const run = (q: { query: string; params: unknown[] }) =>
    raw.unsafe(q.query, q.params as never[], { prepare: true });
  const procs: ChildProcess[] = [];
  const rows: Row[] = [];
  try {
    // Signed-in staff (OWNER) and a customer with a long history, by sessions made directly.
    const staff = await insertStaff(handle.db, {
      role: "OWNER",
      email: `bench-${Date.now()}@bench.local`,
    });
    const staffSession = await createSession(handle.db, { kind: "STAFF", staffUserId: staff.id });
    const [regular] = await raw<{ id: string }[]>`
      select id from customers where erased_at is null order by total_bookings desc limit 1`;
    if (!regular) throw new Error("no customers");
    const customerSession = await createSession(handle.db, {
      kind: "CUSTOMER",
      customerId: regular.id,
    });

    const actor: Actor = { type: "staff", id: staff.id, role: "OWNER" };
    const meta: RequestMeta = { ip: null, userAgent: null, requestId: "bench" };

    if (!process.env.BENCH_SKIP_BUILD || !productionBuildExists()) {
      log("building the apps (production)…");
      execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=./apps/*"], {
        cwd: repoRoot,
        stdio: "inherit",
        env: { ...process.env, NODE_ENV: "production" },
      });
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: bench.url,
      SESSION_SECRET: "bench-session-secret-0123456789abcdefghijklmnop",
      ADMIN_PORT: String(ADMIN_PORT),
      PORTAL_PORT: String(PORTAL_PORT),
      ADMIN_URL: `http://localhost:${ADMIN_PORT}`,
      PORTAL_URL: `http://localhost:${PORTAL_PORT}`,
      CURRENCY,
      TIME_ZONE: BENCH_TIME_ZONE,
      LOG_LEVEL: "warn",
      // Nothing is mailed from a benchmark: the outbox, chosen (production requires it said).
      EMAIL_TRANSPORT: "outbox",
    };
    delete env.RESEND_API_KEY;
    const start = (app: "admin" | "portal") => {
      const command = productionCommand(app);
      const p = spawn(process.execPath, command.args, {
        cwd: command.cwd,
        env: { ...env, ...command.env },
        stdio: ["ignore", "ignore", "inherit"],
        detached: true,
      });
      procs.push(p);
      return p;
    };
    let admin = start("admin");
    const portal = start("portal");
    await Promise.all([
      waitFor(`http://localhost:${ADMIN_PORT}/readyz`),
      waitFor(`http://localhost:${PORTAL_PORT}/readyz`),
    ]);
    const staffCookie = `__Host-xp_staff_session=${staffSession.token}`;
    const customerCookie = `__Host-xp_customer_session=${customerSession.token}`;
    const trpcUrl = (proc: string, input: unknown) =>
      `http://localhost:${ADMIN_PORT}/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    // One kept-alive connection and node:http, not fetch: undici's own cost (~0.6 ms a call
    // here) is the client's, not the app's.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (url: string, cookie: string) =>
      new Promise<Buffer>((resolve, reject) => {
        http
          .get(url, { agent, headers: { cookie } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const body = Buffer.concat(chunks);
              if (res.statusCode !== 200) {
                reject(new Error(`${url}: ${res.statusCode} ${body.toString().slice(0, 300)}`));
              } else resolve(body);
            });
            res.on("error", reject);
          })
          .on("error", reject);
      });

    /** An HTTP scenario beside the raw statements the product issues for it. */
    const scenario = async (s: {
      name: string;
      url: string;
      cookie: string;
      rawOf: (db: Database) => Promise<unknown>;
      budgetMs: number;
      ratio?: number;
      iterations?: number;
      connections?: number;
      /** Replay the captured statements one after another, as the product sends them. */
      sequential?: boolean;
      /** No budget: reported only. */
      informational?: boolean;
    }) => {
      const work = await statementsOf(s.rawOf);
      // The request's own session check is SQL it issues too: first, then the procedure's.
      const auth = await cap.capture((db) => validateStaffSession(db, staffSession.token));
      const n = s.iterations ?? ITERATIONS;
      const rawOnce = async () => {
        for (const q of auth) await run(q);
        if (!s.sequential) return Promise.all(work.map(run));
        for (const q of work) await run(q);
      };
      // Raw and app alternate, so both see the same moments of a shared machine.
      const rawTimes: number[] = [];
      const appPid = admin.pid ?? 0;
      const [times, peak] = await withPeakRss(appPid, () =>
        timed(
          n,
          async () => {
            const t0 = performance.now();
            await rawOnce();
            rawTimes.push(performance.now() - t0);
            const t1 = performance.now();
            await get(s.url, s.cookie);
            return performance.now() - t1;
          },
          3,
          rawTimes,
        ),
      );
      const ac = await autocannon({
        url: s.url,
        headers: { cookie: s.cookie },
        connections: s.connections ?? 4,
        duration: 5,
      });
      const p95 = pct(times, 95);
      const rawP50 = pct(rawTimes, 50);
      const rawP95 = pct(rawTimes, 95);
      const ratioOk = s.ratio ? p95 <= s.ratio * rawP95 + 2 : true;
      rows.push({
        scenario: s.name,
        p50: round(pct(times, 50)),
        p95: round(p95),
        p99: round(pct(times, 99)),
        throughput: round(ac.requests.average),
        unit: "req/s",
        peakRssMb: round(peak),
        rawP50: round(rawP50),
        ratio: round(pct(times, 50) / rawP50),
        budget: s.informational
          ? "reported"
          : `p95 ≤ ${s.budgetMs} ms${s.ratio ? ` and ≤ ${s.ratio}× raw p95 + 2 ms` : ""}`,
        met: s.informational ? null : p95 <= s.budgetMs && ratioOk && ac.non2xx === 0,
        note: `raw p95 ${round(rawP95)} ms; session check + ${work.length} statement(s); autocannon ${s.connections ?? 4} conns 5 s, non-2xx ${ac.non2xx}`,
      });
      writeResults({ partial: true }, rows);
      log(
        `  ${s.name}: p50 ${round(pct(times, 50))} ms, p95 ${round(p95)} ms, raw p50 ${round(rawP50)} ms`,
      );
    };

    log("scenarios…");
    if (enabled("search")) {
      // As the admin list asks: the page without the total (streamed in by customers.count).
      for (const [label, q] of [
        ["rare", "quint"],
        ["common", "mar"],
      ] as const) {
        await scenario({
          name: `customer search, ${label} term "${q}"`,
          url: trpcUrl("customers.list", { q, limit: 25, withTotal: false }),
          cookie: staffCookie,
          rawOf: (db) => listCustomers({ db }, { q, limit: 25, withTotal: false }),
          budgetMs: 50,
          ratio: 1.3,
          sequential: true,
        });
      }
      for (const [label, q] of [
        ["rare", "quint"],
        ["common", "mar"],
      ] as const) {
        await scenario({
          name: `  its count, streamed in after the page ("${q}", ${label})`,
          url: trpcUrl("customers.count", { q }),
          cookie: staffCookie,
          rawOf: (db) => countCustomers({ db }, { q }),
          budgetMs: 0,
          informational: true,
          iterations: label === "common" ? 10 : ITERATIONS,
        });
      }
    }
    if (enabled("list")) {
      const listInput = { tiers: ["SILVER", "GOLD"] as ("SILVER" | "GOLD")[], emailOptIn: true };
      await scenario({
        name: "list: SILVER+GOLD, opted in, last booking first, first page",
        url: trpcUrl("customers.list", { ...listInput, limit: 25, withTotal: false }),
        cookie: staffCookie,
        rawOf: (db) => listCustomers({ db }, { ...listInput, limit: 25, withTotal: false }),
        budgetMs: 20,
        sequential: true,
      });
      // A deep page: the cursor of the row 100,000 rows into that list (k and id of that row).
      const [deepRow] = await raw<{ k: string; id: string }[]>`
      select coalesce(last_booking_at, '-infinity'::timestamptz)::text as k, id::text
      from customers
      where erased_at is null and loyalty_tier in ('SILVER', 'GOLD') and marketing_opt_in
      order by coalesce(last_booking_at, '-infinity'::timestamptz) desc, id desc
      offset ${Math.min(100_000, Math.floor(CUSTOMERS / 20))} limit 1`;
      const cursor = Buffer.from(
        JSON.stringify({ k: deepRow?.k, id: deepRow?.id, s: "lastBooking:desc:" }),
      ).toString("base64url");
      await scenario({
        name: "list: same, deep keyset page",
        url: trpcUrl("customers.list", { ...listInput, limit: 25, cursor, withTotal: false }),
        cookie: staffCookie,
        rawOf: (db) => listCustomers({ db }, { ...listInput, limit: 25, cursor, withTotal: false }),
        budgetMs: 20,
        sequential: true,
      });
      await scenario({
        name: "  its count, streamed in after the page",
        url: trpcUrl("customers.count", listInput),
        cookie: staffCookie,
        rawOf: (db) => countCustomers({ db }, listInput),
        budgetMs: 0,
        informational: true,
        iterations: 15,
      });
    }
    if (enabled("segment")) {
      const segment = {
        tiers: ["SILVER", "GOLD", "PLATINUM"],
        tagsAny: ["party", "birthday"],
        emailOptIn: true,
        minBookings: 5,
      };
      await scenario({
        name: "segment count (4 filters)",
        url: trpcUrl("segments.count", segment),
        cookie: staffCookie,
        rawOf: (db) => segmentCount({ db, config: { TIME_ZONE: BENCH_TIME_ZONE } }, segment),
        budgetMs: 250,
        iterations: 15,
      });
      await scenario({
        name: "segment preview (4 filters)",
        url: trpcUrl("segments.preview", { filter: segment }),
        cookie: staffCookie,
        rawOf: (db) => segmentCount({ db, config: { TIME_ZONE: BENCH_TIME_ZONE } }, segment),
        budgetMs: 250,
        iterations: 15,
      });
    }
    if (enabled("dashboard")) {
      await scenario({
        name: "analytics dashboard",
        url: trpcUrl("analytics.dashboard", {}),
        cookie: staffCookie,
        rawOf: (db) =>
          analyticsDashboard(
            { db, config: { TIME_ZONE: BENCH_TIME_ZONE } },
            { includeRevenue: true },
          ),
        budgetMs: 1000,
        iterations: 15,
      });
    }
    // Portal home page (SSR, signed in) at 50 connections.
    if (enabled("portal")) {
      const url = `http://localhost:${PORTAL_PORT}/`;
      await get(url, customerCookie);
      const [ac, peak] = await withPeakRss(portal.pid ?? 0, () =>
        autocannon({ url, headers: { cookie: customerCookie }, connections: 50, duration: 10 }),
      );
      rows.push({
        scenario: "portal home (SSR), 50 connections",
        p50: ac.latency.p50,
        p95: null,
        p99: ac.latency.p99,
        throughput: round(ac.requests.average),
        unit: "req/s",
        peakRssMb: round(peak),
        rawP50: null,
        ratio: null,
        budget: "≥ 500 req/s, p99 ≤ 100 ms",
        met: ac.requests.average >= 500 && ac.latency.p99 <= 100 && ac.non2xx === 0,
        note: `non-2xx ${ac.non2xx}, errors ${ac.errors}`,
      });
      writeResults({ partial: true }, rows);
      log(`  portal home: ${round(ac.requests.average)} req/s, p99 ${ac.latency.p99} ms`);
    }

    // syncFromBookings over every booking (in-process: the HTTP procedure only enqueues the
    // worker's job, which runs this same function) vs its raw statement.
    if (enabled("sync")) {
      const sent = await cap.capture((db) => syncFromBookings({ db, actor, meta }));
      const statement = sent
        .filter((q) => /^\s*with\b/i.test(q.query))
        .sort((a, b) => b.query.length - a.query.length)[0];
      const t0 = performance.now();
      await syncFromBookings({ db: handle.db, actor, meta });
      const appMs = performance.now() - t0;
      let rawMs: number | null = null;
      if (statement) {
        const t1 = performance.now();
        await raw.begin((tx) => tx.unsafe(statement.query, statement.params as never[]));
        rawMs = performance.now() - t1;
      }
      const ratio = rawMs ? appMs / rawMs : null;
      rows.push({
        scenario: "customers.syncFromBookings (all bookings)",
        p50: round(appMs),
        p95: null,
        p99: null,
        throughput: null,
        peakRssMb: null,
        rawP50: round(rawMs),
        ratio: round(ratio),
        budget: "≤ 1.3× the raw statement",
        met: ratio !== null && ratio <= 1.3,
      });
      writeResults({ partial: true }, rows);
      log(`  sync: ${round(appMs)} ms vs raw ${round(rawMs)} ms`);
    }
    // CSV export of every customer vs COPY … TO STDOUT of the same query and columns (the
    // export's own SQL, customerCsvQuery, run by the plain COPY helper and drained here).
    if (enabled("export")) {
      // The export's peak RSS is judged on an admin server that has served nothing else. The one
      // that served the groups above keeps what their load made it grow to (at 1M ≈ 190–215 MB
      // after the searches, lists, segments and dashboard; the export adds a few MB on top), so
      // its RSS would judge those requests, and which groups ran, rather than the export. It is
      // stopped and started again as production starts it; its RSS goes in the row's note.
      const servedBefore = rssMb(admin.pid ?? 0);
      const exited = new Promise((resolve) => admin.once("exit", resolve));
      if (admin.exitCode === null && admin.pid) process.kill(-admin.pid, "SIGTERM");
      if (admin.exitCode === null) await exited;
      admin = start("admin");
      await waitFor(`http://localhost:${ADMIN_PORT}/readyz`);
      const exportUrl = `http://localhost:${ADMIN_PORT}/customers/export`;
      const rssBefore = rssMb(admin.pid ?? 0);
      const [bytes, peak] = await withPeakRss(admin.pid ?? 0, async () => {
        const t0 = performance.now();
        // Not following redirects: a sign-in or password-confirmation page is not the export.
        const res = await fetch(exportUrl, {
          headers: { cookie: staffCookie },
          redirect: "manual",
        });
        if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status}`);
        let n = 0;
        const reader = res.body.getReader();
        for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
        return { n, ms: performance.now() - t0 };
      });
      log(
        `  export over HTTP: ${round(bytes.ms)} ms, peak RSS ${round(peak)} MB (${round(rssBefore)} MB before)`,
      );
      const { query, header } = customerCsvQuery(
        handle.db,
        customerFilterInput.parse({}),
        CURRENCY,
      );
      const t0 = performance.now();
      const stream = await copyOut(handle.db, query, {
        options: "format csv",
        settings: { DateStyle: "ISO, YMD" },
      });
      let rawBytes = 0;
      const reader = stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read())
        rawBytes += r.value.length;
      const rawMs = performance.now() - t0;
      const ratio = bytes.ms / rawMs;
      // The download is the byte order mark and header row, then exactly what COPY sent.
      const whole = bytes.n === Buffer.byteLength(`\uFEFF${header}\n`) + rawBytes;
      rows.push({
        scenario: "CSV export of all customers",
        p50: round(bytes.ms),
        p95: null,
        p99: null,
        throughput: round((CUSTOMERS / bytes.ms) * 1000),
        unit: "rows/s",
        peakRssMb: round(peak),
        rawP50: round(rawMs),
        ratio: round(ratio),
        budget: "≤ 1.5× COPY, peak RSS ≤ 200 MB",
        met: ratio <= 1.5 && peak <= 200 && whole,
        note: `${(bytes.n / 1e6).toFixed(0)} MB over HTTP (${whole ? "header + every COPY byte" : "NOT header + COPY"}), COPY ${(rawBytes / 1e6).toFixed(0)} MB; fresh admin server: ${round(rssBefore)} MB RSS before the export, +${round(peak - rssBefore)} MB at its peak (the one that served the groups above had ${round(servedBefore)} MB)`,
      });
      writeResults({ partial: true }, rows);
      log(`  export: ${round(bytes.ms)} ms vs COPY ${round(rawMs)} ms, peak RSS ${round(peak)} MB`);
    }

    // Issue 9's remaining scenarios (bench/scenarios/): concurrency, the campaign, GDPR export.
    const ctx: BenchContext = {
      db: handle.db,
      sql: raw,
      adminUrl: `http://localhost:${ADMIN_PORT}`,
      portalUrl: `http://localhost:${PORTAL_PORT}`,
      staffCookie,
      staffId: staff.id,
      env,
      customers: CUSTOMERS,
      log,
      record: (row) => {
        rows.push(row);
        writeResults({ partial: true }, rows);
      },
    };
    if (enabled("redeem")) await redeemScenarios(ctx);
    if (enabled("campaign")) await campaignScenarios(ctx);
    if (enabled("gdpr")) {
      await gdprScenarios(ctx, async (fn, n) => {
        const work = await statementsOf(fn);
        return timed(n, () => Promise.all(work.map(run)));
      });
    }
  } finally {
    for (const p of procs) {
      try {
        if (p.pid) process.kill(-p.pid, "SIGTERM");
      } catch {}
    }
    await cap.end();
    await raw.end({ timeout: 1 });
    await handle.close();
    await new Promise((r) => setTimeout(r, 1000));
    await bench.stop();
  }

  const [meta] = await Promise.resolve([
    {
      customers: CUSTOMERS,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      startedAt: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
    },
  ]);
  writeResults(meta, rows);
  console.log();
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      "p50 ms": r.p50,
      "p95 ms": r.p95,
      "p99 ms": r.p99,
      throughput: r.throughput === null ? null : `${r.throughput} ${r.unit ?? ""}`,
      "peak RSS MB": r.peakRssMb,
      "raw p50 ms": r.rawP50,
      "× raw": r.ratio,
      budget: r.budget,
      met: r.met === null ? "–" : r.met ? "yes" : "NO",
    })),
  );
  console.log("written: bench/results/latest.json");
}

await main();
