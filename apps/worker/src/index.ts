import { EventEmitter } from "node:events";
import { type Env, env as loadEnv } from "@xplorium/config";
import { createDb, type Database, resolveDatabase } from "@xplorium/db";
import { migrateDatabase } from "@xplorium/db/migrate";
import { JOBS } from "@xplorium/domain";
import { emailTransportStartupNotice } from "@xplorium/email";
import { type Logger as AppLogger, createLogger } from "@xplorium/logger";
import {
  Logger,
  type Runner,
  run,
  type TaskList,
  type WorkerEvents,
  type WorkerPool,
} from "graphile-worker";
import { CRONTAB, createTaskList } from "./tasks";
import { ANALYTICS_REFRESH_JOB_KEY } from "./tasks/refresh-analytics";

export interface WorkerOptions {
  /** Instead of DATABASE_URL / the embedded cluster (tests). */
  databaseUrl?: string;
  taskList?: (db: Database, env: Env) => TaskList;
  crontab?: string;
  /** Running jobs get this long to finish on SIGTERM before they are released for a retry. */
  shutdownTimeoutMs?: number;
  /** Where SIGTERM / SIGINT come from (the process; tests pass their own emitter). */
  signals?: EventEmitter;
  /** Called once stopped after a signal (process.exit; tests record it). */
  exit?: (code: number) => void;
  log?: AppLogger;
}

export interface StartedWorker {
  runner: Runner;
  db: Database;
  /** Stops taking jobs, lets running ones finish (or releases them after the timeout), closes. */
  stop: (reason?: string) => Promise<void>;
}

/**
 * Completions and failures go through graphile-worker's batcher, which a pool flushes before it
 * closes. Unbatched (the default), a job's completion is not awaited: a job finished during a
 * graceful stop, or just before `runOnce` returns, could be left locked and run again later.
 */
export const QUEUE_PRESET = { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } };

/** graphile-worker's own log lines, as JSON lines of ours with the job's scope. */
function queueLogger(log: AppLogger): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const fields = {
      ...(scope.label ? { scope: scope.label } : {}),
      ...(scope.taskIdentifier ? { task: scope.taskIdentifier } : {}),
      ...(scope.jobId ? { jobId: scope.jobId } : {}),
      ...(scope.workerId ? { workerId: scope.workerId } : {}),
      ...(meta?.error ? { err: meta.error } : {}),
    };
    const at = level === "warning" ? "warn" : level;
    log[at](message, fields);
  });
}

/**
 * Starts the job queue worker. SIGTERM / SIGINT stop it gracefully: no new jobs are taken,
 * running ones finish (they see `helpers.abortSignal` after 5 s), any still running after
 * `shutdownTimeoutMs` are released back to the queue with an error so another worker retries
 * them (every task is safe to run twice), then the pool closes and the process exits 0.
 */
export async function startWorker(opts: WorkerOptions = {}): Promise<StartedWorker> {
  const env = loadEnv();
  const log = opts.log ?? createLogger({ level: env.LOG_LEVEL, base: { app: "worker" } });
  const database = opts.databaseUrl
    ? { url: opts.databaseUrl, stop: undefined }
    : await resolveDatabase((line) => log.info(line), env);
  await migrateDatabase(database.url);
  // Each campaign being sent holds one connection for its sender lock (campaign-send.ts).
  const { db, close } = createDb(database.url, { max: 10 });
  // The pool, for a forceful release after the timeout (Runner.kill does nothing once a graceful
  // shutdown has begun).
  const events = new EventEmitter() as WorkerEvents;
  let pool: WorkerPool | undefined;
  events.on("pool:create", ({ workerPool }) => {
    pool = workerPool;
  });
  const crontab = opts.crontab ?? CRONTAB;
  const runner = await run({
    events,
    connectionString: database.url,
    concurrency: 4,
    // Our handler below: graphile-worker's own re-raises the signal once jobs are done, which
    // would skip closing the pool.
    noHandleSignals: true,
    pollInterval: 2000,
    preset: QUEUE_PRESET,
    logger: queueLogger(log),
    taskList: (opts.taskList ?? createTaskList)(db, env),
    ...(crontab ? { crontab } : { parsedCronItems: [] }),
  });
  // The dashboard reads a snapshot: make one now rather than at the next half hour.
  await runner.addJob(JOBS.refreshAnalytics, {}, { jobKey: ANALYTICS_REFRESH_JOB_KEY });
  log.info("worker running", { emailTransport: env.EMAIL_TRANSPORT });
  const emailNotice = emailTransportStartupNotice(env);
  if (emailNotice) log.warn(emailNotice);

  const timeoutMs = opts.shutdownTimeoutMs ?? 25_000;
  let stopping: Promise<void> | undefined;
  const stop = (reason = "stop") => {
    stopping ??= (async () => {
      log.info("worker stopping: no new jobs, finishing running ones", { reason });
      const timer = setTimeout(() => {
        log.warn("jobs still running at the shutdown timeout: releasing them for a retry", {
          timeoutMs,
        });
        if (pool) {
          Promise.resolve(pool.forcefulShutdown("worker shutdown timeout")).catch((err: unknown) =>
            log.error("releasing running jobs failed", { err }),
          );
        }
      }, timeoutMs);
      try {
        await runner.stop(reason);
      } catch (err) {
        // Already stopped (the runner failed on its own) or a job could not be released.
        log.warn("runner stop reported a problem", { err });
      } finally {
        clearTimeout(timer);
      }
      await close();
      await database.stop?.();
      log.info("worker stopped");
    })();
    return stopping;
  };

  const signals = opts.signals ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  for (const signal of ["SIGTERM", "SIGINT"]) {
    signals.once(signal, () => {
      void stop(signal).then(() => exit(0));
    });
  }
  runner.promise.catch((err: unknown) => {
    log.error("worker failed", { err });
    void stop("worker failed").then(() => exit(1));
  });
  return { runner, db, stop };
}
