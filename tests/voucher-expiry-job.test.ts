import type { Env } from "@xplorium/config";
import { systemDeps } from "@xplorium/core/deps";
import { createReward, redeemReward } from "@xplorium/core/loyalty";
import { insertCustomer, type TestDatabase } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { CRONTAB } from "@xplorium/worker/tasks";
import { beforeAll, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../packages/core/src/loyalty/ledger";
import { graphileWorker } from "./support/graphile-worker";
import { useWorkerFixture } from "./support/worker-fixture";

/** The worker's daily `loyalty:expire-vouchers` task, run by graphile-worker itself. */

const w = useWorkerFixture();
let t: TestDatabase;
let env: Env;
beforeAll(() => ({ t, env } = w));

describe("loyalty:expire-vouchers", () => {
  it("is on the crontab once a day", () => {
    const items = graphileWorker.parseCrontab(CRONTAB);
    const item = items.find((i) => i.task === JOBS.expireVouchers);
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

    await t.sql`select graphile_worker.add_job(${JOBS.expireVouchers})`;
    await w.runJobs();

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
