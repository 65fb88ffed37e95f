import { enqueueJob } from "@xplorium/db";
import { insertCustomer, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { CRONTAB } from "@xplorium/worker/tasks";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../packages/core/src/loyalty/ledger";
import { graphileWorker } from "./support/graphile-worker";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * The daily loyalty jobs as the worker runs them: the real task list, through graphile-worker,
 * against a real database. The ledger check records its result in job_runs and logs drift as an
 * error naming the customers; points expiry runs when configured.
 */

const w = useWorkerFixture({ env: { POINTS_EXPIRY_MONTHS: "6" } });
let t: TestDatabase;
let logged: { level: string; message: string }[] = [];

beforeAll(() => {
  t = w.t;
});
beforeEach(() => {
  logged = [];
});

const logger = new graphileWorker.Logger(() => (level, message) => {
  logged.push({ level, message });
});

async function runTask(task: string) {
  await enqueueJob(t.db, task, {});
  await w.runJobs({ logger });
}

const runs = (kind: string) =>
  t.sql`select status, result, error from job_runs where kind = ${kind} order by created_at`;

describe("loyalty jobs in the worker", () => {
  it("are scheduled daily", () => {
    expect(CRONTAB).toContain(`30 2 * * * ${JOBS.checkLedger}`);
    expect(CRONTAB).toContain(`0 3 * * * ${JOBS.expirePoints}`);
  });

  it("loyalty:check-ledger records a clean run, and logs and records drift by customer", async () => {
    const c = await insertCustomer(t.db);
    await t.db.transaction((tx) =>
      postPoints(tx, {
        customerId: c.id,
        delta: 100,
        reason: "BOOKING_COMPLETED",
        idempotencyKey: `jobs:${c.id}`,
      }),
    );
    await runTask(JOBS.checkLedger);
    expect(await runs("ledger-check")).toEqual([
      { status: "SUCCEEDED", result: { driftCount: 0, drift: [] }, error: null },
    ]);
    expect(logged.some((l) => l.level === "error")).toBe(false);

    // Drift the commit-time trigger would refuse, made with triggers off (a restore gone wrong).
    await t.sql.begin(async (sql) => {
      await sql`set local session_replication_role = replica`;
      await sql`update customers set loyalty_points = 175 where id = ${c.id}`;
    });
    await runTask(JOBS.checkLedger);
    const [, drifted] = await runs("ledger-check");
    expect(drifted).toEqual({
      status: "FAILED",
      result: { driftCount: 1, drift: [{ customerId: c.id, balance: 175, ledgerSum: 100 }] },
      error: "Points balance differs from the ledger for 1 customer(s)",
    });
    const errors = logged.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(c.id);
    expect(errors[0]!.message).toContain("balance 175, ledger 100");

    // Put it back, so the invariant holds again.
    await t.sql.begin(async (sql) => {
      await sql`set local session_replication_role = replica`;
      await sql`update customers set loyalty_points = 100 where id = ${c.id}`;
    });
    expect(await ledgerDrift(t.db)).toEqual([]);
  });

  it("loyalty:expire-points runs with the configured expiry and records its run", async () => {
    await runTask(JOBS.expirePoints);
    expect(await runs("points-expiry")).toEqual([
      { status: "SUCCEEDED", result: { warned: 0, expired: 0, pointsExpired: 0 }, error: null },
    ]);
    const [settings] = await t.sql`select points_expiry_enabled_at from loyalty_settings`;
    expect(settings!.points_expiry_enabled_at).not.toBeNull();
    expect(logged.map((l) => l.message)).toContain(
      `${JOBS.expirePoints}: 0 warned, 0 expired (0 points)`,
    );
  });
});
