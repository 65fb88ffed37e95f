import type postgres from "postgres";

/**
 * The benchmark data set, generated inside PostgreSQL with set-based statements
 * (generate_series), never a loop of single-row inserts: `customers` families, about five
 * bookings each (so 1,000,000 customers ≈ 5,000,000 bookings) and the points ledger of every
 * completed booking. The same code builds the 10k set of the CI smoke test and the 1M set of
 * `pnpm bench`.
 *
 * Distributions (see docs/performance.md):
 * - names from small first-name/surname lists (a search for "mar" matches about a tenth of the
 *   families; the surname "Quintero" about 1 in 2,000, the rare term "quint");
 * - per family: a number of visits (3% regulars with 20+, mean 50; the rest exponential with
 *   mean 3.6, so ~13% never booked; about 5 a family overall), its own rhythm (log-uniform 7–180 days between visits) and a last visit between
 *   two years ago and two weeks ahead (bookings after now are upcoming, APPROVED or PENDING);
 *   6% of past bookings CANCELLED, the rest COMPLETED;
 * - booking types CAFE 55%, PLAYGROUND 30%, PARTY 10%, EVENT 5% with their own price ranges;
 * - ledger: +100 points per completed booking, +200 for a party (LOYALTY_POINTS), with running
 *   balance_after/lifetime_after; tiers from lifetime points (TIER_THRESHOLDS); a quarter of
 *   those with 600+ points redeemed a 500-point voucher (60% of those vouchers used);
 * - ~60% e-mail opt-in, ~30% SMS opt-in, up to three tags from a small set, ~70% with a child's
 *   birthday (2013–2024), sign-up before the first visit.
 *
 * Every random value is drawn in the select list of the row it belongs to (volatile random() is
 * evaluated per row there); the one lateral generate_series references its outer row, so it runs
 * per family — a `cross join lateral (select random())` that does not reference the outer row
 * would be evaluated once for all rows.
 *
 * The load runs with `session_replication_role = replica` (transaction-local). That skips
 * ordinary and foreign-key triggers for these inserts: the ledger's deferred
 * `balance = sum(ledger)` constraint triggers (migration 0001) would otherwise queue one event per
 * inserted customer and ledger row (millions of events held in memory until commit, each summing
 * the ledger of its customer), and the FK checks would probe customers once per booking. The
 * statements build the data consistent by construction; `ledgerDrift` (packages/core) checks it
 * afterwards, and the generator fails if it finds any drift.
 */
export interface GenerateOptions {
  customers: number;
  /** setseed() value, so two runs build the same distributions. */
  seed?: number;
  log?: (line: string) => void;
}

export const FIRST_NAMES = [
  "Marko",
  "Marija",
  "Ana",
  "Jelena",
  "Nikola",
  "Stefan",
  "Milica",
  "Luka",
  "Jovana",
  "Ivana",
  "Aleksandar",
  "Mila",
  "Petar",
  "Sara",
  "Filip",
  "Teodora",
  "Lazar",
  "Katarina",
  "Vuk",
  "Nina",
  "Dušan",
  "Tamara",
  "Mihajlo",
  "Anja",
  "Ognjen",
  "Maja",
  "David",
  "Lena",
  "Pavle",
  "Elena",
];
export const SURNAMES = [
  "Jovanović",
  "Petrović",
  "Nikolić",
  "Ilić",
  "Đorđević",
  "Pavlović",
  "Stojanović",
  "Popović",
  "Živković",
  "Kovačević",
  "Todorović",
  "Ristić",
  "Lukić",
  "Savić",
  "Kostić",
  "Obradović",
  "Simić",
  "Vasić",
  "Tomić",
  "Pešić",
  "Krstić",
  "Janković",
  "Stanković",
  "Milosavljević",
];
/** About 1 family in 2,000 carries it: the rare search term. */
export const RARE_SURNAME = "Quintero";
export const TAGS = [
  "party",
  "birthday",
  "cafe",
  "school",
  "weekend",
  "vip-prospect",
  "newsletter",
];

const sqlArray = (items: readonly string[]) =>
  `(array[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(",")}]::text[])`;

const ascii = (expr: string) => `translate(lower(${expr}), 'čćđšž', 'ccdsz')`;

