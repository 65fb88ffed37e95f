import { type Env, loadEnv } from "@xplorium/config";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { QUEUE_PRESET } from "@xplorium/worker";
import { createTaskList } from "@xplorium/worker/tasks";
import { afterAll, beforeAll } from "vitest";
import { type FakeResend, startFakeResend } from "./fake-resend";
import { graphileWorker } from "./graphile-worker";

type TaskList = ReturnType<typeof createTaskList>;
type WorkerLogger = InstanceType<typeof graphileWorker.Logger>;

/** A graphile-worker logger that drops every line (the default of `runJobs`). */
export const quietLogger: WorkerLogger = new graphileWorker.Logger(() => () => {});

export interface RunJobsOptions {
  /** Only these tasks of the worker's real task list (the others' jobs wait). */
  only?: string[];
  /** Another task list altogether (a test that wires a task by hand). */
  taskList?: TaskList;
  logger?: WorkerLogger;
  /** The real task list built on another env (a mode the test switches to), same database. */
  env?: Env;
}

export interface WorkerFixture {
  /** A fresh test database (dropped by `close`). */
  t: TestDatabase;
  /** The app environment on that database (and on the fake Resend, when there is one). */
  env: Env;
  /** The local fake of the Resend API; only with `resend` (otherwise it throws when read). */
  resend: FakeResend;
  /** Every due job once, as the worker runs them: its real task list and queue preset. */
  runJobs(opts?: RunJobsOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * Points the `resend` SDK at `url`: it reads RESEND_BASE_URL from the process environment when a
 * client is constructed, not from the app's env. Returns what puts the previous value back.
 */
export function pointResendSdkAt(url: string): () => void {
  // biome-ignore lint/style/noProcessEnv: the SDK's own switch, set by the test harness
  const processEnv = process.env;
  const previous = processEnv.RESEND_BASE_URL;
  processEnv.RESEND_BASE_URL = url;
  return () => {
    if (previous === undefined) delete processEnv.RESEND_BASE_URL;
    else processEnv.RESEND_BASE_URL = previous;
  };
}

/**
 * The root tests' "worker + fake Resend": a fresh database, an env built on it and, with
 * `resend`, a local fake of the Resend API that the real `resend` SDK reaches through
 * RESEND_BASE_URL (the SDK reads it from `process.env` when a client is constructed, so it is
 * set there until `close` puts the previous value back).
 */
export async function workerFixture(
  opts: { resend?: { apiKey: string }; env?: Record<string, string> } = {},
): Promise<WorkerFixture> {
  const t = await createTestDatabase();
  let fake: FakeResend | undefined;
  let restoreBaseUrl = () => {};
  const resendEnv: Record<string, string> = {};
  if (opts.resend) {
    fake = await startFakeResend();
    restoreBaseUrl = pointResendSdkAt(fake.url);
    resendEnv.RESEND_API_KEY = opts.resend.apiKey;
    resendEnv.RESEND_BASE_URL = fake.url;
  }
  const env = loadEnv({ NODE_ENV: "test", DATABASE_URL: t.url, ...resendEnv, ...opts.env });
  return {
    t,
    env,
    get resend(): FakeResend {
      if (!fake) throw new Error("workerFixture: started without `resend`");
      return fake;
    },
    async runJobs({
      only,
      taskList,
      logger = quietLogger,
      env: jobEnv = env,
    }: RunJobsOptions = {}) {
      let tasks = taskList ?? createTaskList(t.db, jobEnv);
      if (only) tasks = Object.fromEntries(only.map((name) => [name, tasks[name]!]));
      await graphileWorker.runOnce({
        connectionString: t.url,
        preset: QUEUE_PRESET,
        logger,
        noHandleSignals: true,
        taskList: tasks,
      });
    },
    async close() {
      restoreBaseUrl();
      await fake?.close();
      await t.drop();
    },
  };
}

/**
 * `workerFixture` for the tests of a file (or of the describe it is called in): started in a
 * `beforeAll`, closed in an `afterAll`; the handle reads the started fixture, so it is used
 * from the tests and hooks that come after.
 */
export function useWorkerFixture(opts: Parameters<typeof workerFixture>[0] = {}): WorkerFixture {
  let started: WorkerFixture | undefined;
  beforeAll(async () => {
    started = await workerFixture(opts);
  });
  afterAll(() => started?.close());
  const current = () => {
    if (!started) throw new Error("useWorkerFixture: read before its beforeAll ran");
    return started;
  };
  return {
    get t() {
      return current().t;
    },
    get env() {
      return current().env;
    },
    get resend() {
      return current().resend;
    },
    runJobs: (runOpts) => current().runJobs(runOpts),
    close: () => current().close(),
  };
}
