import { createSession } from "@xplorium/auth";
import { insertCustomer, insertStaff, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * Issue 14, item 11: the worker's hourly `auth:purge-expired`, run by graphile-worker itself,
 * deletes sessions past their inactivity timeout or past the absolute lifetime the environment
 * sets (STAFF_SESSION_MAX_DAYS / CUSTOMER_SESSION_MAX_DAYS), however recently they were used.
 */

// The configured lifetimes: 3 days for staff, 10 for customers.
const w = useWorkerFixture({
  env: { STAFF_SESSION_MAX_DAYS: "3", CUSTOMER_SESSION_MAX_DAYS: "10" },
});
let t: TestDatabase;
beforeAll(() => {
  t = w.t;
});

describe("auth:purge-expired and the session lifetime", () => {
  it("deletes busy sessions older than the configured lifetimes, and keeps the rest", async () => {
    const staff = await insertStaff(t.db);
    const customer = await insertCustomer(t.db);
    /** A session created `days` ago and used a minute ago. */
    const session = async (kind: "STAFF" | "CUSTOMER", days: number) => {
      const s = await createSession(
        t.db,
        kind === "STAFF"
          ? { kind, staffUserId: staff.id }
          : { kind: "CUSTOMER", customerId: customer.id },
      );
      await t.sql`update sessions set created_at = now() - make_interval(days => ${days}),
        last_verified_at = now() - interval '1 minute' where id = ${s.id}`;
      return s.id;
    };
    const staffOld = await session("STAFF", 4);
    const staffYoung = await session("STAFF", 2);
    const customerOld = await session("CUSTOMER", 11);
    const customerYoung = await session("CUSTOMER", 9);

    await t.sql`select graphile_worker.add_job(${JOBS.purgeExpiredAuth})`;
    await w.runJobs();

    const left = (await t.sql`select id from sessions`).map((r) => r.id).sort();
    expect(left).toEqual([staffYoung, customerYoung].sort());
    expect(left).not.toContain(staffOld);
    expect(left).not.toContain(customerOld);
    expect(await t.sql`select 1 from graphile_worker.jobs`).toHaveLength(0);
  });
});