export function generateStatements(n: number): { label: string; sql: string }[] {
  if (!Number.isInteger(n) || n < 1 || n > 20_000_000) throw new Error(`bad customer count ${n}`);
  const first = sqlArray(FIRST_NAMES);
  const last = sqlArray(SURNAMES);
  const tags = sqlArray(TAGS);
  return [
    {
      label: "families",
      sql: `
      create temp table bench_families on commit drop as
      select g,
             gen_random_uuid() as id,
             ${first}[1 + floor(random() * ${FIRST_NAMES.length})::int] as first_name,
             case when random() < 0.0005 then '${RARE_SURNAME}'
                  else ${last}[1 + floor(random() * ${SURNAMES.length})::int] end as surname,
             -- 3% regulars (mean 50 visits), the rest mean 3.6: about 5 visits a family overall.
             least(200, case when random() < 0.03 then 20 + round(-ln(1 - random()) * 30)
                              else round(-ln(1 - random()) * 3.6) end)::int as visits,
             exp(ln(7) + random() * ln(180.0 / 7)) as rhythm_days,
             now() + interval '14 days' - (random() ^ 1.5) * interval '730 days' as last_at,
             random() as r_optin, random() as r_sms, random() as r_tags, random() as r_birth,
             random() as r_signup
      from generate_series(1, ${n}) as g`,
    },
    {
      label: "bookings (staging)",
      sql: `
      create temp table bench_bookings on commit drop as
      select gen_random_uuid() as id, f.id as customer_id, x.*,
             case when x.scheduled_at > now() then null
                  when x.r_status < 0.06 then 'CANCELLED' else 'COMPLETED' end as past_status
      from bench_families f
      cross join lateral (
        select i,
               f.last_at - ((f.visits - i) * least(f.rhythm_days, 1460.0 / f.visits) * (0.8 + 0.4 * random())) * interval '1 day'
                 + floor(random() * 10) * interval '1 hour' as scheduled_at,
               random() as r_status, random() as r_type, random() as r_amount, random() as r_guests
        from generate_series(1, f.visits) as i
      ) x`,
    },
    {
      label: "bookings (typed)",
      sql: `
      create temp table bench_bookings2 on commit drop as
      select b.id, b.customer_id, b.scheduled_at,
             t.type::booking_type as type,
             coalesce(b.past_status, case when b.r_status < 0.7 then 'APPROVED' else 'PENDING' end)::booking_status as status,
             case t.type when 'CAFE' then 800 + floor(b.r_amount * 2200)
                         when 'PLAYGROUND' then 1500 + floor(b.r_amount * 2500)
                         when 'PARTY' then 15000 + floor(b.r_amount * 25000)
                         else 3000 + floor(b.r_amount * 5000) end::bigint as amount,
             case t.type when 'PARTY' then 8 + floor(b.r_guests * 18) else 1 + floor(b.r_guests * 4) end::int as guests
      from bench_bookings b
      cross join lateral (
        select case when b.r_type < 0.55 then 'CAFE' when b.r_type < 0.85 then 'PLAYGROUND'
                    when b.r_type < 0.95 then 'PARTY' else 'EVENT' end as type
      ) t`,
    },
    {
      label: "ledger (staging)",
      sql: `
      create temp table bench_ledger on commit drop as
      select gen_random_uuid() as id, b.customer_id, b.id as booking_id,
             (case when b.type = 'PARTY' then 200 else 100 end) as delta,
             b.scheduled_at + interval '2 hours' as created_at,
             sum(case when b.type = 'PARTY' then 200 else 100 end)
               over (partition by b.customer_id order by b.scheduled_at, b.id) as running
      from bench_bookings2 b
      where b.status = 'COMPLETED'`,
    },
    {
      label: "rewards",
      sql: `
      insert into rewards (code, name, points_cost)
      values ('FREE_BEVERAGE', 'Free beverage', 500), ('DISCOUNT_10', '10% discount', 1000),
             ('PARTY_ADDON', 'Party add-on', 2500), ('PRIVATE_HOUR', 'Private event hour', 5000)
      on conflict (code) do nothing`,
    },
    {
      label: "redemptions (staging)",
      sql: `
      create temp table bench_redemptions on commit drop as
      select gen_random_uuid() as voucher_id, gen_random_uuid() as ledger_id, r.*,
             case when r.r_used < 0.6 then 'USED' else 'ISSUED' end::voucher_status as status
      from (
        select customer_id, sum(delta)::int as earned, max(created_at) + interval '1 day' as at,
               random() as r_used
        from bench_ledger group by customer_id
        having sum(delta) >= 600 and random() < 0.25
      ) r`,
    },
    {
      label: "customers",
      sql: `
      insert into customers
        (id, email, name, phone, loyalty_points, lifetime_points, loyalty_tier, total_spent,
         marketing_opt_in, sms_opt_in, tags, total_bookings, first_booking_at, last_booking_at,
         birth_date, referral_code, created_at, updated_at)
      select f.id,
             ${ascii("f.first_name")} || '.' || ${ascii("f.surname")} || f.g || '@' ||
               (array['gmail.com','yahoo.com','outlook.com','eunet.rs','mts.rs'])[1 + f.g % 5],
             f.first_name || ' ' || f.surname,
             '+3816' || lpad((f.g % 100000000)::text, 8, '0'),
             coalesce(p.points, 0) - case when r.customer_id is null then 0 else 500 end,
             coalesce(p.points, 0),
             (case when coalesce(p.points, 0) >= 6000 then 'PLATINUM'
                   when coalesce(p.points, 0) >= 3000 then 'GOLD'
                   when coalesce(p.points, 0) >= 1000 then 'SILVER' else 'BRONZE' end)::loyalty_tier,
             coalesce(s.total_spent, 0),
             f.r_optin < 0.6, f.r_sms < 0.3,
             case when f.r_tags < 0.45 then '{}'::text[]
                  else array(select distinct ${tags}[1 + (floor(f.r_tags * 1e6)::bigint / k) % ${TAGS.length}]
                             from generate_series(1, 1 + floor(f.r_tags * 3)::int) as k) end,
             coalesce(s.total_bookings, 0), s.first_booking_at, s.last_booking_at,
             case when f.r_birth < 0.7 then date '2013-01-01' + floor(f.r_birth / 0.7 * 4380)::int end,
             'BN' || upper(to_hex(f.g)),
             least(coalesce(s.first_booking_at, now()), now()) - f.r_signup * interval '400 days',
             now()
      from bench_families f
      left join (
        select customer_id,
               count(*) filter (where status <> 'CANCELLED')::int as total_bookings,
               min(scheduled_at) filter (where status <> 'CANCELLED') as first_booking_at,
               max(scheduled_at) filter (where status <> 'CANCELLED') as last_booking_at,
               coalesce(sum(amount) filter (where status = 'COMPLETED'), 0)::bigint as total_spent
        from bench_bookings2 group by customer_id
      ) s on s.customer_id = f.id
      left join (select customer_id, sum(delta)::int as points from bench_ledger group by customer_id) p
        on p.customer_id = f.id
      left join bench_redemptions r on r.customer_id = f.id`,
    },
    {
      label: "bookings",
      sql: `
      insert into bookings
        (id, customer_id, type, status, scheduled_at, guests, amount, currency, contact_email,
         contact_name, source, completed_at, cancelled_at, created_at, updated_at)
      select b.id, b.customer_id, b.type, b.status, b.scheduled_at, b.guests, b.amount, 'RSD',
             c.email, c.name, 'IMPORT',
             case when b.status = 'COMPLETED' then b.scheduled_at + interval '2 hours' end,
             case when b.status = 'CANCELLED' then b.scheduled_at - interval '1 day' end,
             least(b.scheduled_at, now()) - interval '3 days', now()
      from bench_bookings2 b join customers c on c.id = b.customer_id`,
    },
    {
      label: "ledger",
      sql: `
      insert into loyalty_ledger
        (id, customer_id, delta, reason, balance_after, counts_toward_lifetime, lifetime_after,
         booking_id, idempotency_key, created_at)
      select l.id, l.customer_id, l.delta, 'BOOKING_COMPLETED', l.running, true, l.running,
             l.booking_id, 'booking:' || l.booking_id || ':award', l.created_at
      from bench_ledger l`,
    },
    {
      label: "vouchers and redemptions",
      sql: `
      with v as (
        insert into vouchers (id, code, customer_id, reward_id, points_spent, status, issued_at,
                              expires_at, used_at)
        select r.voucher_id, 'BV-' || upper(replace(r.voucher_id::text, '-', '')), r.customer_id,
               (select id from rewards where code = 'FREE_BEVERAGE'), 500, r.status, r.at,
               r.at + interval '90 days',
               case when r.status = 'USED' then r.at + interval '7 days' end
        from bench_redemptions r
        returning id
      )
      insert into loyalty_ledger
        (id, customer_id, delta, reason, balance_after, counts_toward_lifetime, lifetime_after,
         voucher_id, idempotency_key, created_at)
      select r.ledger_id, r.customer_id, -500, 'REDEMPTION', r.earned - 500, false, r.earned,
             r.voucher_id, 'redeem:' || r.customer_id || ':' || r.voucher_id, r.at
      from bench_redemptions r join v on v.id = r.voucher_id`,
    },
  ];
}

/** Builds the data set on an empty (migrated) database; returns the row counts. */
export async function generateBenchData(sql: postgres.Sql, opts: GenerateOptions) {
  const log = opts.log ?? (() => {});
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx.unsafe("set local session_replication_role = replica");
    await tx.unsafe("set local work_mem = '256MB'");
    await tx.unsafe(`select setseed(${opts.seed ?? 0.42})`);
    for (const step of generateStatements(opts.customers)) {
      const t0 = performance.now();
      try {
        await tx.unsafe(step.sql);
      } catch (e) {
        throw new Error(`bench generator, step "${step.label}": ${(e as Error).message}`, {
          cause: e,
        });
      }
      log(`  ${step.label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  });
  const [counts] = await sql<{ customers: number; bookings: number; ledger: number }[]>`
    select (select count(*) from customers)::int as customers,
           (select count(*) from bookings)::int as bookings,
           (select count(*) from loyalty_ledger)::int as ledger`;
  log(`  generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return counts as { customers: number; bookings: number; ledger: number };
}
