import { type Database, enqueueJob, schema } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import { and, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import { type Actor, systemActor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { type SyncFromBookingsResult, syncFromBookingsInTx } from "./sync-from-bookings";

const { jobRuns, staffUsers } = schema;

/** `job_runs.kind` of a sync from bookings (the worker runs one as `JOBS.syncCustomers`). */
export const CUSTOMER_SYNC_KIND = "customers.sync";

/**
 * One statement has no intermediate counts, so progress is a step: queued → counting (the
 * unlinked bookings, a cheap count shown as "N bookings to link") → syncing → done | failed.
 */
export type CustomerSyncStep = "queued" | "counting" | "syncing" | "done" | "failed";

interface SyncProgress {
  step: CustomerSyncStep;
  unlinkedBookings?: number;
  customers?: number;
}

export interface CustomerSyncRun {
  id: string;
  status: (typeof schema.jobRunStatus.enumValues)[number];
  step: CustomerSyncStep;
  /** Bookings without a customer and live customers when the run started (null until counted). */
  unlinkedBookings: number | null;
  customers: number | null;
  result: SyncFromBookingsResult | null;
  /** What staff see when it failed; the cause is in job_runs.error and the worker log. */
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Since it was requested, until it finished (or now), by the database's clock. */
  elapsedMs: number;
}

const ACTIVE = ["QUEUED", "RUNNING"] as const;
// A run still queued or running after this is taken as lost (worker down or killed).
const STALE_AFTER = sql`interval '1 hour'`;
// An arbitrary application-wide key for pg_advisory_xact_lock: one start at a time.
const START_LOCK = 7_370_002;

const FAILED_MESSAGE =
  "The sync did not finish. Try again; if it fails again, the worker log has the details.";

async function readRun(db: Database, where: SQL | undefined): Promise<CustomerSyncRun | null> {
  const [row] = await db
    .select({
      id: jobRuns.id,
      status: jobRuns.status,
      progress: jobRuns.progress,
      result: jobRuns.result,
      error: jobRuns.error,
      requestedBy: staffUsers.name,
      createdAt: jobRuns.createdAt,
      startedAt: jobRuns.startedAt,
      finishedAt: jobRuns.finishedAt,
      elapsedMs:
        sql<number>`(extract(epoch from coalesce(${jobRuns.finishedAt}, now()) - ${jobRuns.createdAt}) * 1000)::bigint`.mapWith(
          Number,
        ),
    })
    .from(jobRuns)
    .leftJoin(staffUsers, eq(staffUsers.id, jobRuns.requestedByStaffId))
    .where(and(eq(jobRuns.kind, CUSTOMER_SYNC_KIND), where))
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(1);
  if (!row) return null;
  const progress = (row.progress ?? { step: "queued" }) as unknown as SyncProgress;
  return {
    id: row.id,
    status: row.status,
    step: progress.step,
    unlinkedBookings: progress.unlinkedBookings ?? null,
    customers: progress.customers ?? null,
    result: (row.result as unknown as SyncFromBookingsResult | null) ?? null,
    error: row.status === "FAILED" ? FAILED_MESSAGE : null,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    elapsedMs: row.elapsedMs,
  };
}

/** A given run, or the latest one (null when there has never been one). */
export async function customerSyncStatus(
  { db }: DepsWith<"db">,
  input: { id?: string | undefined } = {},
): Promise<CustomerSyncRun | null> {
  const run = await readRun(db, input.id ? eq(jobRuns.id, input.id) : undefined);
  if (input.id && !run) throw notFound("Sync run");
  return run;
}

/**
 * Queues a sync from bookings: a job_runs row and its graphile-worker job in one transaction.
 * While a run is queued or running, returns that run instead of queueing another
 * (`started: false`), so a double click or two staff at once start one sync.
 */
export async function startCustomerSync(
  deps: DepsWith<"db" | "actor" | "meta">,
): Promise<{ run: CustomerSyncRun; started: boolean }> {
  const { db, actor, meta } = deps;
  if (actor.type !== "staff") throw new AppError("FORBIDDEN", "Only staff can start a sync.");
  const { id, started } = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${START_LOCK}::bigint)`);
    await tx
      .update(jobRuns)
      .set({
        status: "FAILED",
        error: "Abandoned: still queued or running an hour after it was requested.",
        progress: { step: "failed" },
        finishedAt: sql`now()`,
      })
      .where(
        and(
          eq(jobRuns.kind, CUSTOMER_SYNC_KIND),
          inArray(jobRuns.status, ACTIVE),
          lt(jobRuns.createdAt, sql`now() - ${STALE_AFTER}`),
        ),
      );
    const [active] = await tx
      .select({ id: jobRuns.id })
      .from(jobRuns)
      .where(and(eq(jobRuns.kind, CUSTOMER_SYNC_KIND), inArray(jobRuns.status, ACTIVE)))
      .orderBy(desc(jobRuns.createdAt))
      .limit(1);
    if (active) return { id: active.id, started: false };
    const [run] = await tx
      .insert(jobRuns)
      .values({
        kind: CUSTOMER_SYNC_KIND,
        status: "QUEUED",
        progress: { step: "queued" } satisfies SyncProgress,
        requestedByStaffId: actor.id,
      })
      .returning({ id: jobRuns.id });
    await enqueueJob(
      tx,
      JOBS.syncCustomers,
      { jobRunId: run!.id, requestId: meta.requestId, ip: meta.ip },
      { maxAttempts: 3 },
    );
    await recordAudit(tx, actor, meta, {
      action: "customers.sync_requested",
      entityType: "job_run",
      entityId: run!.id,
    });
    return { id: run!.id, started: true };
  });
  return { run: (await customerSyncStatus(deps, { id }))!, started };
}

/** The database's own message: drizzle wraps it in a "Failed query: <the whole SQL>" error. */
function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

export type CustomerSyncOutcome =
  | { outcome: "succeeded"; result: SyncFromBookingsResult }
  | { outcome: "failed"; error: unknown }
  | { outcome: "skipped" };

/**
 * The worker's part: marks the run RUNNING, counts what there is to do, runs the sync and
 * stores its result in the same transaction (so a run is SUCCEEDED exactly when its changes
 * committed), or marks it FAILED. A run already finished is skipped, so a retried job is safe.
 * The audit row names the staff member who asked for it.
 */
export async function runCustomerSync(
  { db, meta }: DepsWith<"db" | "meta">,
  { jobRunId }: { jobRunId: string },
): Promise<CustomerSyncOutcome> {
  const [claimed] = await db
    .update(jobRuns)
    .set({
      status: "RUNNING",
      startedAt: sql`coalesce(${jobRuns.startedAt}, now())`,
      progress: { step: "counting" } satisfies SyncProgress,
    })
    .where(
      and(
        eq(jobRuns.id, jobRunId),
        eq(jobRuns.kind, CUSTOMER_SYNC_KIND),
        inArray(jobRuns.status, ACTIVE),
      ),
    )
    .returning({ staffId: jobRuns.requestedByStaffId });
  if (!claimed) return { outcome: "skipped" };

  try {
    let actor: Actor = systemActor;
    if (claimed.staffId) {
      const [staff] = await db
        .select({ id: staffUsers.id, role: staffUsers.role })
        .from(staffUsers)
        .where(eq(staffUsers.id, claimed.staffId));
      if (staff) actor = { type: "staff", id: staff.id, role: staff.role };
    }
    const [counts] = await db.execute<{ unlinked_bookings: number; customers: number }>(sql`
      select (select count(*) from bookings where customer_id is null)::int as unlinked_bookings,
             (select count(*) from customers where erased_at is null)::int as customers`);
    const counted = {
      unlinkedBookings: counts!.unlinked_bookings,
      customers: counts!.customers,
    };
    await db
      .update(jobRuns)
      .set({ progress: { step: "syncing", ...counted } satisfies SyncProgress })
      .where(eq(jobRuns.id, jobRunId));
    const result = await db.transaction(async (tx) => {
      const r = await syncFromBookingsInTx(tx, actor, meta, { jobRunId });
      await tx
        .update(jobRuns)
        .set({
          status: "SUCCEEDED",
          result: { ...r },
          progress: { step: "done", ...counted } satisfies SyncProgress,
          finishedAt: sql`now()`,
        })
        .where(eq(jobRuns.id, jobRunId));
      return r;
    });
    return { outcome: "succeeded", result };
  } catch (error) {
    await db
      .update(jobRuns)
      .set({
        status: "FAILED",
        error: describeError(error),
        progress: { step: "failed" } satisfies SyncProgress,
        finishedAt: sql`now()`,
      })
      .where(eq(jobRuns.id, jobRunId));
    return { outcome: "failed", error };
  }
}
