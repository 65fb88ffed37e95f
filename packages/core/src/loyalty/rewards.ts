import { type Database, schema } from "@xplorium/db";
import { asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { randomCode } from "../customers/referral-code";
import type { DepsWith } from "../deps";
import { AppError, notFound } from "../errors";

const { rewards, vouchers } = schema;

/** The catalogue fields staff edit (DESIGN.md "Rewards"). */
const rewardFields = {
  name: z
    .string({ message: "Give the reward a name." })
    .trim()
    .min(2, { message: "Give the reward a name (at least 2 characters)." })
    .max(80, { message: "Keep the name under 80 characters." }),
  description: z
    .string()
    .trim()
    .max(500, { message: "Keep the description under 500 characters." }),
  pointsCost: z
    .number({ message: "Enter how many points it costs." })
    .int({ message: "Points are whole numbers." })
    .min(1, { message: "The points cost must be more than zero." })
    .max(1_000_000, { message: "At most 1,000,000 points." }),
  active: z.boolean(),
  /** null: unlimited. Each redemption takes one; cancelling a voucher puts it back. */
  stock: z
    .number({ message: "Enter a number, or leave it empty for unlimited." })
    .int({ message: "Stock is a whole number." })
    .min(0, { message: "Stock cannot be negative." })
    .max(1_000_000, { message: "At most 1,000,000." })
    .nullable(),
  voucherValidityDays: z
    .number({ message: "Enter for how many days a voucher is valid." })
    .int({ message: "Days are whole numbers." })
    .min(1, { message: "A voucher must be valid for at least a day." })
    .max(3650, { message: "At most 3,650 days (10 years)." }),
};

export const rewardCreateInput = z.object({
  name: rewardFields.name,
  description: rewardFields.description.default(""),
  pointsCost: rewardFields.pointsCost,
  active: rewardFields.active.default(true),
  stock: rewardFields.stock.default(null),
  voucherValidityDays: rewardFields.voucherValidityDays.default(90),
});
export type RewardCreateInput = z.input<typeof rewardCreateInput>;

export const rewardUpdateInput = z.object({
  id: z.uuid({ message: "Unknown reward." }),
  name: rewardFields.name.optional(),
  description: rewardFields.description.optional(),
  pointsCost: rewardFields.pointsCost.optional(),
  active: rewardFields.active.optional(),
  stock: rewardFields.stock.optional(),
  voucherValidityDays: rewardFields.voucherValidityDays.optional(),
});
export type RewardUpdateInput = z.input<typeof rewardUpdateInput>;

const rewardColumns = {
  id: rewards.id,
  code: rewards.code,
  name: rewards.name,
  description: rewards.description,
  pointsCost: rewards.pointsCost,
  active: rewards.active,
  stock: rewards.stock,
  voucherValidityDays: rewards.voucherValidityDays,
  createdAt: rewards.createdAt,
  updatedAt: rewards.updatedAt,
};

type RewardRow = {
  id: string;
  code: string;
  name: string;
  description: string;
  pointsCost: number;
  active: boolean;
  stock: number | null;
  voucherValidityDays: number;
};

const EDITABLE = [
  "name",
  "description",
  "pointsCost",
  "active",
  "stock",
  "voucherValidityDays",
] as const;

function editable(r: RewardRow) {
  return Object.fromEntries(EDITABLE.map((k) => [k, r[k]])) as Pick<
    RewardRow,
    (typeof EDITABLE)[number]
  >;
}

/**
 * The catalogue, active first, cheapest first. Staff see inactive rewards too (to edit or bring
 * back) and how many vouchers each has issued (`countIssued`); customers see only what they can
 * redeem now, without the counts: counting them groups the whole vouchers table, which the
 * portal's home page must not do on every view (docs/performance.md).
 */
export async function listRewards(
  { db }: DepsWith<"db">,
  opts: { includeInactive: boolean; countIssued?: boolean },
) {
  const where = opts.includeInactive ? undefined : eq(rewards.active, true);
  const order = [desc(rewards.active), asc(rewards.pointsCost), asc(rewards.name)];
  let rows: ((typeof rewards)["$inferSelect"] & { vouchersIssued: number | null })[];
  if (opts.countIssued) {
    const issued = db
      .select({ rewardId: vouchers.rewardId, count: sql<number>`count(*)::int`.as("count") })
      .from(vouchers)
      .groupBy(vouchers.rewardId)
      .as("issued");
    rows = await db
      .select({ ...rewardColumns, vouchersIssued: sql<number>`coalesce(${issued.count}, 0)` })
      .from(rewards)
      .leftJoin(issued, eq(issued.rewardId, rewards.id))
      .where(where)
      .orderBy(...order);
  } else {
    rows = (
      await db
        .select(rewardColumns)
        .from(rewards)
        .where(where)
        .orderBy(...order)
    ).map((r) => ({ ...r, vouchersIssued: null }));
  }
  return rows.map((r) => ({ ...r, inStock: r.stock === null || r.stock > 0 }));
}

/** A stable key from the name ("Free beverage" → FREE_BEVERAGE), like the seed's codes. */
function codeFromName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return slug || "REWARD";
}

