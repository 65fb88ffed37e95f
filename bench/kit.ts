import { CONNECTION_PARAMETERS, type Database, schema } from "@xplorium/db";
import { sql as dsql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Row } from "./report";

/** What the scenario groups in bench/scenarios/ get from the runner (bench/run.ts). */
export interface BenchContext {
  /** The product's handle on the benchmark database. */
  db: Database;
  /** A plain postgres.js client on it (checks and set-up SQL). */
  sql: postgres.Sql;
  /** The production servers, e.g. http://localhost:3310 (loopback). */
  adminUrl: string;
  portalUrl: string;
  /** An OWNER's session cookie for the admin. */
  staffCookie: string;
  staffId: string;
  /** The servers' environment (database, secrets, URLs), for child processes like the worker. */
  env: NodeJS.ProcessEnv;
  /** Customers in the data set. */
  customers: number;
  log: (line: string) => void;
  /** Adds a row to the results (and writes bench/results/latest.json). */
  record: (row: Row) => void;
}

/** Runs `fn` over `items` with at most `concurrency` calls in flight (one HTTP connection each). */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export interface TrpcAnswer<T> {
  status: number;
  data: T | undefined;
  error: { message: string; data?: { code?: string } } | undefined;
  ms: number;
}

/**
 * One tRPC mutation the way the app's own pages make it: POST with the session cookie and the
 * app's Origin (the same-origin guard refuses a POST without it), superjson's `{ json }` body.
 */
export async function trpcMutation<T = unknown>(
  baseUrl: string,
  path: string,
  cookie: string,
  input: unknown,
): Promise<TrpcAnswer<T>> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/api/trpc/${path}`, {
    method: "POST",
    headers: { cookie, origin: new URL(baseUrl).origin, "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  let json: {
    result?: { data?: { json?: T } };
    error?: { json?: { message: string; data?: { code?: string } } };
  } = {};
  try {
    json = JSON.parse(text);
  } catch {
    return { status: res.status, data: undefined, error: { message: text.slice(0, 300) }, ms };
  }
  return { status: res.status, data: json.result?.data?.json, error: json.error?.json, ms };
}

/** The mutation's data, or an error naming the procedure and what the server answered. */
export async function mustMutate<T = unknown>(
  baseUrl: string,
  path: string,
  cookie: string,
  input: unknown,
): Promise<T> {
  const r = await trpcMutation<T>(baseUrl, path, cookie, input);
  if (r.status !== 200 || r.data === undefined) {
    throw new Error(`${path}: ${r.status} ${r.error?.message ?? ""}`);
  }
  return r.data;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The statements a product function sends (postgres.js `debug`), on the product's settings. */
export function capturingDb(url: string) {
  const queries: { query: string; params: unknown[] }[] = [];
  const client = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: CONNECTION_PARAMETERS,
    debug: (_c, query, params) => queries.push({ query, params: params as unknown[] }),
  });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Database;
  return {
    async capture(fn: (db: Database) => Promise<unknown>) {
      await db.execute(dsql`select 1`);
      queries.length = 0;
      await fn(db);
      return [...queries];
    },
    end: () => client.end({ timeout: 1 }),
  };
}
