import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

/** `$client` is the postgres.js pool, for what drizzle has no API for (a reserved connection). */
export type Database = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** A transaction handle; services accept either so callers can compose them atomically. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Tx;

export interface DbHandle {
  db: Database;
  sql: postgres.Sql;
  url: string;
  close: () => Promise<void>;
}

/**
 * Session settings of every application connection. postgres.js prepares each statement and,
 * after five executions, PostgreSQL may switch a prepared statement to a generic plan (one that
 * ignores the parameter values): for the customer search's `ILIKE $1` / `% $2` that plan cannot
 * judge the pattern's selectivity and falls back to a sequential scan of `customers` (~100×
 * slower at a million rows). Custom plans cost a re-plan per execution (tenths of a
 * millisecond) and keep the trigram indexes in use; tests/bench-smoke.test.ts guards it.
 */
export const CONNECTION_PARAMETERS = { plan_cache_mode: "force_custom_plan" } as const;

export function createDb(url: string, opts: { max?: number } = {}): DbHandle {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    connection: CONNECTION_PARAMETERS,
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, url, close: () => sql.end({ timeout: 5 }) };
}
