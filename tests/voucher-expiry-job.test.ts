import { type Env, loadEnv } from "@xplorium/config";
import { systemDeps } from "@xplorium/core/deps";
import { createReward, redeemReward } from "@xplorium/core/loyalty";
import { createTestDatabase, insertCustomer, type TestDatabase } from "@xplorium/db/testing";
import { QUEUE_PRESET } from "@xplorium/worker";
import { CRONTAB, createTaskList, EXPIRE_VOUCHERS_TASK } from "@xplorium/worker/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../packages/core/src/loyalty/ledger";
import { graphileWorker } from "./support/graphile-worker";

/** The worker's daily `loyalty:expire-vouchers` task, run by graphile-worker itself. */

let t: TestDatabase;
let env: Env;

beforeAll(async () => {
  t = await createTestDatabase();
  env = loadEnv({ NODE_ENV: "test", DATABASE_URL: t.url });
});
afterAll(async () => {
  await t?.drop();
});

describe("loyalty:expire-vouchers", () => {
  it("is on the crontab once a day", () => {
    const items = graphileWorker.parseCrontab(CRONTAB);
    const item = items.find((i) => i.task === EXPIRE_VOUCHERS_TASK);
    expect(item).toBeDefined();
    expect(item!.match).toBeTypeOf("function");
    expect(CRONTAB).toMatch(/^5 0 \* \* \* loyalty:expire-vouchers$/m);
  });

  it("expires overdue vouchers without refunding them", async () => {
    const c = await insertCustomer(t.db);
    await t.db.transaction((tx) =>
      postPoints(tx, {
        customerId: c.id,
        delta: 1000,
        reason: "BOOKING_COMPLETED",
        idempotencyKey: `earn:${c.id}`,
      }),
    );
    const system = systemDeps(t.db, env);
    const r = await createReward(system, { name: "Juice", pointsCost: 500 });
    const old = await redeemReward(system, { customerId: c.id, rewardId: r.id });
    const fresh = await redeemReward(system, { customerId: c.id, rewardId: r.id });
    await t.sql`update vouchers set expires_at = now() - interval '1 day' where id = ${old.voucher.id}`;

    await t.sql`select graphile_worker.add_job(${EXPIRE_VOUCHERS_TASK})`;
    await graphileWorker.runOnce({
      connectionString: t.url,
      preset: QUEUE_PRESET,
      logger: new graphileWorker.Logger(() => () => {}),
      noHandleSignals: true,
      taskList: createTaskList(t.db, env),
    });

    const rows = await t.sql`select id, status from vouchers where customer_id = ${c.id}`;
    const status = Object.fromEntries(rows.map((v) => [v.id, v.status]));
    expect(status).toEqual({ [old.voucher.id]: "EXPIRED", [fresh.voucher.id]: "ISSUED" });
    const [customer] = await t.sql`select loyalty_points from customers where id = ${c.id}`;
    expect(customer!.loyalty_points).toBe(0);
    const jobs = await t.sql`select 1 from graphile_worker.jobs`;
    expect(jobs).toHaveLength(0);
    expect(await ledgerDrift(t.db)).toEqual([]);
  });
});
