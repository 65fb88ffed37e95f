import { countCustomers, listCustomers } from "@xplorium/core/customers";
import { segmentCount } from "@xplorium/core/marketing";
import { portalSummary } from "@xplorium/core/portal";
import { CONNECTION_PARAMETERS, type Database, schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENCH_TIME_ZONE, buildBenchDatabase } from "../bench/build";
import { RARE_SURNAME } from "../bench/generate";

/**
 * The CI smoke version of `pnpm bench` (docs/performance.md): the benchmark's generator at 10k
 * customers, then the plans of the hot queries exactly as the product sends them (captured from
 * the client), each run as a prepared statement seven times before EXPLAIN — so PostgreSQL has
 * had the chance to switch to a generic plan, the trap of `ILIKE $1` — on a connection with the
 * product's session settings. Fails on a plan regression (a Seq Scan where an index is
 * expected), never on time.
 */

const CUSTOMERS = 10_000;
let t: TestDatabase;
let capture: {
  db: Database;
  queries: { query: string; params: unknown[] }[];
  end: () => Promise<void>;
};
let plans: postgres.Sql;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

const flatten = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(flatten)];

const literal = (v: unknown): string => {
  if (v === null || v === undefined) return "null";
  const s =
    v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v);
  return `'${s.replace(/'/g, "''")}'`;
};

/** Runs `fn` and returns the statements it sent (postgres.js `debug` hook). */
async function captured(fn: (db: Database) => Promise<unknown>) {
  capture.queries.length = 0;
  await fn(capture.db);
  return [...capture.queries];
}

/**
 * The plan PostgreSQL uses for this statement after it has been executed seven times as a
 * prepared statement on a connection with the product's settings.
 */
async function preparedPlan(query: string, params: unknown[]): Promise<PlanNode[]> {
  const conn = await plans.reserve();
  try {
    await conn.unsafe(`prepare bench_q as ${query}`);
    const args = params.length ? `(${params.map(literal).join(", ")})` : "";
    for (let i = 0; i < 7; i++) await conn.unsafe(`execute bench_q${args}`);
    const [row] = await conn.unsafe(`explain (format json) execute bench_q${args}`);
    await conn.unsafe("deallocate bench_q");
    const plan = (row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]?.Plan;
    if (!plan) throw new Error("no plan");
    return flatten(plan);
  } finally {
    conn.release();
  }
}

const seqScans = (nodes: PlanNode[], table: string) =>
  nodes.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === table);
const indexesUsed = (nodes: PlanNode[]) =>
  nodes.map((n) => n["Index Name"]).filter((x): x is string => Boolean(x));

beforeAll(async () => {
  t = await createTestDatabase();
  await buildBenchDatabase(t, { customers: CUSTOMERS });
  const queries: { query: string; params: unknown[] }[] = [];
  const client = postgres(t.url, {
    max: 1,
    onnotice: () => {},
    connection: CONNECTION_PARAMETERS,
    debug: (_c, query, params) => queries.push({ query, params: params as unknown[] }),
  });
  capture = {
    db: drizzle(client, { schema, casing: "snake_case" }) as unknown as Database,
    queries,
    end: () => client.end({ timeout: 1 }),
  };
  // postgres.js looks up array types on its first query: not the product's statements.
  await capture.db.execute(sql`select 1`);
  plans = postgres(t.url, { max: 1, onnotice: () => {}, connection: CONNECTION_PARAMETERS });
}, 120_000);

afterAll(async () => {
  await capture?.end();
  await plans?.end({ timeout: 1 });
  await t?.drop();
});

describe("the benchmark data set (10k)", () => {
  it("has the sizes and distributions the generator promises", async () => {
    const [r] = await t.sql<
      {
        customers: number;
        bookings: number;
        ledger: number;
        opt_in: number;
        tiers: number;
        never_booked: number;
        tagged: number;
        birthdays: number;
        rare: number;
      }[]
    >`select (select count(*) from customers)::int as customers,
             (select count(*) from bookings)::int as bookings,
             (select count(*) from loyalty_ledger)::int as ledger,
             (select avg(marketing_opt_in::int) from customers)::float8 as opt_in,
             (select count(distinct loyalty_tier) from customers)::int as tiers,
             (select count(*) from customers where total_bookings = 0)::int as never_booked,
             (select count(*) from customers where tags <> '{}')::int as tagged,
             (select count(*) from customers where birth_date is not null)::int as birthdays,
             (select count(*) from customers where name like ${`%${RARE_SURNAME}`})::int as rare`;
    expect(r?.customers).toBe(CUSTOMERS);
    expect(r?.bookings).toBeGreaterThan(CUSTOMERS * 4.5);
    expect(r?.bookings).toBeLessThan(CUSTOMERS * 5.5);
    expect(r?.ledger).toBeGreaterThan((r?.bookings ?? 0) * 0.6);
    expect(r?.opt_in).toBeGreaterThan(0.55);
    expect(r?.opt_in).toBeLessThan(0.65);
    expect(r?.tiers).toBe(4);
    expect(r?.never_booked).toBeGreaterThan(CUSTOMERS * 0.05);
    expect(r?.tagged).toBeGreaterThan(CUSTOMERS * 0.4);
    expect(r?.birthdays).toBeGreaterThan(CUSTOMERS * 0.6);
    expect(r?.rare).toBeGreaterThan(0);
    // Per-family rhythms: not one shared gap (the lateral draw is per family).
    const [g] = await t.sql<{ rhythms: number }[]>`
      select count(distinct round(extract(epoch from (last_booking_at - first_booking_at))
                                   / 86400 / (total_bookings - 1)))::int as rhythms
      from customers where total_bookings > 2`;
    expect(g?.rhythms).toBeGreaterThan(50);
  });
});