export async function createReward(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: RewardCreateInput,
) {
  const input = rewardCreateInput.parse(raw);
  const created = await db.transaction(async (tx) => {
    const base = codeFromName(input.name);
    // Two rewards may share a name over the years; the code only has to be unique.
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = attempt === 0 ? base : `${base}_${randomCode(4)}`;
      const [created] = await tx
        .insert(rewards)
        .values({ ...input, code })
        .onConflictDoNothing({ target: rewards.code })
        .returning(rewardColumns);
      if (!created) continue;
      await recordAudit(tx, actor, meta, {
        action: "reward.created",
        entityType: "reward",
        entityId: created.id,
        details: { after: { code, ...editable(created) } },
      });
      return created;
    }
    throw new AppError("CONFLICT", "Could not save this reward; please try again.");
  });
  forgetRewardCatalogue(db);
  return created;
}

/** Edits a reward; `active: false` is how a reward is retired (vouchers keep pointing at it). */
export async function updateReward(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: RewardUpdateInput,
) {
  const { id, ...patch } = rewardUpdateInput.parse(raw);
  const result = await db.transaction(async (tx) => {
    const [before] = await tx
      .select(rewardColumns)
      .from(rewards)
      .where(eq(rewards.id, id))
      .for("update");
    if (!before) throw notFound("Reward");
    const changes: Partial<ReturnType<typeof editable>> = {};
    for (const k of EDITABLE) {
      const v = patch[k];
      if (v !== undefined && v !== before[k]) (changes as Record<string, unknown>)[k] = v;
    }
    if (Object.keys(changes).length === 0) return { reward: before, changed: false };
    const [after] = await tx
      .update(rewards)
      .set(changes)
      .where(eq(rewards.id, id))
      .returning(rewardColumns);
    const beforeFields = Object.fromEntries(
      Object.keys(changes).map((k) => [k, before[k as keyof typeof changes]]),
    );
    await recordAudit(tx, actor, meta, {
      action: "reward.updated",
      entityType: "reward",
      entityId: id,
      details: { code: before.code, before: beforeFields, after: changes },
    });
    return { reward: after!, changed: true };
  });
  if (result.changed) forgetRewardCatalogue(db);
  return result;
}

/**
 * How long a process reuses the active rewards catalogue it read. The catalogue is the same for
 * every customer (no customer data in it) and changes only when staff edit a reward or a
 * limited reward's stock runs down, while the portal's home page shows it on every view. So a
 * staff edit shows on the home page within this many milliseconds in every app process (at
 * once in the process that made it: see `forgetRewardCatalogue`). A stale `inStock` can at worst
 * offer a reward that just ran out; redeeming re-checks stock in its own transaction and refuses
 * with a clear message. Pages that act on a reward (the rewards page, redemption) read it live.
 */
export const REWARD_CATALOGUE_CACHE_MS = 5_000;

type Catalogue = Awaited<ReturnType<typeof listRewards>>;

/** Per database handle (each test database has its own), one read in flight at a time. */
const cached = new WeakMap<Database, { readAt: number; catalogue: Promise<Catalogue> }>();

/**
 * The active catalogue (listRewards without inactive rewards or voucher counts), read at most
 * once per REWARD_CATALOGUE_CACHE_MS per process. Concurrent callers share one query.
 */
export function activeRewardCatalogue(db: Database, now = Date.now()): Promise<Catalogue> {
  const hit = cached.get(db);
  if (hit && now - hit.readAt < REWARD_CATALOGUE_CACHE_MS && now >= hit.readAt) {
    return hit.catalogue;
  }
  const catalogue = listRewards({ db }, { includeInactive: false });
  const entry = { readAt: now, catalogue };
  cached.set(db, entry);
  // A failed read is not kept: the next caller tries again.
  catalogue.catch(() => {
    if (cached.get(db) === entry) cached.delete(db);
  });
  return catalogue;
}

/** Drops this process's copy (after a reward is created or edited here). */
export function forgetRewardCatalogue(db: Database): void {
  cached.delete(db);
}
