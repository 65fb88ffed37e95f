import { createSession } from "@xplorium/auth";
import type { Database } from "@xplorium/db";
import { ledgerDrift } from "../../packages/core/src/loyalty/ledger";
import { collectPersonalData } from "../../packages/core/src/privacy/personal-data-export";
import type { BenchContext } from "../kit";
import { pct, round } from "../report";

/**
 * `gdpr` (issue 9): one customer's personal-data export with 1,000 bookings, over HTTP as the
 * product serves it: staff's POST /customers/:id/data-export on the admin (MANAGER/OWNER,
 * `customers.exportData`) and the customer's own POST /privacy/download on the portal
 * (`portal.exportData`). Both record a GDPR request, read everything in one repeatable-read
 * snapshot and answer the zip (data.json, bookings.csv, points.csv). 15 sequential runs after 2
 * warm-ups; the raw side is the export's read statements (`collectPersonalData`, captured) run
 * in parallel as the product runs them.
 *
 * The customer is made fresh on each run (set-based: 1,000 completed bookings with
 * generate_series and their 1,000 ledger rows, +100 each, so balance = sum(ledger)).
 */
const BOOKINGS = 1000;
const RUNS = 15;
const BUDGET_MS = 500;

export async function gdprScenarios(
  ctx: BenchContext,
  rawTimes: (fn: (db: Database) => Promise<unknown>, n: number) => Promise<number[]>,
) {
  const customerId = await customerWithBookings(ctx);
  const customerSession = await createSession(ctx.db, { kind: "CUSTOMER", customerId });
  const raw = await rawTimes((db) => collectPersonalData(db, customerId), RUNS);

  const targets = [
    {
      name: `GDPR export, staff (admin), customer with ${BOOKINGS.toLocaleString("en")} bookings`,
      url: `${ctx.adminUrl}/customers/${customerId}/data-export`,
      cookie: ctx.staffCookie,
    },
    {
      name: `GDPR export, "Download my data" (portal), ${BOOKINGS.toLocaleString("en")} bookings`,
      url: `${ctx.portalUrl}/privacy/download`,
      cookie: `__Host-xp_customer_session=${customerSession.token}`,
    },
  ];
  for (const target of targets) {
    let bytes = 0;
    const post = async () => {
      const res = await fetch(target.url, {
        method: "POST",
        headers: {
          cookie: target.cookie,
          origin: new URL(target.url).origin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "",
        redirect: "manual",
      });
      const body = await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get("content-type") !== "application/zip") {
        throw new Error(
          `${target.url}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`,
        );
      }
      bytes = body.byteLength;
    };
    for (let i = 0; i < 2; i++) await post();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await post();
      times.push(performance.now() - t0);
    }
    const p95 = pct(times, 95);
    const rawP50 = pct(raw, 50);
    ctx.record({
      scenario: target.name,
      p50: round(pct(times, 50)),
      p95: round(p95),
      p99: round(pct(times, 99)),
      throughput: null,
      peakRssMb: null,
      rawP50: round(rawP50),
      ratio: round(pct(times, 50) / rawP50),
      budget: `p95 ≤ ${BUDGET_MS} ms`,
      met: p95 <= BUDGET_MS,
      note: `${RUNS} sequential runs; zip ${(bytes / 1024).toFixed(0)} KB; raw = collectPersonalData's read statements (p95 ${round(pct(raw, 95))} ms)`,
    });
    ctx.log(
      `  ${target.name}: p50 ${round(pct(times, 50))} ms, p95 ${round(p95)} ms, raw p50 ${round(rawP50)} ms`,
    );
  }
}

/** A new customer with BOOKINGS completed bookings and the ledger rows they earned. */
async function customerWithBookings(ctx: BenchContext): Promise<string> {
  const stamp = Date.now();
  const id = await ctx.sql.begin(async (tx) => {
    const [c] = await tx<{ id: string }[]>`
      insert into customers (email, name, phone, marketing_opt_in, referral_code, tags, notes)
      values (${`gdpr-${stamp}@bench.local`}, 'Gdpr Benchmark', '+381601234567', true,
              ${`BG${stamp.toString(36).toUpperCase()}`}, '{party,birthday}',
              'Prefers the window table')
      returning id`;
    const customerId = c!.id;
    await tx`
      insert into bookings (customer_id, type, status, scheduled_at, guests, amount, currency,
                            contact_email, contact_name, source, completed_at, created_at)
      select ${customerId}, (array['CAFE','PLAYGROUND','PARTY','EVENT'])[1 + g % 4]::booking_type,
             'COMPLETED', now() - (${BOOKINGS} + 1 - g) * interval '1 day', 1 + g % 5,
             1000 + g * 7, 'RSD', ${`gdpr-${stamp}@bench.local`}, 'Gdpr Benchmark', 'IMPORT',
             now() - (${BOOKINGS} + 1 - g) * interval '1 day' + interval '2 hours',
             now() - (${BOOKINGS} + 4 - g) * interval '1 day'
      from generate_series(1, ${BOOKINGS}) as g`;
    await tx`
      insert into loyalty_ledger (customer_id, delta, reason, balance_after,
                                  counts_toward_lifetime, lifetime_after, booking_id,
                                  idempotency_key, created_at)
      select customer_id, 100, 'BOOKING_COMPLETED', 100 * n, true, 100 * n, id,
             'booking:' || id || ':award', completed_at
      from (select b.*, row_number() over (order by scheduled_at, id) as n
            from bookings b where customer_id = ${customerId}) b`;
    await tx`
      update customers c set
        loyalty_points = s.points, lifetime_points = s.points, loyalty_tier = 'PLATINUM',
        total_bookings = s.n, total_spent = s.spent, first_booking_at = s.first,
        last_booking_at = s.last
      from (select count(*)::int as n, sum(amount)::bigint as spent, min(scheduled_at) as first,
                   max(scheduled_at) as last, 100 * count(*)::int as points
            from bookings where customer_id = ${customerId}) s
      where c.id = ${customerId}`;
    return customerId;
  });
  // The deferred balance = sum(ledger) triggers ran at commit; the product's check agrees.
  const drift = [...(await ledgerDrift(ctx.db, 10))];
  if (drift.length > 0) throw new Error(`gdpr set-up drifted: ${JSON.stringify(drift)}`);
  return id;
}
