import type { Env } from "@xplorium/config";
import { type Database, schema } from "@xplorium/db";
import { TIERS } from "@xplorium/domain";
import { and, arrayOverlaps, desc, eq, gt, gte, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { staffIdOf } from "../actor";
import { likelyToChurnSql } from "../analytics/churn";
import { RFM_SEGMENTS } from "../analytics/rfm";
import { changedFields } from "../audit/changes";
import { recordAudit } from "../audit/record-audit";
import { customerFilterWhere } from "../customers/customer-query";
import type { DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { sqlEmailSuppressionHash } from "../privacy/suppression-hash";

const c = schema.customers;
const ca = schema.customerAnalytics;
const { segments, suppressions, staffUsers, campaigns } = schema;

const tagList = z
  .array(
    z
      .string()
      .trim()
      .min(1, { message: "A tag cannot be empty." })
      .max(40, { message: "Tags are at most 40 characters." }),
  )
  .max(10, { message: "At most 10 tags." });

const isoDate = z.iso.date({ message: "Enter a date as YYYY-MM-DD." });

/**
 * A segment's saved filter (DESIGN.md "Marketing"); every field is optional and they all have
 * to hold. Stored as-is in `segments.filter` (JSON: dates are `YYYY-MM-DD` in the venue's time
 * zone, money in minor units). To add a criterion: add the field here and its condition in
 * `segmentWhere`, nothing else.
 */
export const segmentFilter = z.object({
  tiers: z
    .array(z.enum(TIERS, { message: "Unknown tier." }))
    .max(5)
    .optional(),
  /** Customers carrying at least one of these tags. */
  tagsAny: tagList.optional(),
  /** Customers carrying every one of these tags. */
  tagsAll: tagList.optional(),
  minBookings: z
    .number({ message: "Enter a number of bookings." })
    .int({ message: "Bookings are whole numbers." })
    .min(0, { message: "Cannot be negative." })
    .max(100_000)
    .optional(),
  /** Lifetime spend, in minor units (1250 = 12.50). */
  minSpent: z
    .number({ message: "Enter an amount." })
    .int({ message: "Amounts are in whole minor units." })
    .min(0, { message: "Cannot be negative." })
    .max(1_000_000_000_000)
    .optional(),
  /** Last booking on or after this day (customers who never booked do not match). */
  lastBookingAfter: isoDate.optional(),
  /** Last booking before this day (customers who never booked do not match). */
  lastBookingBefore: isoDate.optional(),
  birthdayMonth: z
    .number({ message: "Choose a month." })
    .int()
    .min(1, { message: "Choose a month." })
    .max(12, { message: "Choose a month." })
    .optional(),
  emailOptIn: z.boolean().optional(),
  smsOptIn: z.boolean().optional(),
  /** Customers in any of these RFM segments (the analytics snapshot; analytics/rfm.ts). */
  rfmSegments: z
    .array(z.enum(RFM_SEGMENTS, { message: "Unknown RFM segment." }))
    .max(RFM_SEGMENTS.length)
    .optional(),
  /** Likely to churn by the snapshot's churn score (analytics/churn.ts), or (false) not. */
  likelyToChurn: z.boolean().optional(),
});
export type SegmentFilter = z.output<typeof segmentFilter>;
export type SegmentFilterInput = z.input<typeof segmentFilter>;

/** Validates a filter, including what spans fields; throws AppError with field errors. */
export function parseSegmentFilter(raw: unknown): SegmentFilter {
  const filter = segmentFilter.parse(raw ?? {});
  if (
    filter.lastBookingAfter &&
    filter.lastBookingBefore &&
    filter.lastBookingAfter >= filter.lastBookingBefore
  ) {
    throw new AppError("BAD_REQUEST", "The 'last booking after' day must come before 'before'.", {
      fieldErrors: { lastBookingBefore: ["Must be later than 'last booking after'."] },
    });
  }
  return filter;
}

export interface SegmentQueryOptions {
  /** IANA zone whose midnight starts a `YYYY-MM-DD` day (the venue's TIME_ZONE). */
  timeZone: string;
}

/** What segment queries read from the configuration: the venue's time zone. */
export type SegmentConfig = Pick<Env, "TIME_ZONE">;
export const segmentQueryOptions = (config: SegmentConfig): SegmentQueryOptions => ({
  timeZone: config.TIME_ZONE,
});

/** Midnight starting the day `day` in `timeZone`, computed by PostgreSQL from bound values. */
const startOfDay = (day: string, timeZone: string) =>
  sql`((${day})::date::timestamp at time zone ${timeZone})`;

/**
 * The filter as one WHERE over `customers`, every value a bound parameter. Erased customers
 * never match. What the customer list also filters on (tiers, opt-ins, all tags, min bookings)
 * is the customer list's own SQL, so both screens agree.
 */
export function segmentWhere(filter: SegmentFilter, opts: SegmentQueryOptions): SQL {
  const where = and(
    customerFilterWhere({
      tiers: filter.tiers,
      tags: filter.tagsAll,
      minBookings: filter.minBookings,
      emailOptIn: filter.emailOptIn,
      smsOptIn: filter.smsOptIn,
    }),
    filter.tagsAny?.length ? arrayOverlaps(c.tags, filter.tagsAny) : undefined,
    filter.minSpent !== undefined ? gte(c.totalSpent, filter.minSpent) : undefined,
    filter.lastBookingAfter
      ? sql`${c.lastBookingAt} >= ${startOfDay(filter.lastBookingAfter, opts.timeZone)}`
      : undefined,
    filter.lastBookingBefore
      ? sql`${c.lastBookingAt} < ${startOfDay(filter.lastBookingBefore, opts.timeZone)}`
      : undefined,
    filter.birthdayMonth !== undefined
      ? sql`extract(month from ${c.birthDate}) = ${filter.birthdayMonth}::int`
      : undefined,
    filter.rfmSegments?.length
      ? sql`exists (select 1 from ${ca} where ${ca.customerId} = ${c.id} and ${inArray(ca.rfmSegment, filter.rfmSegments)})`
      : undefined,
    filter.likelyToChurn !== undefined
      ? sql`${filter.likelyToChurn ? sql`` : sql`not`} exists (select 1 from ${ca}
          where ${ca.customerId} = ${c.id} and ${likelyToChurnSql})`
      : undefined,
  );
  // `and` of at least the erased check is never undefined.
  return where ?? sql`${c.erasedAt} is null`;
}

/** The marketing list of a filter: its customers who opted in to email and are not suppressed. */
export function marketingWhere(filter: SegmentFilter, opts: SegmentQueryOptions): SQL {
  return and(
    segmentWhere(filter, opts),
    eq(c.marketingOptIn, true),
    sql`not exists (select 1 from ${suppressions} where ${suppressions.emailHash} = ${sqlEmailSuppressionHash(sql`${c.email}`)})`,
  ) as SQL;
}

/** How many customers a filter (the input, validated here) matches. */
export async function segmentCount(
  deps: DepsWith<"db" | "config", SegmentConfig>,
  rawFilter: unknown,
): Promise<number> {
  const where = segmentWhere(parseSegmentFilter(rawFilter), segmentQueryOptions(deps.config));
  const [row] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(c).where(where);
  return row?.n ?? 0;
}

export const pageInput = {
  cursor: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(100).default(25),
};

const encodeCursor = (email: string) => Buffer.from(email, "utf8").toString("base64url");
function decodeCursor(raw: string): string {
  const email = Buffer.from(raw, "base64url").toString("utf8");
  if (!email.includes("@")) {
    throw new AppError("BAD_REQUEST", "That page link has expired; start from the first page.", {
      fieldErrors: { cursor: ["Invalid cursor"] },
    });
  }
  return email;
}

/**
 * One page of customers matching `where`, by email (unique and present for every non-erased
 * customer, so keyset paging on it has no gaps or repeats), and the total.
 */
async function pageByEmail(
  db: Database,
  where: SQL,
  page: { cursor?: string | undefined; limit: number },
) {
  const after = page.cursor ? gt(c.email, decodeCursor(page.cursor)) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: c.id,
        email: sql<string>`${c.email}`,
        name: c.name,
        tier: c.loyaltyTier,
        points: c.loyaltyPoints,
      })
      .from(c)
      .where(and(where, after))
      .orderBy(c.email)
      .limit(page.limit + 1),
    db.select({ total: sql<number>`count(*)::int` }).from(c).where(where),
  ]);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor(last.email) : null,
    total: count?.total ?? 0,
  };
}

