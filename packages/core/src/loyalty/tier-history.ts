import { schema } from "@xplorium/db";
import type { EarnedTier } from "@xplorium/domain";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";
import { TIER_THRESHOLDS } from "./rules";

const { customers, tierChanges, staffUsers } = schema;

/** Earned tiers bottom-up, each with its lifetime-points range (`max` null at the top). */
export function tierScale(): { tier: EarnedTier; min: number; max: number | null }[] {
  const ascending = [...TIER_THRESHOLDS].sort((a, b) => a.min - b.min);
  return ascending.map((t, i) => ({
    tier: t.tier,
    min: t.min,
    max: i + 1 < ascending.length ? ascending[i + 1]!.min - 1 : null,
  }));
}

export const tierHistoryInput = z.object({ customerId: z.uuid({ message: "Unknown customer." }) });

/** How many tier changes the customer page shows, newest first. */
const HISTORY_LIMIT = 50;

/**
 * The customer page's tier-progress view: the tier scale and the customer's tier changes
 * (from, to, why, who, when), newest first.
 */
export async function tierHistory(
  { db }: DepsWith<"db">,
  { customerId }: z.infer<typeof tierHistoryInput>,
) {
  const [customer] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)));
  if (!customer) throw notFound("Customer");
  const changes = await db
    .select({
      id: tierChanges.id,
      fromTier: tierChanges.fromTier,
      toTier: tierChanges.toTier,
      reason: tierChanges.reason,
      staffName: staffUsers.name,
      createdAt: tierChanges.createdAt,
    })
    .from(tierChanges)
    .leftJoin(staffUsers, eq(staffUsers.id, tierChanges.staffUserId))
    .where(eq(tierChanges.customerId, customerId))
    .orderBy(desc(tierChanges.createdAt), desc(tierChanges.id))
    .limit(HISTORY_LIMIT);
  return { tiers: tierScale(), changes };
}
