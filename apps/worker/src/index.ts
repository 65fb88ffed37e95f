import { createDb, migrateDatabase, resolveDatabase } from "@xplorium/db";
import { env as loadEnv } from "@xplorium/db/env";
import { run } from "graphile-worker";
import { CRONTAB, createTaskList } from "./tasks";
import { ANALYTICS_REFRESH_JOB_KEY, ANALYTICS_REFRESH_TASK } from "./tasks/refresh-analytics";

/** Starts the job queue worker; resolves when it stops. */
export async function startWorker() {
  const env = loadEnv();
  const database = await resolveDatabase((l) => console.log(`[worker] ${l}`));
  await migrateDatabase(database.url);
  const { db, close } = createDb(database.url, { max: 5 });
  const runner = await run({
    connectionString: database.url,
    concurrency: 4,
    noHandleSignals: false,
    pollInterval: 2000,
    taskList: createTaskList(db, env),
    crontab: CRONTAB,
  });
  // The dashboard reads a snapshot: make one now rather than at the next half hour.
  await runner.addJob(ANALYTICS_REFRESH_TASK, {}, { jobKey: ANALYTICS_REFRESH_JOB_KEY });
  console.log(`[worker] running; email transport: ${env.RESEND_API_KEY ? "Resend" : "dev outbox"}`);
  await runner.promise;
  await close();
  await database.stop?.();
}