export const segmentPreviewInput = z.object({ filter: segmentFilter.default({}), ...pageInput });
export type SegmentPreviewInput = z.input<typeof segmentPreviewInput>;

/** The segment's customers (email, name, tier, points), keyset-paginated, with the count. */
export async function segmentPreview(
  deps: DepsWith<"db" | "config", SegmentConfig>,
  raw: SegmentPreviewInput,
) {
  const input = segmentPreviewInput.parse(raw);
  const where = segmentWhere(parseSegmentFilter(input.filter), segmentQueryOptions(deps.config));
  return pageByEmail(deps.db, where, input);
}

export const marketingListInput = z.object({
  /** A saved segment, or an unsaved filter; neither: every opted-in customer. */
  segmentId: z.uuid({ message: "Unknown segment." }).optional(),
  filter: segmentFilter.optional(),
  ...pageInput,
});
export type MarketingListInput = z.input<typeof marketingListInput>;

/**
 * The marketing list (seed getMarketingList): the segment's customers who opted in to email,
 * are not erased and whose address is not suppressed; email, name and tier, with the count.
 */
export async function marketingList(
  deps: DepsWith<"db" | "config", SegmentConfig>,
  raw: MarketingListInput,
) {
  const input = marketingListInput.parse(raw);
  const filter = input.segmentId
    ? (await getSegment(deps, { id: input.segmentId })).filter
    : parseSegmentFilter(input.filter);
  const page = await pageByEmail(
    deps.db,
    marketingWhere(filter, segmentQueryOptions(deps.config)),
    input,
  );
  return {
    ...page,
    items: page.items.map(({ id, email, name, tier }) => ({ id, email, name, tier })),
  };
}

