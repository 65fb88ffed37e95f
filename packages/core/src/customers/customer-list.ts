import { type Database, schema } from "@xplorium/db";
import { and, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "../errors";
import { customerFilterInput, customerQuery } from "./customer-query";

const c = schema.customers;

export { CUSTOMER_SORTS, type CustomerSort } from "./customer-query";

export const customerListInput = customerFilterInput.extend({
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(25),
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

function decodeCursor(raw: string, sortId: string): Cursor {
  try {
    const cur = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Cursor;
    if (typeof cur.k === "string" && z.uuid().safeParse(cur.id).success && cur.s === sortId)
      return cur;
  } catch {}
  throw new AppError("BAD_REQUEST", "That page link has expired; start from the first page.", {
    fieldErrors: { cursor: ["Invalid cursor"] },
  });
}

/**
 * The admin customer list (seed getCustomers): typo-tolerant trigram search, filters, any
 * column's sort, keyset pagination on (sort key, id) and the total count of the filtered list.
 */
export async function listCustomers(db: Database, rawInput: CustomerListInput) {
  const input = customerListInput.parse(rawInput);
  const { where, order, key, sort, dir, sortId } = customerQuery(input);

  let after: SQL | undefined;
  if (input.cursor) {
    const cur = decodeCursor(input.cursor, sortId);
    const value = sql`${cur.k}::${sql.raw(key.type)}`;
    after =
      dir === "asc"
        ? sql`(${key.expr}, ${c.id}) > (${value}, ${cur.id}::uuid)`
        : sql`(${key.expr}, ${c.id}) < (${value}, ${cur.id}::uuid)`;
  }
  const [rows, [count]] = await Promise.all([
    db
      .select({
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
      })
      .from(c)
      .where(and(where, after))
      .orderBy(order)
      .limit(input.limit + 1),
    db.select({ total: sql<number>`count(*)::int` }).from(c).where(where),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sortKey: _k, ...row }) => row),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor({ k: last.sortKey, id: last.id, s: sortId })
        : null,
    total: count?.total ?? 0,
    sort,
    dir,
  };
}
