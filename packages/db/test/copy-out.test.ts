import { copyOut, inlineParams, quoteLiteral, schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function readText(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString("utf8");
    chunks.push(value);
  }
}

const NASTY = [
  "plain",
  "it's",
  "''",
  "back\\slash",
  "\\'; drop table customers; --",
  "' or 1=1 --",
  "$1 $$ dollar $$",
  "/* not a comment */",
  'double "quotes"',
  "ünïcødé 🎈 日本",
  "line\nbreak\ttab",
  "",
];

describe("quoteLiteral / inlineParams", () => {
  it("round-trips awkward strings through PostgreSQL exactly", async () => {
    for (const value of NASTY) {
      const [row] = await t.sql.unsafe(`select ${quoteLiteral(value)}::text as v`);
      expect(row?.v).toBe(value);
    }
    // Whatever standard_conforming_strings says.
    await t.sql.begin(async (tx) => {
      await tx.unsafe("set local standard_conforming_strings = off");
      for (const value of NASTY) {
        const [row] = await tx.unsafe(`select ${quoteLiteral(value)}::text as v`);
        expect(row?.v).toBe(value);
      }
    });
  });

  it("renders numbers, booleans, dates and null, and refuses the rest", () => {
    expect(quoteLiteral(-1)).toBe("(-1)");
    expect(quoteLiteral(2.5)).toBe("(2.5)");
    expect(quoteLiteral(true)).toBe("true");
    expect(quoteLiteral(null)).toBe("NULL");
    expect(quoteLiteral(new Date("2026-01-02T03:04:05.006Z"))).toBe("'2026-01-02T03:04:05.006Z'");
    expect(() => quoteLiteral(Number.NaN)).toThrow();
    expect(() => quoteLiteral("nul\0byte")).toThrow();
    expect(() => quoteLiteral({})).toThrow();
    expect(() => quoteLiteral(["a"])).toThrow();
  });

  it("replaces placeholders but not look-alikes inside quotes", () => {
    expect(
      inlineParams({
        sql: `select '$1', "$2", $1 - $2, $3, $4, $5, $6, $7, $8, $9, $10`,
        params: [1, -2, 3, 4, 5, 6, 7, 8, 9, "x"],
      }),
    ).toBe(`select '$1', "$2", (1) - (-2), (3), (4), (5), (6), (7), (8), (9), 'x'`);
    expect(() => inlineParams({ sql: "select $2", params: [1] })).toThrow(/No value/);
    expect(() => inlineParams({ sql: "select 1", params: [1] })).toThrow(/never used/);
    expect(() => inlineParams({ sql: "select 1 -- $1", params: [1] })).toThrow();
    expect(() => inlineParams({ sql: "select $$x$$", params: [] })).toThrow();
  });

  it("gives the same rows as the parameterised query built by drizzle", async () => {
    await t.db.insert(schema.customers).values(
      NASTY.map((name, i) => ({
        email: `inline-${i}@example.com`,
        name,
        referralCode: `INL${i}`,
        totalBookings: i,
        tags: [name, "x,y"],
      })),
    );
    const c = schema.customers;
    const query = t.db
      .select({ email: c.email })
      .from(c)
      .where(
        and(
          inArray(c.name, NASTY.slice(0, 8)),
          gte(c.totalBookings, 1),
          sql`${c.tags} @> ${sql.param(["x,y"], c.tags)}`,
          eq(c.marketingOptIn, false),
        ),
      )
      .orderBy(c.email);
    const expected = (await query).map((r) => r.email);
    expect(expected).toHaveLength(7);
    const [inlined] = await t.sql.unsafe(
      `select array_agg(email order by email) as emails from (${inlineParams(query.toSQL())}) q`,
    );
    expect(inlined?.emails).toEqual(expected);
  });
});

describe("copyOut", () => {
  it("streams COPY output and frees the connection afterwards", async () => {
    const c = schema.customers;
    const query = t.db
      .select({ email: c.email, name: c.name })
      .from(c)
      .where(eq(c.name, "it's"))
      .toSQL();
    const text = await readText(await copyOut(t.db, query, { options: "format csv" }));
    expect(text).toBe("inline-1@example.com,it's\n");
    await expect
      .poll(
        async () =>
          (
            await t.sql`select 1 from pg_stat_activity
              where datname = current_database() and state like 'idle in transaction%'`
          ).length,
      )
      .toBe(0);
  });

  it("reports an error from PostgreSQL and frees the connection", async () => {
    const query = { sql: "select 1 / (g - 3) from generate_series(1, 5) g", params: [] };
    const run = async () => readText(await copyOut(t.db, query, { options: "format csv" }));
    await expect(run()).rejects.toMatchObject({ code: "22012" });
    // More than the pool holds (5): a leaked connection would hang here.
    for (let i = 0; i < 6; i++) await expect(run()).rejects.toThrow();
    expect(await t.sql`select 1 as one`).toEqual([{ one: 1 }]);
  });

  it("runs read-only, with its settings for that copy alone", async () => {
    const query = {
      sql: "select current_setting('DateStyle'), now()::timestamp(0) is not null",
      params: [],
    };
    const text = await readText(
      await copyOut(t.db, query, { options: "format csv", settings: { DateStyle: "SQL, DMY" } }),
    );
    expect(text).toBe('"SQL, DMY",t\n');
    const [after] = await t.sql`select current_setting('DateStyle') as ds`;
    expect(after?.ds).not.toBe("SQL, DMY");
    const write = { sql: "select nextval('audit_log_id_seq')", params: [] };
    await expect(
      (async () => readText(await copyOut(t.db, write, { options: "format csv" })))(),
    ).rejects.toThrow(/read-only transaction/);
  });
});