// Saved segments

const segmentFields = {
  name: z
    .string({ message: "Give the segment a name." })
    .trim()
    .min(2, { message: "Give the segment a name (at least 2 characters)." })
    .max(80, { message: "Keep the name under 80 characters." }),
  description: z
    .string()
    .trim()
    .max(500, { message: "Keep the description under 500 characters." }),
};

export const segmentCreateInput = z.object({
  name: segmentFields.name,
  description: segmentFields.description.default(""),
  filter: segmentFilter.default({}),
});
export type SegmentCreateInput = z.input<typeof segmentCreateInput>;

export const segmentUpdateInput = z.object({
  id: z.uuid({ message: "Unknown segment." }),
  name: segmentFields.name.optional(),
  description: segmentFields.description.optional(),
  filter: segmentFilter.optional(),
});
export type SegmentUpdateInput = z.input<typeof segmentUpdateInput>;

export const segmentIdInput = z.object({ id: z.uuid({ message: "Unknown segment." }) });

const segmentColumns = {
  id: segments.id,
  name: segments.name,
  description: segments.description,
  filter: segments.filter,
  createdByStaffId: segments.createdByStaffId,
  createdAt: segments.createdAt,
  updatedAt: segments.updatedAt,
};

type SegmentRow = { filter: unknown } & Record<string, unknown>;
/**
 * The row with its stored filter read back. Filters are validated when saved; one that no
 * longer reads (an older shape) must never widen to "everyone": the list shows it as empty,
 * anything that selects recipients from it refuses.
 */
function withFilter<T extends SegmentRow>(
  row: T,
  opts: { lenient?: boolean } = {},
): Omit<T, "filter"> & { filter: SegmentFilter } {
  const parsed = segmentFilter.safeParse(row.filter);
  if (parsed.success) return { ...row, filter: parsed.data };
  if (opts.lenient) return { ...row, filter: {} };
  throw new AppError("CONFLICT", "This segment's saved filter is no longer valid; build it again.");
}

export async function listSegments(deps: DepsWith<"db">) {
  const rows = await deps.db
    .select({ ...segmentColumns, createdByName: staffUsers.name })
    .from(segments)
    .leftJoin(staffUsers, eq(staffUsers.id, segments.createdByStaffId))
    .orderBy(desc(segments.updatedAt), segments.id);
  return rows.map((row) => withFilter(row, { lenient: true }));
}

export async function getSegment(deps: DepsWith<"db">, { id }: { id: string }) {
  const [row] = await deps.db
    .select({ ...segmentColumns, createdByName: staffUsers.name })
    .from(segments)
    .leftJoin(staffUsers, eq(staffUsers.id, segments.createdByStaffId))
    .where(eq(segments.id, id));
  if (!row) throw notFound("Segment");
  return withFilter(row);
}

