import { type Database, schema } from "@xplorium/db";
import { createTestDatabase, insertStaff, type TestDatabase } from "@xplorium/db/testing";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncFromBookings } from "../src/customers/sync-from-bookings";

/**
 * Sync from bookings on a generated dataset (5,000 customers, 50,000 bookings): one SQL pass,
 * checked by counting every statement the client sends, and a result equal to a
 * recomputation from scratch written independently here.
 */

let t: TestDatabase;
let counting: { db: Database; statements: string[]; end: () => Promise<void> };
let staffId: string;
const meta = { ip: null, userAgent: null, requestId: "scale" };

const CUSTOMERS = 5_000;
const NEW_EMAILS = 3_000;

/** A client that records every statement it sends (postgres.js `debug` hook). */
function countingDb(url: string) {
  const statements: string[] = [];
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, query) => statements.push(query),
  });
  return {
    db: drizzle(sql, { schema, casing: "snake_case" }),
    statements,
    end: () => sql.end({ timeout: 1 }),
  };
}

/** Statements other than transaction control. */
const work = (statements: string[]) =>
  statements.filter((q) => !/^\s*(begin|commit|rollback|savepoint|release)\b/i.test(q));

beforeAll(async () => {
  t = await createTestDatabase();
  counting = countingDb(t.url);
  staffId = (await insertStaff(t.db, { role: "OWNER" })).id;
  // postgres.js fetches array types once per connection; keep that out of the count.
  await counting.db.execute(sql`select 1`);
  await t.sql.unsafe(`
    insert into customers (email, name, referral_code, total_bookings, total_spent)
    select 'c' || i || '@example.com', 'Customer ' || i, 'S' || lpad(i::text, 7, '0'),
           -- a tenth start with wrong stats, the rest with none
           case when i % 10 = 0 then 99 else 0 end, 0
    from generate_series(1, ${CUSTOMERS}) i;

    insert into customer_email_aliases (email, customer_id)
    select 'alias' || i || '@example.com', c.id
    from generate_series(1, 500) i join customers c on c.email = 'c' || i || '@example.com';

    insert into suppressions (email_hash, reason)
    select encode(sha256(convert_to('blocked' || i || '@example.com', 'UTF8')), 'hex'), 'COMPLAINT'
    from generate_series(0, 99) i;

    with src as (
      select i,
             (array['PENDING','APPROVED','COMPLETED','CANCELLED'])[1 + (i * 7 + i / 13) % 4]::booking_status as status,
             timestamptz '2023-01-01 09:00Z' + ((i * 37) % 700) * interval '1 day' + (i % 9) * interval '1 hour' as at,
             (i * 7919) % 20000 as amount,
             case
               -- 30,000 already linked to existing customers
               when i <= 30000 then null
               -- 10,000 for existing customers, in mixed case and with stray spaces
               when i <= 40000 then '  C' || (1 + i % ${CUSTOMERS}) || '@Example.COM '
               -- 2,000 under an alias of an existing customer
               when i <= 42000 then 'Alias' || (1 + i % 500) || '@example.com'
               -- 7,000 for ${NEW_EMAILS} new addresses
               when i <= 49000 then ' NEW' || (i % ${NEW_EMAILS}) || '@example.com'
               -- 500 suppressed
               when i <= 49500 then 'blocked' || (i % 100) || '@example.com'
               -- 500 with no usable email
               when i % 2 = 0 then null
               else 'walk-in ' || i
             end as email
      from generate_series(1, 50000) i
    )
    insert into bookings (customer_id, type, status, scheduled_at, amount, currency, contact_email,
                          contact_name, contact_phone, completed_at, source)
    select case when s.i <= 30000 then c.id end, 'PLAYGROUND', s.status, s.at, s.amount, 'RSD',
           coalesce(s.email, case when s.i <= 30000 then c.email end),
           'Parent ' || s.i, case when s.i % 3 = 0 then '+3816' || lpad(s.i::text, 7, '0') end,
           case when s.status = 'COMPLETED' then s.at + interval '2 hours' end, 'IMPORT'
    from src s
    left join customers c on c.email = 'c' || (1 + s.i % ${CUSTOMERS}) || '@example.com';

    create table stats_before as
    select id, total_bookings, first_booking_at, last_booking_at, total_spent from customers;
  `);
  counting.statements.length = 0;
}, 120_000);
afterAll(async () => {
  await counting?.end();
  await t.drop();
});

