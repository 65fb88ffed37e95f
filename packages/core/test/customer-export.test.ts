import { type Actor, noRequest } from "@xplorium/core/actor";
import {
  type CustomerFilterInput,
  exportCustomersCsv,
  listCustomers,
} from "@xplorium/core/customers";
import { seedDemoData } from "@xplorium/core/seed";
import { schema } from "@xplorium/db";
import { createTestDatabase, insertStaff, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "./support";

const HEADER = [
  "Email",
  "Name",
  "Phone",
  "Tier",
  "Points",
  "Lifetime points",
  "Bookings",
  "Total spent (EUR)",
  "First booking (UTC)",
  "Last booking (UTC)",
  "Email opt-in",
  "SMS opt-in",
  "Tags",
  "Created (UTC)",
];

/** RFC 4180 parsing (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) throw new Error("last line has no line break");
  return rows;
}

async function* chunksOf(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function readAll(stream: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  for await (const chunk of chunksOf(stream)) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), chunks };
}

let actor: Actor;
const EUR = { CURRENCY: "EUR" };

async function exportCsv(input: CustomerFilterInput = {}) {
  const { stream, rowCount } = await exportCustomersCsv(
    { db: t.db, actor, meta: noRequest, config: EUR },
    input,
  );
  const { bytes, chunks } = await readAll(stream);
  const text = bytes.toString("utf8");
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  return { bytes, chunks, text, header, rows, rowCount };
}

const t = useTestDatabase(async () => {
  const staff = await insertStaff(t.db, { role: "MARKETING" });
  actor = { type: "staff", id: staff.id, role: "MARKETING" };
  await seedDemoData(t.db, { currency: "EUR", today: new Date("2026-11-24T12:00:00Z") });
  await t.db.insert(schema.customers).values([
    {
      email: "quoting@example.org",
      name: 'Smith, "Junior"\nsecond line',
      phone: "+381641234567",
      referralCode: "XPEXP001",
      tags: ["has,comma", "twins"],
      totalSpent: 1250,
      totalBookings: 3,
      firstBookingAt: new Date("2026-01-02T03:04:05.678Z"),
      lastBookingAt: new Date("2026-10-11T12:13:14Z"),
      marketingOptIn: true,
      createdAt: new Date("2025-12-31T23:59:59.9Z"),
    },
    { email: "unicode@example.org", name: "Ana Petrović 🎈 日本", referralCode: "XPEXP002" },
    { email: "formula1@example.org", name: '=HYPERLINK("http://evil","x")', referralCode: "XPF1" },
    {
      email: "formula2@example.org",
      name: "+1+1",
      referralCode: "XPF2",
      tags: ["=cmd|' /C calc'!A0"],
    },
    { email: "formula3@example.org", name: "-2+3", referralCode: "XPF3" },
    { email: "formula4@example.org", name: "@SUM(A1:A2)", referralCode: "XPF4" },
    { email: "formula5@example.org", name: "\t=1+1", referralCode: "XPF5" },
    { email: "formula6@example.org", name: "\r=1+1", referralCode: "XPF6" },
    { email: "harmless@example.org", name: "Ana = Bob + 1", referralCode: "XPF7" },
    {
      email: "obrien@example.org",
      name: "Seán O'Brien \\ back\\slash",
      referralCode: "XPQ1",
      tags: ["it's", "a\\b"],
    },
    // Erased customers never appear, even with data left behind.
    {
      email: null,
      name: "Erased Person",
      referralCode: "XPGONE01",
      erasedAt: new Date(),
    },
  ]);
});

describe("exportCustomersCsv", () => {
  it("starts with a UTF-8 byte order mark and the header row", async () => {
    const { bytes, text, header } = await exportCsv();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.split("\n", 1)[0]).toBe(`\uFEFF${HEADER.join(",")}`);
    expect(header).toEqual(HEADER);
  });

  it("quotes commas, quotes and line breaks, and keeps unicode intact", async () => {
    const { rows, text } = await exportCsv();
    const row = rows.find((r) => r[0] === "quoting@example.org")!;
    expect(row).toEqual([
      "quoting@example.org",
      'Smith, "Junior"\nsecond line',
      "'+381641234567",
      "BRONZE",
      "0",
      "0",
      "3",
      "12.50",
      "2026-01-02 03:04:05",
      "2026-10-11 12:13:14",
      "yes",
      "no",
      "has,comma; twins",
      "2025-12-31 23:59:59",
    ]);
    expect(text).toContain('"Smith, ""Junior""\nsecond line"');
    expect(rows.find((r) => r[0] === "unicode@example.org")?.[1]).toBe("Ana Petrović 🎈 日本");
    // Every row has every column.
    for (const r of rows) expect(r).toHaveLength(HEADER.length);
  });

  it("neutralises cells a spreadsheet would run as a formula (OWASP)", async () => {
    const { rows } = await exportCsv();
    const byEmail = new Map(rows.map((r) => [r[0], r]));
    expect(byEmail.get("formula1@example.org")?.[1]).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(byEmail.get("formula2@example.org")?.[1]).toBe("'+1+1");
    expect(byEmail.get("formula2@example.org")?.[12]).toBe("'=cmd|' /C calc'!A0");
    expect(byEmail.get("formula3@example.org")?.[1]).toBe("'-2+3");
    expect(byEmail.get("formula4@example.org")?.[1]).toBe("'@SUM(A1:A2)");
    expect(byEmail.get("formula5@example.org")?.[1]).toBe("'\t=1+1");
    expect(byEmail.get("formula6@example.org")?.[1]).toBe("'\r=1+1");
    expect(byEmail.get("harmless@example.org")?.[1]).toBe("Ana = Bob + 1");
    for (const r of rows) {
      for (const cell of [r[0]!, r[1]!, r[2]!, r[12]!]) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("never includes erased customers", async () => {
    const { rows, text } = await exportCsv();
    expect(text).not.toContain("Erased Person");
    const [{ n }] =
      (await t.sql`select count(*)::int as n from customers where erased_at is null`) as unknown as [
        { n: number },
      ];
    expect(rows).toHaveLength(n);
  });

  it.each<[string, CustomerFilterInput]>([
    ["no filters", {}],
    ["tiers and email opt-in", { tiers: ["SILVER", "GOLD"], emailOptIn: true }],
    ["a search", { q: "smith" }],
    ["a typo search sorted by relevance", { q: "jon smth" }],
    ["tags", { tags: ["twins"] }],
    [
      "quotes and backslashes in a search and tags",
      { q: "o'brien \\ back", tags: ["it's", "a\\b"] },
    ],
    [
      "bookings and last-booking range, sorted by spend",
      {
        minBookings: 2,
        lastBookingFrom: new Date("2026-06-01T00:00:00Z"),
        lastBookingTo: new Date("2026-11-30T23:59:59Z"),
        smsOptIn: false,
        sort: "spent",
        dir: "asc",
      },
    ],
    ["every tier sorted by name", { sort: "name", dir: "desc" }],
  ])("exports the list's rows in its order: %s", async (_label, filters) => {
    const { rows, rowCount } = await exportCsv(filters);
    const emails: string[] = [];
    let total = 0;
    let cursor: string | undefined;
    do {
      const page = await listCustomers(
        { db: t.db },
        {
          ...filters,
          limit: 100,
          ...(cursor ? { cursor } : {}),
        },
      );
      total = page.total ?? -1;
      emails.push(...page.items.map((r) => r.email ?? ""));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(rows).toHaveLength(total);
    expect(rowCount).toBe(total);
    expect(rows.map((r) => r[0]!.replace(/^'/, ""))).toEqual(emails);
    expect(total).toBeGreaterThan(0);
    if (Object.keys(filters).length === 0) expect(total).toBeGreaterThan(50);
  });

  it("refuses relevance order without a search, like the list", async () => {
    await expect(
      exportCustomersCsv({ db: t.db, actor, meta: noRequest, config: EUR }, { sort: "relevance" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("records who exported what in the audit log", async () => {
    const before = new Date();
    const { rowCount } = await exportCsv({ tiers: ["GOLD"], q: "an" });
    const [row] = await t.sql`select actor_type, actor_id, entity_type, details from audit_log
      where action = 'customer.exported' and created_at >= ${before.toISOString()} order by id desc limit 1`;
    expect(row).toMatchObject({ actor_type: "STAFF", actor_id: actor.id, entity_type: "customer" });
    expect(row!.details).toMatchObject({
      format: "csv",
      rowCount,
      filters: { tiers: ["GOLD"], q: "an", sort: "relevance", dir: "desc" },
    });
  });
});

describe("exportCustomersCsv at scale", () => {
  let big: TestDatabase;
  const N = 25_000;

  beforeAll(async () => {
    big = await createTestDatabase();
    await big.sql`insert into customers (email, name, phone, referral_code, tags, total_spent,
        total_bookings, last_booking_at, marketing_opt_in)
      select 'bulk-' || g || '@example.com',
        'Bulk "Customer", number ' || g || ' ' || repeat('ž', 300), '+38160' || g,
        'BULK' || g, array['tag-' || (g % 7)], g * 13, g % 20,
        timestamptz '2026-11-01' - g * interval '1 minute', g % 2 = 0
      from generate_series(1, ${N}) g`;
  }, 120_000);
  afterAll(async () => {
    await big.drop();
  });

  const run = (input: CustomerFilterInput = {}) =>
    exportCustomersCsv({ db: big.db, actor, meta: noRequest, config: EUR }, input);

  it("streams in many small chunks and counts every row", async () => {
    const { stream, rowCount } = await run();
    expect(rowCount).toBe(N);
    const sizes: number[] = [];
    let lines = 0;
    for await (const chunk of chunksOf(stream)) {
      sizes.push(chunk.byteLength);
      for (const byte of chunk) if (byte === 0x0a) lines++;
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(lines).toBe(N + 1);
    expect(total).toBeGreaterThan(15_000_000);
    // Many chunks, none anywhere near the whole file: nothing buffered it all.
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.max(...sizes)).toBeLessThan(256 * 1024);
  });

  it("holds PostgreSQL back while the reader waits, and cancelling stops the query", async () => {
    const { stream } = await run({ sort: "email", dir: "asc" });
    const reader = stream.getReader();
    await reader.read(); // header
    const first = await reader.read();
    expect(first.value!.byteLength).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    // The copy is still running: PostgreSQL waits for us, it has not sent everything.
    const active = await big.sql`select state from pg_stat_activity
      where datname = current_database() and query like 'copy (%' and state = 'active'`;
    expect(active).toHaveLength(1);

    await reader.cancel();
    await expect
      .poll(
        async () =>
          (
            await big.sql`select 1 from pg_stat_activity
              where datname = current_database() and query like 'copy (%' and state <> 'idle'`
          ).length,
        { timeout: 5_000 },
      )
      .toBe(0);
  });

  it("gives its connection back however the reader stops", async () => {
    // More cancelled exports than the pool has connections (5): a leak would hang here.
    for (let i = 0; i < 8; i++) {
      const { stream } = await run();
      const reader = stream.getReader();
      await reader.read();
      await reader.read();
      await reader.cancel();
    }
    const page = await listCustomers({ db: big.db }, { limit: 1 });
    expect(page.total).toBe(N);
    // And after a cancel the connection is clean: no transaction left open.
    await expect
      .poll(
        async () =>
          (
            await big.sql`select 1 from pg_stat_activity
              where datname = current_database() and state like 'idle in transaction%'`
          ).length,
        { timeout: 5_000 },
      )
      .toBe(0);
  });
});