describe("hot query plans after seven prepared executions", () => {
  it("the product's connections force custom plans", async () => {
    const [row] = await t.sql<{ plan_cache_mode: string }[]>`show plan_cache_mode`;
    expect(row?.plan_cache_mode).toBe("force_custom_plan");
  });

  it('customer search, rare term ("quint"): ranked by relevance from the trigram indexes', async () => {
    const sent = await captured((db) =>
      listCustomers({ db }, { q: "quint", limit: 25, withTotal: false }),
    );
    const [estimate, pageQuery, ...rest] = sent;
    expect(estimate?.query).toMatch(/^explain \(format json\)/);
    expect(rest).toEqual([]);
    expect((await listCustomers({ db: t.db }, { q: "quint", withTotal: false })).sort).toBe(
      "relevance",
    );
    const nodes = await preparedPlan(pageQuery?.query ?? "", pageQuery?.params ?? []);
    expect(seqScans(nodes, "customers")).toEqual([]);
    expect(indexesUsed(nodes).some((i) => /_trgm_idx$/.test(i))).toBe(true);
  });

  it('customer search, common term ("mar"): last booking first, walking that index', async () => {
    const sent = await captured((db) =>
      listCustomers({ db }, { q: "mar", limit: 25, withTotal: false }),
    );
    expect(sent).toHaveLength(2);
    expect((await listCustomers({ db: t.db }, { q: "mar", withTotal: false })).sort).toBe(
      "lastBooking",
    );
    const nodes = await preparedPlan(sent[1]?.query ?? "", sent[1]?.params ?? []);
    expect(seqScans(nodes, "customers")).toEqual([]);
    expect(indexesUsed(nodes)).toContain("customers_last_booking_key_idx");
    expect(nodes.some((n) => n["Node Type"] === "Sort")).toBe(false);
  });

  for (const q of ["quint", "mar"]) {
    it(`the count of a search ("${q}") reads the trigram indexes, never all customers`, async () => {
      const [count, ...rest] = await captured((db) => countCustomers({ db }, { q }));
      expect(rest).toEqual([]);
      const nodes = await preparedPlan(count?.query ?? "", count?.params ?? []);
      expect(seqScans(nodes, "customers")).toEqual([]);
      expect(indexesUsed(nodes).some((i) => /_trgm_idx$/.test(i))).toBe(true);
    });
  }

  it("the default list page (last booking first) and a deep keyset page walk an index", async () => {
    const first = await captured((db) => listCustomers({ db }, { limit: 25, withTotal: false }));
    expect(first).toHaveLength(1);
    const nodes = await preparedPlan(first[0]?.query ?? "", first[0]?.params ?? []);
    expect(seqScans(nodes, "customers")).toEqual([]);
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await listCustomers({ db: t.db }, { limit: 100, cursor: cursor ?? undefined });
      cursor = page.nextCursor;
    }
    expect(cursor).not.toBeNull();
    const deep = await captured((db) =>
      listCustomers({ db }, { limit: 25, cursor: cursor ?? undefined, withTotal: false }),
    );
    expect(deep).toHaveLength(1);
    const deepNodes = await preparedPlan(deep[0]?.query ?? "", deep[0]?.params ?? []);
    expect(seqScans(deepNodes, "customers")).toEqual([]);
    expect(deepNodes.some((n) => n["Node Type"] === "Sort")).toBe(false);
  });

  it("a filtered list sorted by tier walks the tier index", async () => {
    const sent = await captured((db) =>
      listCustomers({ db }, { tiers: ["GOLD", "PLATINUM"], sort: "points", limit: 25 }),
    );
    for (const s of sent) {
      const nodes = await preparedPlan(s.query, s.params);
      expect(seqScans(nodes, "customers"), s.query).toEqual([]);
    }
  });

  it("a 4-filter segment count reads customers only", async () => {
    const sent = await captured((db) =>
      segmentCount(
        { db, config: { TIME_ZONE: BENCH_TIME_ZONE } },
        { tiers: ["SILVER", "GOLD"], tagsAny: ["party"], emailOptIn: true, minBookings: 3 },
      ),
    );
    const nodes = await preparedPlan(sent[0]?.query ?? "", sent[0]?.params ?? []);
    expect(nodes.filter((n) => n["Relation Name"] === "bookings")).toEqual([]);
  });

  it("the portal summary reads one customer's rows by index", async () => {
    const [someone] = await t.sql<{ id: string }[]>`
      select id from customers order by total_bookings desc limit 1`;
    const sent = await captured((db) => portalSummary({ db }, { customerId: someone?.id ?? "" }));
    expect(sent.length).toBeGreaterThan(0);
    for (const s of sent) {
      const nodes = await preparedPlan(s.query, s.params);
      // vouchers: a few thousand rows at 10k, where a hash join over all of them is cheaper
      // than probing; the big tables must be read by index.
      for (const table of ["customers", "bookings", "loyalty_ledger"]) {
        expect(seqScans(nodes, table), s.query).toEqual([]);
      }
    }
  });
});
