import { randomUUID } from "node:crypto";
import { createSession } from "@xplorium/auth";
import { ledgerDrift } from "../../packages/core/src/loyalty/ledger";
import { type BenchContext, pool, trpcMutation } from "../kit";
import { pct, round } from "../report";

/**
 * `redeem` (issue 9): concurrent point spending and earning over HTTP, checked for correctness.
 *
 * 1. `rewards.redeem` on the portal for 1,000 different customers at once (50 connections),
 *    each signed in with a session made directly, each able to afford the cheapest reward:
 *    exactly one voucher per call, each balance down by the cost, balance = sum(ledger)
 *    everywhere (`ledgerDrift`), no negative balance or ledger step.
 * 2. 1,000 `loyalty.adjustPoints` awards by staff on ONE customer at once (50 connections): every
 *    one waits for the customer's row lock, so this is the worst case of the ledger's
 *    serialisation. Final balance = start + sum of deltas, exactly 1,000 new ledger rows,
 *    balance = sum(ledger).
 */
const CALLS = Number(process.env.BENCH_REDEEM_CALLS ?? 1000);
const CONNECTIONS = 50;
const BUDGET = "all correct (throughput reported)";

export async function redeemScenarios(ctx: BenchContext) {
  await concurrentRedemptions(ctx);
  await hotCustomerAwards(ctx);
}

async function concurrentRedemptions(ctx: BenchContext) {
  const { sql } = ctx;
  const [reward] = await sql<{ id: string; name: string; cost: number }[]>`
    select id, name, points_cost as cost from rewards
    where active and stock is null order by points_cost, id limit 1`;
  if (!reward) throw new Error("redeem: the data set has no unlimited active reward");
  // Customers who can afford it, spread over the table (a different set on each run: the ones
  // who redeemed last time may no longer afford it).
  const picked = await sql<{ id: string; points: number }[]>`
    select id, loyalty_points as points from customers
    where erased_at is null and loyalty_points >= ${reward.cost}
    order by random() limit ${CALLS}`;
  if (picked.length < CALLS) {
    throw new Error(
      `redeem: only ${picked.length} customers can afford ${reward.cost} points (need ${CALLS})`,
    );
  }
  const sessions = await pool(picked, 8, (c) =>
    createSession(ctx.db, { kind: "CUSTOMER", customerId: c.id }),
  );
  const ids = picked.map((c) => c.id);
  // Vouchers each customer held before (the generated data set's may carry future dates, so
  // counts, not issue times, tell the new ones).
  const vouchersBefore = await voucherCounts(ctx, ids);
  const keys = picked.map(() => randomUUID());

  ctx.log(`  redeem: ${CALLS} customers, ${CONNECTIONS} connections…`);
  const t0 = performance.now();
  const answers = await pool(picked, CONNECTIONS, (_c, i) =>
    trpcMutation<{ voucher: { id: string; customer: { id: string } } }>(
      ctx.portalUrl,
      "rewards.redeem",
      `__Host-xp_customer_session=${sessions[i]!.token}`,
      { rewardId: reward.id, idempotencyKey: keys[i] },
    ),
  );
  const seconds = (performance.now() - t0) / 1000;

  const problems: string[] = [];
  const failed = answers.filter((a) => a.status !== 200 || !a.data?.voucher);
  if (failed.length > 0) {
    problems.push(
      `${failed.length} calls failed (first: ${failed[0]!.status} ${failed[0]!.error?.message})`,
    );
  }
  const voucherIds = answers.flatMap((a) => (a.data?.voucher ? [a.data.voucher.id] : []));
  if (new Set(voucherIds).size !== CALLS) {
    problems.push(`${new Set(voucherIds).size} distinct vouchers answered, not ${CALLS}`);
  }
  const wrongOwner = answers.filter(
    (a, i) => a.data && a.data.voucher.customer.id !== picked[i]!.id,
  );
  if (wrongOwner.length > 0) problems.push(`${wrongOwner.length} vouchers for the wrong customer`);

  // One new voucher per customer, the one answered, spent by the ledger row of the call's key.
  const vouchersAfter = await voucherCounts(ctx, ids);
  const notOne = ids.filter(
    (id) => (vouchersAfter.get(id) ?? 0) - (vouchersBefore.get(id) ?? 0) !== 1,
  );
  if (notOne.length > 0)
    problems.push(`${notOne.length} customers without exactly one new voucher`);
  const [ledger] = await sql<{ rows: number; matching: number }[]>`
    select count(l.id)::int as rows,
           count(l.id) filter (where l.voucher_id = x.voucher_id and l.delta = ${-reward.cost})::int
             as matching
    from unnest(${ids}::uuid[], ${keys}::text[],
                ${answers.map((a) => a.data?.voucher.id ?? null)}::uuid[]) as x(customer_id, key, voucher_id)
    join loyalty_ledger l on l.idempotency_key = 'redeem:' || x.customer_id || ':' || x.key`;
  if (ledger?.rows !== CALLS || ledger.matching !== CALLS) {
    problems.push(
      `redemption ledger rows: ${JSON.stringify(ledger)}, want ${CALLS} for the answered vouchers`,
    );
  }
  const before = new Map(picked.map((c) => [c.id, c.points]));
  const after = await sql<{ id: string; points: number }[]>`
    select id, loyalty_points as points from customers where id = any(${ids}::uuid[])`;
  const offBalance = after.filter((c) => c.points !== before.get(c.id)! - reward.cost);
  if (offBalance.length > 0) problems.push(`${offBalance.length} balances not down by the cost`);
  problems.push(...(await ledgerProblems(ctx, ids)));

  recordConcurrent(ctx, {
    scenario: `rewards.redeem, ${CALLS.toLocaleString("en")} customers at once (${CONNECTIONS} connections)`,
    logAs: "redeem",
    unit: "redemptions/s",
    times: answers.map((a) => a.ms),
    seconds,
    problems,
    allCorrect: `all correct: ${CALLS} vouchers, one per customer, balances −${reward.cost}, ledgerDrift none, no negative balance; ${seconds.toFixed(1)} s`,
  });
}

