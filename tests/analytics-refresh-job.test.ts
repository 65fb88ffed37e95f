import { startCustomerSync } from "@xplorium/core/customers";
import { schema } from "@xplorium/db";
import { insertStaffActor, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { CRONTAB } from "@xplorium/worker/tasks";
import { beforeAll, describe, expect, it } from "vitest";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * The analytics snapshot through the worker: the `analytics:refresh` task (the real task list)
 * builds it, a sync from bookings queues one after it, and the crontab runs it every 30 minutes.
 */
const w = useWorkerFixture();
let t: TestDatabase;
beforeAll(() => {
  t = w.t;
});
const runWorker = () => w.runJobs();
const queued = async (task: string) =>
  (
    await t.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = ${task}`
  )[0]!.n as number;

describe("analytics:refresh", () => {
  it("is on the crontab every 30 minutes, one at a time", () => {
    expect(CRONTAB).toContain(
      `*/30 * * * * ${JOBS.refreshAnalytics} ?jobKey=${JOBS.refreshAnalytics}`,
    );
  });

  it("follows a sync from bookings, so the synced customers show on the dashboard", async () => {
    const actor = await insertStaffActor(t.db, { role: "MANAGER" });
    await t.db.insert(schema.bookings).values({
      type: "PARTY",
      status: "COMPLETED",
      scheduledAt: new Date("2026-05-01T10:00:00Z"),
      completedAt: new Date("2026-05-01T12:00:00Z"),
      amount: 25_000,
      currency: "EUR",
      contactEmail: "synced.family@example.org",
      contactName: "Synced Family",
      source: "IMPORT",
    });
    await startCustomerSync({
      db: t.db,
      actor,
      meta: { ip: null, userAgent: null, requestId: "sync" },
    });
    expect(await queued(JOBS.syncCustomers)).toBe(1);
    // The sync runs and queues the refresh; the same run picks that up too.
    await runWorker();
    expect(await queued(JOBS.syncCustomers)).toBe(0);
    expect(await queued(JOBS.refreshAnalytics)).toBe(0);
    const [state] = await t.sql`select summary from analytics_state`;
    expect(state?.summary).toMatchObject({ customers: 1, customersWithVisits: 1 });
    const [row] = await t.sql`
      select ca.acquired_on::text as acquired_on, ca.spent::int as spent, ca.rfm_segment
      from customer_analytics ca join customers c on c.id = ca.customer_id
      where c.email = 'synced.family@example.org'`;
    // Acquired on the first visit, not on the day the sync created the customer.
    expect(row).toEqual({ acquired_on: "2026-05-01", spent: 25_000, rfm_segment: "CHAMPIONS" });
  });
});