const one = async <T>(query: string): Promise<T> =>
  ((await t.sql.unsafe(query)) as unknown as Record<string, T>[])[0]!.n!;

describe("syncFromBookings at scale", () => {
  it("is one SQL pass whose result matches a recomputation from scratch", async () => {
    const actor = { type: "staff" as const, id: staffId, role: "OWNER" as const };
    const result = await syncFromBookings({ db: counting.db, actor, meta });

    // The stats lock, the sync statement and the audit row: nothing that grows with the data.
    const statements = work(counting.statements);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/pg_advisory_xact_lock/);
    expect(statements[1]).toMatch(/^\s*with\b/i);
    expect(statements[2]).toMatch(/insert into "audit_log"/);
    expect(statements.filter((q) => /\bbookings\b/.test(q))).toHaveLength(1);

    expect(result).toEqual({
      created: NEW_EMAILS,
      updated: await one<number>(`
        select count(*)::int as n from customers c join stats_before b using (id)
        where (c.total_bookings, c.first_booking_at, c.last_booking_at, c.total_spent)
              is distinct from (b.total_bookings, b.first_booking_at, b.last_booking_at, b.total_spent)`),
      linked: 10_000 + 2_000 + 7_000,
      unlinked: 1_000,
      suppressed: 500,
    });
    expect(result.updated).toBeGreaterThan(4_000);
    expect(await one<number>("select count(*)::int as n from customers")).toBe(
      CUSTOMERS + NEW_EMAILS,
    );

    // From scratch: every customer's stats from all its bookings.
    expect(
      await one<number>(`
        select count(*)::int as n
        from customers c
        left join lateral (
          select count(*) filter (where b.status <> 'CANCELLED') as total,
                 min(b.scheduled_at) filter (where b.status <> 'CANCELLED') as first,
                 max(b.scheduled_at) filter (where b.status <> 'CANCELLED') as last,
                 coalesce(sum(b.amount) filter (where b.status = 'COMPLETED'), 0) as spent
          from bookings b where b.customer_id = c.id
        ) r on true
        where (c.total_bookings, c.first_booking_at, c.last_booking_at, c.total_spent)
              is distinct from (r.total, r.first, r.last, r.spent)`),
    ).toBe(0);
    // Every booking sits with the customer its address (or alias) names; the rest are the
    // suppressed and the unusable ones.
    expect(
      await one<number>(`
        select count(*)::int as n
        from bookings b join customers c on c.id = b.customer_id
        where lower(btrim(b.contact_email)) <> c.email
          and not exists (select 1 from customer_email_aliases a
                          where a.email = lower(btrim(b.contact_email)) and a.customer_id = c.id)`),
    ).toBe(0);
    expect(
      await one<number>(`
        select count(*)::int as n from bookings
        where customer_id is null
          and (contact_email is null or contact_email like 'walk-in%' or contact_email like 'blocked%')`),
    ).toBe(1_000);
    // New customers: one per address, named after their latest booking, no consent.
    expect(
      await one<number>(`
        select count(*)::int as n from customers c
        where c.email like 'new%' and (c.marketing_opt_in or c.sms_opt_in or c.name is null
          or c.name <> (select b.contact_name from bookings b where b.customer_id = c.id
                        order by b.scheduled_at desc, b.created_at desc, b.id desc limit 1))`),
    ).toBe(0);
  }, 60_000);

  it("a second run is the same one pass and finds nothing to do", async () => {
    counting.statements.length = 0;
    const actor = { type: "staff" as const, id: staffId, role: "OWNER" as const };
    expect(await syncFromBookings({ db: counting.db, actor, meta })).toEqual({
      created: 0,
      updated: 0,
      linked: 0,
      unlinked: 1_000,
      suppressed: 500,
    });
    expect(work(counting.statements)).toHaveLength(3);
  }, 60_000);
});
