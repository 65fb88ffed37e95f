import type { Database } from "@xplorium/db";
import { type Actor, noRequest, type RequestMeta, systemActor } from "./actor";

/**
 * What every service takes first: `doThing(deps, input)`. Built once per request by the tRPC
 * middleware that authenticates it (packages/api/src/trpc.ts) and once per job by the worker
 * (`jobTask`, apps/worker/src/tasks/job-deps.ts). `config` is the process's validated
 * configuration; each service names only the slice it reads (`Deps<PointsExpiryConfig>`), so
 * none takes the whole env.
 */
export interface Deps<Config = unknown> {
  db: Database;
  /** Who acts: the audit log's actor, and the owner of what the service reads or writes. */
  actor: Actor;
  /** Where the request came from (IP, user agent, request id), for the audit log. */
  meta: RequestMeta;
  config: Config;
  /** The moment the work happens; tests fix it. Unset: now. */
  now?: Date;
}

/** A service that needs only some of the deps, e.g. `DepsWith<"db" | "config", CodeConfig>`. */
export type DepsWith<K extends keyof Deps, Config = unknown> = Pick<Deps<Config>, K | "now">;

/** The deps of work nobody in particular asked for: a scheduled job, a script, a test's setup. */
export function systemDeps<Config>(db: Database, config: Config, now?: Date): Deps<Config> {
  return { db, actor: systemActor, meta: noRequest, config, ...(now ? { now } : {}) };
}

/** `deps.now`, or the current time. */
export function nowOf(deps: { now?: Date }): Date {
  return deps.now ?? new Date();
}
