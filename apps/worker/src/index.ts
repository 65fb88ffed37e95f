import { createDb, migrateDatabase, resolveDatabase } from "@xplorium/db";
import { env as loadEnv } from "@xplorium/db/env";
import { run } from "graphile-worker";
import { CRONTAB, createTaskList } from "./tasks";

/** Starts the job queue worker; resolves when it stops. */
export async function startWorker() {
  const env = loadEnv();
  const database = await resolveDatabase((l) => console.log(`[worker] ${l}`));
  await migrateDatabase(database.url);
  // Each campaign being sent holds one connection for its sender lock (campaign-send.ts).
  const { db, close } = createDb(database.url, { max: 10 });
  const runner = await run({
    connectionString: database.url,
    concurrency: 4,
    noHandleSignals: false,
    pollInterval: 2000,
    taskList: createTaskList(db, env),
    crontab: CRONTAB,
  });
  console.log(`[worker] running; email transport: ${env.RESEND_API_KEY ? "Resend" : "dev outbox"}`);
  await runner.promise;
  await close();
  await database.stop?.();
}
