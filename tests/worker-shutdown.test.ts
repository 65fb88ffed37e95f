import { EventEmitter } from "node:events";
import { enqueueJob } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { memoryLogger } from "@xplorium/logger";
import { type StartedWorker, startWorker } from "@xplorium/worker";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The worker's graceful stop (apps/worker/src/index.ts), on a real queue: SIGTERM lets the
 * running job finish and takes no new one; a job that will not finish is released for a retry
 * after the timeout; the pool closes and the process would exit 0.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.sql`create table worker_test_done (name text primary key)`;
});
afterAll(async () => {
  await t.drop();
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function startTestWorker(
  tasks: Record<string, (name: string) => Promise<void>>,
  timeoutMs = 10_000,
) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const logs = memoryLogger();
  const worker: StartedWorker = await startWorker({
    databaseUrl: t.url,
    crontab: "",
    shutdownTimeoutMs: timeoutMs,
    signals,
    exit: (code) => exits.push(code),
    log: logs.logger,
    taskList: (db) =>
      Object.fromEntries(
        Object.entries(tasks).map(([id, body]) => [
          id,
          async (payload: unknown) => {
            const { name } = payload as { name: string };
            await body(name);
            await db.execute(sql`insert into worker_test_done (name) values (${name})`);
          },
        ]),
      ),
  });
  return { worker, signals, exits, logs };
}

const jobs = (task: string) =>
  t.sql<{ locked_at: Date | null; attempts: number; last_error: string | null }[]>`
    select locked_at, attempts, last_error from graphile_worker.jobs where task_identifier = ${task}`;
const done = async (name: string) =>
  (await t.sql`select 1 from worker_test_done where name = ${name}`).length === 1;

describe("worker graceful stop", () => {
  it("on SIGTERM finishes (and marks done) the running job, starts no new one, closes the pool and exits 0", async () => {
    const started = deferred();
    const release = deferred();
    const { worker, signals, exits, logs } = await startTestWorker({
      "test:slow": async () => {
        started.resolve();
        await release.promise;
      },
    });
    await enqueueJob(t.db, "test:slow", { name: "first" });
    await started.promise;

    // Due only after the signal: it must wait for the next worker.
    await enqueueJob(t.db, "test:slow", { name: "second" }, { runAt: new Date(Date.now() + 500) });
    signals.emit("SIGTERM");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await done("first")).toBe(false);
    expect(exits).toEqual([]);

    release.resolve();
    await worker.stop();
    await new Promise((r) => setImmediate(r));
    expect(await done("first")).toBe(true);
    expect(await done("second")).toBe(false);
    const left = await jobs("test:slow");
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ locked_at: null, attempts: 0 });
    expect(exits).toEqual([0]);
    await expect(worker.db.execute(sql`select 1`)).rejects.toThrow();
    expect(logs.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        "worker stopping: no new jobs, finishing running ones",
        "worker stopped",
      ]),
    );
    await t.sql`delete from graphile_worker._private_jobs`;
  });

  it("releases a job still running at the timeout, so another worker retries it", async () => {
    const started = deferred();
    const { worker, signals, exits, logs } = await startTestWorker(
      {
        "test:stuck": async () => {
          started.resolve();
          await new Promise(() => {}); // ignores the abort signal
        },
      },
      400,
    );
    await enqueueJob(t.db, "test:stuck", { name: "stuck" });
    await started.promise;
    signals.emit("SIGTERM");
    await worker.stop();
    await new Promise((r) => setImmediate(r));
    expect(exits).toEqual([0]);
    const [job] = await jobs("test:stuck");
    expect(job?.locked_at).toBeNull();
    expect(job?.attempts).toBe(1);
    expect(job?.last_error).toBeTruthy();
    expect(logs.lines.some((l) => l.level === "warn" && /shutdown timeout/.test(l.msg))).toBe(true);
  });
});
