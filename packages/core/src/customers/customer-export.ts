import type { Env } from "@xplorium/config";
import { copyOut, type Database, schema } from "@xplorium/db";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { csvField, FORMULA_TRIGGER_CODES } from "../csv/csv";
import type { Deps } from "../deps";
import {
  type CustomerFilterInput,
  customerFilterInput,
  customerQuery,
  defaultCustomerSort,
} from "./customer-query";

const c = schema.customers;

/** What the CSV export reads from the configuration: the currency its amounts are in. */
export type CustomerExportConfig = Pick<Env, "CURRENCY">;

/**
 * `formulaSafe` (csv/csv.ts) in SQL: a cell a spreadsheet would run as a formula (text starting
 * with =, +, -, @, tab or carriage return) gets a leading apostrophe. Only text from people is
 * checked; numbers and dates are ours. ascii() is the code of the first character.
 */
const triggerCodes = sql.raw(FORMULA_TRIGGER_CODES.join(", "));
export const safeText = (expr: SQL) =>
  sql`case when ascii(${expr}) in (${triggerCodes}) then '''' || ${expr} else ${expr} end`;

/** `2026-11-24 18:30:05`, which spreadsheets read as a date and time (DateStyle ISO, below). */
const utc = (expr: SQL) => sql`date_trunc('second', ${expr} at time zone 'UTC')`;
const yesNo = (expr: SQL) => sql`case when ${expr} then 'yes' else 'no' end`;

/** The export's columns: header and the SQL that renders the cell (PostgreSQL quotes it). */
function columns(currency: string): [header: string, cell: SQL][] {
  return [
    ["Email", safeText(sql`${c.email}`)],
    ["Name", safeText(sql`${c.name}`)],
    ["Phone", safeText(sql`${c.phone}`)],
    ["Tier", sql`${c.loyaltyTier}`],
    ["Points", sql`${c.loyaltyPoints}`],
    ["Lifetime points", sql`${c.lifetimePoints}`],
    ["Bookings", sql`${c.totalBookings}`],
    // Major units as a plain number (spreadsheets can add it up); the currency is in the header.
    // Minor units are hundredths, as everywhere else in the app (formatMoney): 1250 → 12.50.
    [`Total spent (${currency})`, sql`${c.totalSpent} * 0.01`],
    ["First booking (UTC)", utc(sql`${c.firstBookingAt}`)],
    ["Last booking (UTC)", utc(sql`${c.lastBookingAt}`)],
    ["Email opt-in", yesNo(sql`${c.marketingOptIn}`)],
    ["SMS opt-in", yesNo(sql`${c.smsOptIn}`)],
    ["Tags", safeText(sql`array_to_string(${c.tags}, '; ')`)],
    ["Created (UTC)", utc(sql`${c.createdAt}`)],
  ];
}

/** The export's SQL (for COPY) and its header row, for validated filters. */
export function customerCsvQuery(
  db: Database,
  input: z.output<typeof customerFilterInput>,
  currency: string,
) {
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`Not a currency code: ${currency}`);
  const { where, order, sort, dir } = customerQuery(input);
  const cols = columns(currency);
  const select = Object.fromEntries(cols.map(([, cell], i) => [`c${i}`, cell]));
  return {
    query: db.select(select).from(c).where(where).orderBy(order).toSQL(),
    header: cols.map(([h]) => csvField(h)).join(","),
    where,
    sort,
    dir,
  };
}

/**
 * The admin customer list as CSV (seed "Export to CSV"): the same search, filters and order as
 * `listCustomers`, every page of it, erased customers never. Rows stream straight from
 * PostgreSQL's `COPY … TO STDOUT (FORMAT csv)`, which does the quoting, so memory stays bounded
 * however many customers there are. The stream starts with a UTF-8 byte order mark (so
 * spreadsheet apps read UTF-8) and a header row; lines end in LF.
 *
 * Exporting personal data is audited (`customer.exported`, with the filters and the number of
 * rows matching when the export started) before the first byte leaves.
 */
export async function exportCustomersCsv(
  { db, actor, meta, config }: Deps<CustomerExportConfig>,
  rawInput: CustomerFilterInput,
): Promise<{ rowCount: number; stream: ReadableStream<Uint8Array> }> {
  const parsed = customerFilterInput.parse(rawInput);
  // The order the list shows for the same filters (a search: by relevance only when few match).
  const input = { ...parsed, sort: parsed.sort ?? (await defaultCustomerSort(db, parsed)) };
  const { query, header, where, sort, dir } = customerCsvQuery(db, input, config.CURRENCY);
  const body = await copyOut(db, query, {
    options: "format csv",
    settings: { DateStyle: "ISO, YMD" },
  });

  let rowCount: number;
  try {
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(c).where(where);
    rowCount = count?.n ?? 0;
    await recordAudit(db, actor, meta, {
      action: "customer.exported",
      entityType: "customer",
      details: { format: "csv", filters: { ...input, sort, dir }, rowCount },
    });
  } catch (error) {
    await body.cancel();
    throw error;
  }

  const stream = csvStream(header, body);
  return { rowCount, stream };
}

/**
 * A CSV download from a COPY stream: a UTF-8 byte order mark and the header row first, then
 * the rows as PostgreSQL sends them, pulled only as fast as the reader reads.
 */
export function csvStream(
  header: string,
  body: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  const head = new TextEncoder().encode(`\uFEFF${header}\n`);
  const rows = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(head);
      },
      async pull(controller) {
        const { done, value } = await rows.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return rows.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
