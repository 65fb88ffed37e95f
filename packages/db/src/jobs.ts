import { sql } from "drizzle-orm";
import type { DbOrTx } from "./client";

export interface EnqueueOptions {
  /** Run no earlier than this. */
  runAt?: Date;
  /** A job with the same key replaces a pending one instead of queueing twice. */
  jobKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a graphile-worker job through SQL, so it commits or rolls back with the caller's
 * transaction (transactional enqueue).
 */
export async function enqueueJob(
  db: DbOrTx,
  task: string,
  payload: Record<string, unknown>,
  opts: EnqueueOptions = {},
): Promise<void> {
  await db.execute(sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(payload)}::json,
    run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
    job_key => ${opts.jobKey ?? null},
    max_attempts => ${opts.maxAttempts ?? 10}
  )`);
}

/**
 * Adds many jobs of one task with a single `graphile_worker.add_jobs` call (one statement, not a
 * loop of `add_job`), on the caller's transaction like `enqueueJob`.
 */
export async function enqueueJobs(
  db: DbOrTx,
  task: string,
  payloads: Record<string, unknown>[],
  opts: Pick<EnqueueOptions, "maxAttempts"> = {},
): Promise<void> {
  if (payloads.length === 0) return;
  await db.execute(sql`select count(*) from graphile_worker.add_jobs(array(
    select row(${task}::text, p.value, null::text, null::timestamptz,
               ${opts.maxAttempts ?? 10}::smallint, null::text, null::smallint, null::text[]
           )::graphile_worker.job_spec
    from json_array_elements(${JSON.stringify(payloads)}::json) p
  ))`);
}
