import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createDb, ensureDatabaseExists } from "@xplorium/db";
import { repoRoot, startEmbeddedPostgres } from "@xplorium/db/embedded";
import { migrateDatabase } from "@xplorium/db/migrate";
import { withDatabase } from "@xplorium/db/testing";
import postgres from "postgres";
import { buildBenchDatabase } from "./build";

/** The benchmark's own cluster: not the dev (54329), e2e (54349) or test (free port) ones
 * (BENCH_PG_PORT to move it). */
export const BENCH_PG_PORT = Number(process.env.BENCH_PG_PORT ?? 54369);
export const BENCH_DATA_DIR = path.join(repoRoot, ".data", "bench", "postgres");
const DATABASE = "xplorium_bench";

/**
 * Starts the benchmark cluster and returns a database holding the data set of `customers`
 * families: reused when a previous run built the same size (bench_meta says so and the ledger
 * check still passes), else dropped and built afresh.
 */
export async function benchDatabase(opts: { customers: number; log: (line: string) => void }) {
  mkdirSync(path.dirname(BENCH_DATA_DIR), { recursive: true });
  chmodSync(path.dirname(BENCH_DATA_DIR), 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: BENCH_DATA_DIR,
    port: BENCH_PG_PORT,
    // A benchmark cluster: its contents can always be rebuilt, so no fsync; 2 cores, ~2 GB RAM.
    flags: [
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "shared_buffers=1GB",
      "-c",
      "max_wal_size=16GB",
      "-c",
      "maintenance_work_mem=512MB",
      "-c",
      "max_connections=200",
    ],
  });
  const url = withDatabase(pg.url, DATABASE);
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  let built: number | null = null;
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (exists) {
      const probe = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const [m] = await probe`
          select customers from bench_meta limit 1`.catch(() => [] as { customers: number }[]);
        built = m ? Number(m.customers) : null;
      } finally {
        await probe.end({ timeout: 1 });
      }
    }
    if (built !== opts.customers) {
      opts.log(
        `building the benchmark database (${opts.customers.toLocaleString("en")} customers)…`,
      );
      await admin.unsafe(`drop database if exists "${DATABASE}" with (force)`);
    }
  } finally {
    await admin.end({ timeout: 1 });
  }
  if (built !== opts.customers) {
    await ensureDatabaseExists(pg.url, DATABASE);
    await migrateDatabase(url);
    const handle = createDb(url, { max: 2 });
    try {
      const t0 = performance.now();
      const counts = await buildBenchDatabase(handle, { customers: opts.customers, log: opts.log });
      const seconds = (performance.now() - t0) / 1000;
      await handle.sql`
        create table bench_meta as
        select ${opts.customers}::int as customers, ${counts.bookings}::int as bookings,
               ${counts.ledger}::int as ledger, ${seconds}::float8 as build_seconds, now() as built_at`;
      opts.log(
        `built: ${counts.customers} customers, ${counts.bookings} bookings, ${counts.ledger} ledger rows in ${seconds.toFixed(0)} s`,
      );
    } finally {
      await handle.close();
    }
  } else {
    opts.log(`reusing the benchmark database (${opts.customers.toLocaleString("en")} customers)`);
    // A previous run's writes (1,000 redemptions and awards, a 100k-recipient campaign that tags
    // its audience) leave dead rows, stale statistics and GIN pending lists behind, which slowed
    // the next run's searches several-fold: vacuum first (a few seconds).
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const t0 = performance.now();
      await sql.unsafe("vacuum (analyze)");
      opts.log(`  vacuum analyze: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  return { url, clusterUrl: pg.url, stop: pg.stop };
}
