import { createSession } from "@xplorium/auth";
import { loadEnv } from "@xplorium/config";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff,
  type TestDatabase,
} from "@xplorium/db/testing";
import { QUEUE_PRESET } from "@xplorium/worker";
import { createTaskList, PURGE_EXPIRED_AUTH_TASK } from "@xplorium/worker/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphileWorker } from "./support/graphile-worker";

/**
 * Issue 14, item 11: the worker's hourly `auth:purge-expired`, run by graphile-worker itself,
 * deletes sessions past their inactivity timeout or past the absolute lifetime the environment
 * sets (STAFF_SESSION_MAX_DAYS / CUSTOMER_SESSION_MAX_DAYS), however recently they were used.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

describe("auth:purge-expired and the session lifetime", () => {
  it("deletes busy sessions older than the configured lifetimes, and keeps the rest", async () => {
    const env = loadEnv({
      NODE_ENV: "test",
      DATABASE_URL: t.url,
      STAFF_SESSION_MAX_DAYS: "3",
      CUSTOMER_SESSION_MAX_DAYS: "10",
    });
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

    await t.sql`select graphile_worker.add_job(${PURGE_EXPIRED_AUTH_TASK})`;
    await graphileWorker.runOnce({
      connectionString: t.url,
      preset: QUEUE_PRESET,
      logger: new graphileWorker.Logger(() => () => {}),
      noHandleSignals: true,
      taskList: createTaskList(t.db, env),
    });

    const left = (await t.sql`select id from sessions`).map((r) => r.id).sort();
    expect(left).toEqual([staffYoung, customerYoung].sort());
    expect(left).not.toContain(staffOld);
    expect(left).not.toContain(customerOld);
    expect(await t.sql`select 1 from graphile_worker.jobs`).toHaveLength(0);
  });
});
