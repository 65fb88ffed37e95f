import { TRPCError } from "@trpc/server";
import { createSession, type StaffRole, sessionCookieName } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { runCustomerSync } from "@xplorium/core/customers";
import { schema } from "@xplorium/db";
import { insertStaff, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appCaller } from "../packages/api/test/support";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * Sync from bookings as staff use it: tRPC `customers.syncFromBookings` → job_runs row +
 * graphile-worker job → the worker's `customers:sync` task (the real task list) → status and
 * result through `customers.syncStatus`.
 */

const w = useWorkerFixture();
let t: TestDatabase;
let env: Env;
const staff = {} as Record<StaffRole, { id: string; name: string }>;
let requestNo = 0;

beforeAll(async () => {
  ({ t, env } = w);
  for (const role of ["MANAGER", "FRONT_DESK"] as const) {
    const row = await insertStaff(t.db, { role, name: `Sync ${role}` });
    staff[role] = { id: row.id, name: row.name };
  }
});
beforeEach(async () => {
  await t.sql`select graphile_worker.complete_jobs(array(select id from graphile_worker.jobs))`;
});

async function admin(role: StaffRole) {
  const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: staff[role].id });
  const { api } = await appCaller(t.db, env, "admin", {
    headers: { cookie: `${sessionCookieName("STAFF", { secure: false })}=${token}` },
    ip: "10.9.0.1",
    requestId: `sync-${++requestNo}`,
  });
  return api;
}

/** Runs every due job once with the worker's own task list. */
const runWorker = () => w.runJobs();

async function unlinkedBooking(email: string, status: "PENDING" | "COMPLETED", amount = 0) {
  await t.db.insert(schema.bookings).values({
    type: "CAFE",
    status,
    scheduledAt: new Date("2024-05-01T10:00:00Z"),
    completedAt: status === "COMPLETED" ? new Date("2024-05-01T12:00:00Z") : null,
    amount,
    currency: "RSD",
    contactEmail: email,
    contactName: "Job Parent",
    source: "IMPORT",
  });
}

const syncJobs = () =>
  t.sql`select id from graphile_worker.jobs where task_identifier = ${JOBS.syncCustomers}`;

