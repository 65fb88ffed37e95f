import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Database } from "./client";
import { migrationsFolder } from "./migrations-folder";

export interface ReadinessReport {
  ready: boolean;
  checks: {
    /** The database answers a query within the time limit. */
    database: "ok" | "unreachable";
    /** Every migration this code ships is applied, and the job queue's schema exists. */
    migrations: "ok" | "pending" | "unknown";
  };
}

let expected: number | undefined;

/** The newest migration this code ships (drizzle orders migrations by their journal time). */
function newestShippedMigration(): number {
  expected ??= Math.max(0, ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  return expected;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Readiness (`/readyz`): can this instance serve requests? The database must answer, and must
 * hold every migration this code was built with (drizzle's own bookkeeping, compared the way
 * its migrator does: by the newest applied migration's journal time), plus the job queue's
 * schema. A database that is ahead (a newer release migrated it) counts as ready.
 */
export async function checkReadiness(
  db: Database,
  opts: { timeoutMs?: number } = {},
): Promise<ReadinessReport & { error?: unknown }> {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  try {
    const rows = await withTimeout(
      db.execute<{ applied: string | null; queue: boolean }>(sql`
        select
          (select max(created_at)::text from drizzle.__drizzle_migrations) as applied,
          exists (
            select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'graphile_worker' and p.proname = 'add_job'
          ) as queue`),
      timeoutMs,
    );
    const row = rows[0];
    const applied = Number(row?.applied ?? 0);
    const migrated = applied >= newestShippedMigration() && row?.queue === true;
    return {
      ready: migrated,
      checks: { database: "ok", migrations: migrated ? "ok" : "pending" },
    };
  } catch (error) {
    // 42P01: the bookkeeping table itself is missing, a database never migrated. (drizzle
    // wraps the driver's error; its code is on the cause.)
    const e = error as { code?: string; cause?: { code?: string } };
    if ((e.code ?? e.cause?.code) === "42P01") {
      return { ready: false, checks: { database: "ok", migrations: "pending" } };
    }
    return { ready: false, checks: { database: "unreachable", migrations: "unknown" }, error };
  }
}