export async function createSegment(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: SegmentCreateInput,
) {
  const input = segmentCreateInput.parse(raw);
  const filter = parseSegmentFilter(input.filter);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(segments)
      .values({
        name: input.name,
        description: input.description,
        filter,
        createdByStaffId: staffIdOf(actor),
      })
      .returning(segmentColumns);
    await recordAudit(tx, actor, meta, {
      action: "segment.created",
      entityType: "segment",
      entityId: created!.id,
      details: { after: { name: input.name, description: input.description, filter } },
    });
    return withFilter(created!);
  });
}

export async function updateSegment(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: SegmentUpdateInput,
) {
  const { id, ...input } = segmentUpdateInput.parse(raw);
  const patch: { name?: string; description?: string; filter?: SegmentFilter } = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.description !== undefined) patch.description = input.description;
  if (input.filter !== undefined) patch.filter = parseSegmentFilter(input.filter);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select(segmentColumns)
      .from(segments)
      .where(eq(segments.id, id))
      .for("update");
    if (!before) throw notFound("Segment");
    // The filter is JSON: compared by its serialisation.
    const { changes, was } = changedFields(
      before,
      patch,
      (next, old) => JSON.stringify(next) === JSON.stringify(old),
    );
    if (Object.keys(changes).length === 0) {
      return { segment: withFilter(before, { lenient: true }), changed: false };
    }
    const [after] = await tx
      .update(segments)
      .set(changes)
      .where(eq(segments.id, id))
      .returning(segmentColumns);
    await recordAudit(tx, actor, meta, {
      action: "segment.updated",
      entityType: "segment",
      entityId: id,
      details: { before: was, after: changes },
    });
    return { segment: withFilter(after!), changed: true };
  });
}

/** A copy named "… (copy)", to vary a segment without touching the original. */
export async function duplicateSegment(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: z.input<typeof segmentIdInput>,
) {
  const { id } = segmentIdInput.parse(raw);
  return db.transaction(async (tx) => {
    const [source] = await tx.select(segmentColumns).from(segments).where(eq(segments.id, id));
    if (!source) throw notFound("Segment");
    const name = `${source.name.slice(0, 73)} (copy)`;
    const [created] = await tx
      .insert(segments)
      .values({
        name,
        description: source.description,
        filter: source.filter,
        createdByStaffId: staffIdOf(actor),
      })
      .returning(segmentColumns);
    await recordAudit(tx, actor, meta, {
      action: "segment.duplicated",
      entityType: "segment",
      entityId: created!.id,
      details: { sourceId: id, after: { name, filter: source.filter } },
    });
    return withFilter(created!);
  });
}

/**
 * Deletes a saved segment. Campaigns that already started keep their own recipient snapshot; a
 * draft or scheduled campaign still aiming at it stops the delete (with the segment gone it
 * would go to the whole marketing list instead).
 */
export async function deleteSegment(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: z.input<typeof segmentIdInput>,
) {
  const { id } = segmentIdInput.parse(raw);
  return db.transaction(async (tx) => {
    // Locks the segment first, so a campaign cannot be scheduled on it while it is deleted.
    const [target] = await tx
      .select({ id: segments.id })
      .from(segments)
      .where(eq(segments.id, id))
      .for("update");
    if (!target) throw notFound("Segment");
    const users = await tx
      .select({ name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.segmentId, id), inArray(campaigns.status, ["DRAFT", "SCHEDULED"])))
      .orderBy(campaigns.name)
      .limit(3);
    if (users.length > 0) {
      throw new AppError(
        "CONFLICT",
        `Campaign${users.length > 1 ? "s" : ""} ${users.map((u) => `“${u.name}”`).join(", ")} still use${users.length > 1 ? "" : "s"} this segment; choose another segment there first.`,
      );
    }
    const [gone] = await tx.delete(segments).where(eq(segments.id, id)).returning(segmentColumns);
    if (!gone) throw notFound("Segment");
    await recordAudit(tx, actor, meta, {
      action: "segment.deleted",
      entityType: "segment",
      entityId: id,
      details: { before: { name: gone.name, description: gone.description, filter: gone.filter } },
    });
    return { id };
  });
}