describe("sync from bookings as a job", () => {
  it("queues once, runs in the worker, and reports progress and the result", async () => {
    await unlinkedBooking("Job.One@example.com ", "COMPLETED", 1200);
    await unlinkedBooking("job.one@example.com", "PENDING");
    await unlinkedBooking("job.two@example.com", "PENDING");

    const manager = await admin("MANAGER");
    expect(await manager.customers.syncStatus({})).toBeNull();

    const first = await manager.customers.syncFromBookings();
    expect(first.started).toBe(true);
    expect(first.run).toMatchObject({
      status: "QUEUED",
      step: "queued",
      result: null,
      error: null,
      requestedBy: staff.MANAGER.name,
      finishedAt: null,
    });
    expect(first.run.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(await syncJobs()).toHaveLength(1);

    // A second click (or another manager) while it is queued gets the same run, not a new job.
    const again = await manager.customers.syncFromBookings();
    expect(again).toMatchObject({ started: false, run: { id: first.run.id } });
    expect(await syncJobs()).toHaveLength(1);

    // Front desk may watch but not start.
    const frontDesk = await admin("FRONT_DESK");
    await expect(frontDesk.customers.syncFromBookings()).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await frontDesk.customers.syncStatus({}))?.id).toBe(first.run.id);

    await runWorker();
    expect(await syncJobs()).toHaveLength(0);

    const done = await manager.customers.syncStatus({ id: first.run.id });
    expect(done).toMatchObject({
      id: first.run.id,
      status: "SUCCEEDED",
      step: "done",
      unlinkedBookings: 3,
      customers: 0,
      result: { created: 2, updated: 0, linked: 3, unlinked: 0, suppressed: 0 },
      error: null,
    });
    expect(done!.startedAt).toBeInstanceOf(Date);
    expect(done!.finishedAt!.getTime()).toBeGreaterThanOrEqual(done!.startedAt!.getTime());

    const [one] = await t.sql`select total_bookings, total_spent::int as spent from customers
      where email = 'job.one@example.com'`;
    expect(one).toEqual({ total_bookings: 2, spent: 1200 });

    const audits = await t.sql`select action, actor_id, entity_id, request_id, details
      from audit_log where entity_id = ${first.run.id} order by id`;
    expect(audits).toEqual([
      {
        action: "customers.sync_requested",
        actor_id: staff.MANAGER.id,
        entity_id: first.run.id,
        request_id: expect.stringMatching(/^sync-/),
        details: null,
      },
      {
        action: "customers.synced",
        actor_id: staff.MANAGER.id,
        entity_id: first.run.id,
        request_id: audits[0]!.request_id,
        details: { created: 2, updated: 0, linked: 3, unlinked: 0, suppressed: 0 },
      },
    ]);

    // A retried job for a finished run does nothing.
    expect(
      await runCustomerSync(
        { db: t.db, meta: { ip: null, userAgent: null, requestId: null } },
        { jobRunId: first.run.id },
      ),
    ).toEqual({ outcome: "skipped" });

    // Once finished, a new click starts a new run, which finds nothing left to do.
    const second = await manager.customers.syncFromBookings();
    expect(second.started).toBe(true);
    expect(second.run.id).not.toBe(first.run.id);
    await runWorker();
    expect(await manager.customers.syncStatus({})).toMatchObject({
      id: second.run.id,
      status: "SUCCEEDED",
      result: { created: 0, updated: 0, linked: 0 },
    });
  });

  it("records a failure on the run without showing internals, and the next run works", async () => {
    await unlinkedBooking("job.fail@example.com", "PENDING");
    // A real failure from the database: bookings refuse to be linked for now.
    await t.sql.unsafe(`
      create function refuse_link() returns trigger language plpgsql as $$
      begin raise exception 'linking refused by test trigger'; end $$;
      create trigger refuse_link before update of customer_id on bookings
        for each row execute function refuse_link();`);
    const manager = await admin("MANAGER");
    const { run } = await manager.customers.syncFromBookings();
    await runWorker();

    const failed = await manager.customers.syncStatus({ id: run.id });
    expect(failed).toMatchObject({ status: "FAILED", step: "failed", result: null });
    expect(failed!.error).toMatch(/did not finish/);
    expect(failed!.error).not.toMatch(/trigger/);
    const [row] = await t.sql`select error from job_runs where id = ${run.id}`;
    expect(row!.error).toMatch(/linking refused by test trigger/);
    // Nothing of the failed run committed, and the job is not retried.
    expect(await t.sql`select 1 from customers where email = 'job.fail@example.com'`).toHaveLength(
      0,
    );
    expect(await syncJobs()).toHaveLength(0);

    await t.sql.unsafe("drop trigger refuse_link on bookings; drop function refuse_link();");
    const retry = await manager.customers.syncFromBookings();
    expect(retry.started).toBe(true);
    await runWorker();
    expect(await manager.customers.syncStatus({})).toMatchObject({
      id: retry.run.id,
      status: "SUCCEEDED",
      result: { created: 1, linked: 1 },
    });
  });

  it("does not wait forever on a run that was lost an hour ago", async () => {
    const [lost] = await t.sql`insert into job_runs (kind, status, progress, created_at, started_at)
      values ('customers.sync', 'RUNNING', '{"step":"syncing"}', now() - interval '2 hours',
              now() - interval '2 hours')
      returning id`;
    const manager = await admin("MANAGER");
    const next = await manager.customers.syncFromBookings();
    expect(next.started).toBe(true);
    expect(await manager.customers.syncStatus({ id: lost!.id })).toMatchObject({
      status: "FAILED",
    });
    await runWorker();
    expect((await manager.customers.syncStatus({}))?.status).toBe("SUCCEEDED");
  });

  it("answers an unknown run id with NOT_FOUND", async () => {
    const manager = await admin("MANAGER");
    const error = await manager.customers
      .syncStatus({ id: "00000000-0000-4000-8000-000000000000" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });
});
