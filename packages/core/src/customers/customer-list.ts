import { type Database, schema } from "@xplorium/db";
import { and, getTableColumns, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";
import { AppError } from "../errors";
import {
  CUSTOMER_SORTS,
  type CustomerSort,
  customerFilterInput,
  customerFilterWhere,
  customerQuery,
  defaultCustomerSort,
} from "./customer-query";

const c = schema.customers;

export { CUSTOMER_SORTS, type CustomerSort } from "./customer-query";

type CustomerFilterInput = z.input<typeof customerFilterInput>;

/** How many customers a search in last-booking order reads in that order before it searches. */
export const SEARCH_WINDOW = 2_000;

export const customerListInput = customerFilterInput.extend({
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  /**
   * Count the whole filtered list too (the default). The admin list asks for the page without
   * it and streams `customers.count` in after the rows: counting reads every match (~80 ms at a
   * million customers, a second for a common search term) while the page reads one page.
   */
  withTotal: z.boolean().default(true),
});
export type CustomerListInput = z.input<typeof customerListInput>;

interface Cursor {
  /** The sort key of the last row, as PostgreSQL printed it. */
  k: string;
  id: string;
  /** The sort it belongs to: a cursor is meaningless under another order. */
  s: string;
}

const encodeCursor = (cur: Cursor) => Buffer.from(JSON.stringify(cur)).toString("base64url");

/** A cursor's fields as sent, unchecked (null when it is not base64url JSON at all). */
function parseCursor(raw: string): Partial<Cursor> | null {
  try {
    return JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Cursor>;
  } catch {
    return null;
  }
}

function decodeCursor(raw: string, sortId: string): Cursor {
  const cur = parseCursor(raw);
  if (typeof cur?.k === "string" && z.uuid().safeParse(cur.id).success && cur.s === sortId)
    return cur as Cursor;
  throw new AppError("BAD_REQUEST", "That page link has expired; start from the first page.", {
    fieldErrors: { cursor: ["Invalid cursor"] },
  });
}

/** The sort a cursor was made under, so that the next page keeps an order chosen for the first. */
function sortOfCursor(raw: string): CustomerSort | undefined {
  const s = parseCursor(raw)?.s;
  const sort = typeof s === "string" ? s.split(":")[0] : undefined;
  return CUSTOMER_SORTS.find((x) => x === sort);
}

/**
 * The admin customer list (seed getCustomers): typo-tolerant trigram search, filters, any
 * column's sort, keyset pagination on (sort key, id) and the total count of the filtered list
 * (`total`, null when asked `withTotal: false`). Without a chosen sort a search is ranked by
 * relevance when few rows match, else ordered by last booking (`defaultCustomerSort`); the
 * answer says which (`sort`, `dir`) and the cursor keeps it for the next pages.
 */
export async function listCustomers(deps: DepsWith<"db">, rawInput: CustomerListInput) {
  const { db } = deps;
  const input = customerListInput.parse(rawInput);
  const chosen =
    input.sort ??
    (input.cursor ? sortOfCursor(input.cursor) : undefined) ??
    (await defaultCustomerSort(db, input));
  const { where, order, key, sort, dir, sortId } = customerQuery({ ...input, sort: chosen });

  const cur = input.cursor ? decodeCursor(input.cursor, sortId) : undefined;
  /** Rows after the cursor in the order of `keyExpr` (the sort key, or a copy no index matches). */
  const afterCursor = (keyExpr: SQL) => {
    if (!cur) return undefined;
    const value = sql`${cur.k}::${sql.raw(key.type)}`;
    return dir === "asc"
      ? sql`(${keyExpr}, ${c.id}) > (${value}, ${cur.id}::uuid)`
      : sql`(${keyExpr}, ${c.id}) < (${value}, ${cur.id}::uuid)`;
  };
  const fields = {
    id: c.id,
    email: c.email,
    name: c.name,
    phone: c.phone,
    loyaltyTier: c.loyaltyTier,
    loyaltyPoints: c.loyaltyPoints,
    totalBookings: c.totalBookings,
    totalSpent: c.totalSpent,
    lastBookingAt: c.lastBookingAt,
    tags: c.tags,
    sortKey: sql<string>`(${key.expr})::text`,
  };
  const pageQuery = (opts: { keyExpr: SQL; order: SQL }) =>
    db
      .select(fields)
      .from(c)
      .where(and(where, afterCursor(opts.keyExpr)))
      .orderBy(opts.order)
      .limit(input.limit + 1);
  /**
   * The same page from at most SEARCH_WINDOW customers in the list's order: a subquery named
   * like the table (so the filters' column references read its rows) that walks the index and
   * is pulled only until the page is full. PostgreSQL does not push a filter below a LIMIT.
   */
  const windowQuery = () => {
    const walk = db
      .select({ ...getTableColumns(c), windowKey: sql`${key.expr}`.as("window_key") })
      .from(c)
      .where(and(isNull(c.erasedAt), afterCursor(key.expr)))
      .orderBy(order)
      .limit(SEARCH_WINDOW)
      .as("customers");
    // Ordered by the walk's own output, so no sort waits for all of it.
    const windowOrder =
      dir === "asc"
        ? sql`${walk.windowKey} asc, ${walk.id} asc`
        : sql`${walk.windowKey} desc, ${walk.id} desc`;
    return db
      .select(fields)
      .from(walk)
      .where(where)
      .orderBy(windowOrder)
      .limit(input.limit + 1);
  };

  const loadPage = async () => {
    if (!(input.q && sort === "lastBooking")) return pageQuery({ keyExpr: key.expr, order });
    // A search in last-booking order: the next SEARCH_WINDOW customers in that order (an index
    // walk that stops), filtered. A common term fills the page from them in a few ms. A rarer
    // one (or a planner that thought it common: its estimate moves in 1% steps) does not, and
    // then the matches are found through the trigram indexes and sorted, with the order's key
    // wrapped so that the planner cannot choose to walk the whole index filtering every row
    // (hundreds of ms for a rare term).
    const windowed = await windowQuery();
    if (windowed.length > input.limit) return windowed;
    const unindexed = sql`(${key.expr} + interval '0 seconds')`;
    return pageQuery({
      keyExpr: unindexed,
      order:
        dir === "asc" ? sql`${unindexed} asc, ${c.id} asc` : sql`${unindexed} desc, ${c.id} desc`,
    });
  };
  const [rows, total] = await Promise.all([
    loadPage(),
    input.withTotal ? countWhere(db, where) : Promise.resolve(null),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sortKey: _k, ...row }) => row),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor({ k: last.sortKey, id: last.id, s: sortId })
        : null,
    total,
    sort,
    dir,
  };
}

async function countWhere(db: Database, where: SQL | undefined) {
  const [row] = await db.select({ total: sql<number>`count(*)::int` }).from(c).where(where);
  return row?.total ?? 0;
}

/** How many customers the list's search and filters match (`customers.count`): every one. */
export async function countCustomers(deps: DepsWith<"db">, rawInput: CustomerFilterInput) {
  return {
    total: await countWhere(deps.db, customerFilterWhere(customerFilterInput.parse(rawInput))),
  };
}
