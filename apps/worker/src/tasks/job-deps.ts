import type { Env } from "@xplorium/config";
import { noRequest, systemActor } from "@xplorium/core/actor";
import type { Deps } from "@xplorium/core/deps";
import type { Database } from "@xplorium/db";
import type { JobHelpers, Task } from "graphile-worker";

/** What a job's services take first: the system acting, the job's id standing for a request id. */
export type JobDeps = Deps<Env>;

/**
 * A task whose work gets its deps built once per job (the worker's counterpart of the tRPC
 * middleware that builds them per request): `jobTask(db, env, (deps, payload, helpers) => …)`.
 */
export function jobTask(
  db: Database,
  env: Env,
  run: (deps: JobDeps, payload: unknown, helpers: JobHelpers) => Promise<void>,
): Task {
  return (payload, helpers) =>
    run(
      {
        db,
        actor: systemActor,
        meta: { ...noRequest, requestId: `job:${helpers.job.id}` },
        config: env,
      },
      payload,
      helpers,
    );
}
