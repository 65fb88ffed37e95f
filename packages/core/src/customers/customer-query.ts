import { type Database, schema } from "@xplorium/db";
import { TIERS } from "@xplorium/domain";
import { and, arrayContains, eq, gte, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "../errors";

const c = schema.customers;

export const CUSTOMER_SORTS = [
  "relevance",
  "email",
  "name",
  "phone",
  "tier",
  "points",
  "bookings",
  "spent",
  "lastBooking",
  "createdAt",
] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** Search, filters and sort of the customer list; the list adds paging, the export nothing. */
export const customerFilterInput = z.object({
  q: z.string().trim().max(100).optional(),
  tiers: z.array(z.enum(TIERS)).max(5).optional(),
  emailOptIn: z.boolean().optional(),
  smsOptIn: z.boolean().optional(),
  /** Customers carrying every one of these tags. */
  tags: z.array(z.string().trim().min(1).max(40)).max(10).optional(),
  minBookings: z.number().int().min(0).max(100_000).optional(),
  lastBookingFrom: z.date().optional(),
  lastBookingTo: z.date().optional(),
  sort: z.enum(CUSTOMER_SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
});
export type CustomerFilterInput = z.input<typeof customerFilterInput>;

/** The sort key of each column, null-free so that (key, id) orders every row exactly once. */
function sortKey(sort: CustomerSort, q: string | undefined): { expr: SQL; type: string } {
  switch (sort) {
    case "relevance":
      return {
        expr: sql`greatest(similarity(coalesce(${c.name}, ''), ${q ?? ""}), similarity(coalesce(${c.email}, ''), ${q ?? ""}), word_similarity(${q ?? ""}, coalesce(${c.name}, '')))`,
        type: "float8",
      };
    case "email":
      return { expr: sql`coalesce(${c.email}, '')`, type: "text" };
    case "name":
      return { expr: sql`coalesce(lower(${c.name}), '')`, type: "text" };
    case "phone":
      return { expr: sql`coalesce(${c.phone}, '')`, type: "text" };
    case "tier":
      return {
        expr: sql`array_position(array['BRONZE','SILVER','GOLD','PLATINUM','VIP']::loyalty_tier[], ${c.loyaltyTier})`,
        type: "int4",
      };
    case "points":
      return { expr: sql`${c.loyaltyPoints}`, type: "int4" };
    case "bookings":
      return { expr: sql`${c.totalBookings}`, type: "int4" };
    case "spent":
      return { expr: sql`${c.totalSpent}`, type: "int8" };
    case "lastBooking":
      return {
        expr: sql`coalesce(${c.lastBookingAt}, '-infinity'::timestamptz)`,
        type: "timestamptz",
      };
    case "createdAt":
      return { expr: sql`${c.createdAt}`, type: "timestamptz" };
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * The WHERE of the customer list's filters (erased customers never match). Also the base of a
 * marketing segment's filter (marketing/segments.ts), so both mean the same thing.
 */
export function customerFilterWhere(input: z.output<typeof customerFilterInput>): SQL | undefined {
  const q = input.q || undefined;
  // Phones are stored as E.164: drop the national trunk/international zeros people type.
  const digits = q?.replace(/\D/g, "").replace(/^0+/, "") ?? "";
  return and(
    isNull(c.erasedAt),
    q
      ? sql`(${c.email} ilike ${`%${escapeLike(q.toLowerCase())}%`}
          or ${c.name} ilike ${`%${escapeLike(q)}%`}
          ${digits.length >= 3 ? sql`or ${c.phone} like ${`%${digits}%`}` : sql``}
          or ${c.name} % ${q}
          or ${c.email} % ${q.toLowerCase()})`
      : undefined,
    input.tiers?.length ? inArray(c.loyaltyTier, input.tiers) : undefined,
    input.emailOptIn !== undefined ? eq(c.marketingOptIn, input.emailOptIn) : undefined,
    input.smsOptIn !== undefined ? eq(c.smsOptIn, input.smsOptIn) : undefined,
    input.tags?.length ? arrayContains(c.tags, input.tags) : undefined,
    input.minBookings !== undefined ? gte(c.totalBookings, input.minBookings) : undefined,
    input.lastBookingFrom ? gte(c.lastBookingAt, input.lastBookingFrom) : undefined,
    input.lastBookingTo ? lte(c.lastBookingAt, input.lastBookingTo) : undefined,
  );
}

/**
 * A search is ranked by relevance only while PostgreSQL expects at most this many matches:
 * ranking scores every match (three trigram similarities, ~9 µs each row), so a three-letter
 * term matching 100,000 of a million families would take a second to rank. Beyond it the
 * search keeps the list's usual order, last booking first, which walks an index and stops after
 * one page (docs/performance.md).
 */
export const RELEVANCE_MAX_MATCHES = 1_000;

/**
 * The order of a list nobody chose one for: relevance for a search with few enough expected
 * matches, else last booking first. The expectation is the planner's row estimate for the
 * filters (EXPLAIN, no rows read: ~1 ms whatever the table size), not a count, which for a
 * common term costs as much as the ranking it would avoid.
 */
export async function defaultCustomerSort(
  db: Database,
  input: z.output<typeof customerFilterInput>,
): Promise<CustomerSort> {
  if (!input.q) return "lastBooking";
  const where = customerFilterWhere(input);
  const [row] = (await db.execute(
    sql`explain (format json) select 1 from ${c} where ${where ?? sql`true`}`,
  )) as unknown as { "QUERY PLAN": unknown }[];
  const plan = row?.["QUERY PLAN"];
  const parsed = (typeof plan === "string" ? JSON.parse(plan) : plan) as
    | { Plan?: { "Plan Rows"?: number } }[]
    | undefined;
  const estimate = parsed?.[0]?.Plan?.["Plan Rows"];
  return typeof estimate === "number" && estimate <= RELEVANCE_MAX_MATCHES
    ? "relevance"
    : "lastBooking";
}

/**
 * The WHERE and ORDER BY of the admin customer list, shared by the paged list and the CSV
 * export so both show exactly the same customers in the same order. Erased customers never
 * match. The order is (sort key, id), so it is total.
 */
export function customerQuery(input: z.output<typeof customerFilterInput>) {
  const q = input.q || undefined;
  const sort: CustomerSort = input.sort ?? (q ? "relevance" : "lastBooking");
  if (sort === "relevance" && !q) {
    throw new AppError("BAD_REQUEST", "Sorting by relevance needs a search term.");
  }
  const dir = input.dir ?? (["email", "name", "phone"].includes(sort) ? "asc" : "desc");
  const key = sortKey(sort, q);
  const order =
    dir === "asc" ? sql`${key.expr} asc, ${c.id} asc` : sql`${key.expr} desc, ${c.id} desc`;
  return {
    where: customerFilterWhere(input),
    order,
    key,
    sort,
    dir,
    /** Identifies this order, so a keyset cursor is never used under another one. */
    sortId: `${sort}:${dir}:${q ?? ""}`,
  };
}