async function hotCustomerAwards(ctx: BenchContext) {
  const { sql } = ctx;
  const [hot] = await sql<{ id: string; points: number; rows: number }[]>`
    select c.id, c.loyalty_points as points,
           (select count(*) from loyalty_ledger l where l.customer_id = c.id)::int as rows
    from customers c
    where c.erased_at is null and c.total_bookings > 0
    order by random() limit 1`;
  if (!hot) throw new Error("hot customer: no customers");
  // 1…10 points each, 5,500 in all: every award is its own ledger row.
  const deltas = Array.from({ length: CALLS }, (_, i) => 1 + (i % 10));
  const expected = hot.points + deltas.reduce((a, b) => a + b, 0);

  ctx.log(`  hot customer: ${CALLS} awards on one customer, ${CONNECTIONS} connections…`);
  const t0 = performance.now();
  const answers = await pool(deltas, CONNECTIONS, (delta, i) =>
    trpcMutation(ctx.adminUrl, "loyalty.adjustPoints", ctx.staffCookie, {
      customerId: hot.id,
      delta,
      reason: `Benchmark: hot customer award ${i + 1}`,
    }),
  );
  const seconds = (performance.now() - t0) / 1000;

  const problems: string[] = [];
  const failed = answers.filter((a) => a.status !== 200);
  if (failed.length > 0) {
    problems.push(
      `${failed.length} calls failed (first: ${failed[0]!.status} ${failed[0]!.error?.message})`,
    );
  }
  const [now] = await sql<{ points: number; rows: number; sum: number; low: number }[]>`
    select c.loyalty_points as points, count(l.id)::int as rows,
           coalesce(sum(l.delta), 0)::int as sum, min(l.balance_after)::int as low
    from customers c left join loyalty_ledger l on l.customer_id = c.id
    where c.id = ${hot.id} group by c.id`;
  if (now?.points !== expected) problems.push(`balance ${now?.points}, want ${expected}`);
  if (now?.rows !== hot.rows + CALLS) {
    problems.push(`${(now?.rows ?? 0) - hot.rows} new ledger rows, want ${CALLS}`);
  }
  if (now?.sum !== now?.points) problems.push(`balance ${now?.points} ≠ sum(ledger) ${now?.sum}`);
  problems.push(...(await ledgerProblems(ctx, [hot.id])));

  recordConcurrent(ctx, {
    scenario: `loyalty.adjustPoints, ${CALLS.toLocaleString("en")} awards on one customer at once (${CONNECTIONS} connections)`,
    logAs: "hot customer",
    unit: "awards/s",
    times: answers.map((a) => a.ms),
    seconds,
    problems,
    allCorrect: `all correct: balance ${hot.points} + ${expected - hot.points} = ${expected} = sum(ledger), ${CALLS} new ledger rows, ledgerDrift none; ${seconds.toFixed(1)} s`,
  });
}

/** Records a concurrent run (latencies, throughput, correctness) and logs its one-line summary. */
function recordConcurrent(
  ctx: BenchContext,
  run: {
    scenario: string;
    logAs: string;
    unit: string;
    times: number[];
    seconds: number;
    problems: string[];
    /** The note when every check passed. */
    allCorrect: string;
  },
) {
  const { times, problems } = run;
  const throughput = CALLS / run.seconds;
  ctx.record({
    scenario: run.scenario,
    p50: round(pct(times, 50)),
    p95: round(pct(times, 95)),
    p99: round(pct(times, 99)),
    throughput: round(throughput),
    unit: run.unit,
    peakRssMb: null,
    rawP50: null,
    ratio: null,
    budget: BUDGET,
    met: problems.length === 0,
    note: problems.length === 0 ? run.allCorrect : problems.join("; "),
  });
  ctx.log(
    `  ${run.logAs}: ${round(throughput)} ${run.unit}, p50 ${round(pct(times, 50))} ms, p99 ${round(pct(times, 99))} ms, ${problems.length === 0 ? "all correct" : problems.join("; ")}`,
  );
}

async function voucherCounts(ctx: BenchContext, ids: string[]) {
  const rows = await ctx.sql<{ id: string; n: number }[]>`
    select customer_id as id, count(*)::int as n from vouchers
    where customer_id = any(${ids}::uuid[]) group by customer_id`;
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** balance = sum(ledger) for every customer (the product's check), no negative balance or step. */
async function ledgerProblems(ctx: BenchContext, ids: string[]) {
  const problems: string[] = [];
  const drift = [...(await ledgerDrift(ctx.db, 10))];
  if (drift.length > 0) problems.push(`ledgerDrift: ${JSON.stringify(drift)}`);
  const [neg] = await ctx.sql<{ balances: number; steps: number }[]>`
    select (select count(*) from customers where loyalty_points < 0)::int as balances,
           (select count(*) from loyalty_ledger
            where customer_id = any(${ids}::uuid[]) and balance_after < 0)::int as steps`;
  if (neg?.balances) problems.push(`${neg.balances} negative balances`);
  if (neg?.steps) problems.push(`${neg.steps} negative ledger steps`);
  return problems;
}
