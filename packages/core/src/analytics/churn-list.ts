import type { Tier } from "@xplorium/domain";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";
import { AppError } from "../errors";
import { CHURN_RULES, daysSinceLastVisitSql, likelyToChurnSql } from "./churn";
import type { RfmSegment } from "./rfm";
import { readSnapshot } from "./summary";

export const churnListInput = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type ChurnListInput = z.input<typeof churnListInput>;

const encodeCursor = (score: string, id: string) =>
  Buffer.from(`${score}|${id}`, "utf8").toString("base64url");
function decodeCursor(raw: string): { score: string; id: string } {
  const [score, id] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  if (
    !score ||
    !id ||
    !/^\d+(\.\d+)?$/.test(score) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
  ) {
    throw new AppError("BAD_REQUEST", "That page link has expired; start from the first page.", {
      fieldErrors: { cursor: ["Invalid cursor"] },
    });
  }
  return { score, id };
}

export interface ChurnListItem {
  id: string;
  name: string | null;
  email: string;
  tier: Tier;
  rfmSegment: RfmSegment | null;
  visits: number;
  lastVisitOn: string;
  daysSinceLastVisit: number;
  rhythmDays: number;
  ownRhythm: boolean;
  score: number;
}

/**
 * The "likely to churn" list (churn.ts: 2 ≤ score < 4, nothing booked ahead), most overdue
 * first, keyset-paginated on (score, customer id) along `customer_analytics_likely_idx`: the
 * score is stored with two decimals, so the cursor carries it exactly as PostgreSQL printed it.
 * The page is taken from the snapshot
 * alone and only then joined to customers (a customer erased since the snapshot drops out of
 * their page until the next refresh removes them); the total is the snapshot's own count.
 */
export async function churnList({ db }: DepsWith<"db">, raw: ChurnListInput) {
  const input = churnListInput.parse(raw);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const snapshot = await readSnapshot(db);
  if (!snapshot) return { items: [], nextCursor: null, total: 0 };
  const rows = await db.execute<{
    customer_id: string;
    id: string | null;
    name: string | null;
    email: string | null;
    tier: Tier;
    rfm_segment: RfmSegment | null;
    visits: number;
    last_visit_on: string;
    days_since: number;
    rhythm: string;
    own: boolean;
    score: string;
  }>(sql`
    select c.id, c.name, c.email, page.*
    from (
      select customer_analytics.customer_id, customer_analytics.loyalty_tier as tier,
             customer_analytics.rfm_segment, customer_analytics.visits,
             customer_analytics.last_visit_on::text as last_visit_on,
             ${daysSinceLastVisitSql} as days_since,
             customer_analytics.rhythm_days::text as rhythm,
             customer_analytics.gap_count >= ${CHURN_RULES.minGapsForOwnRhythm}::int as own,
             customer_analytics.churn_score as score
      from customer_analytics cross join analytics_state
      where ${likelyToChurnSql}
        ${after ? sql`and (customer_analytics.churn_score, customer_analytics.customer_id) < (${after.score}::numeric, ${after.id}::uuid)` : sql``}
      -- customer_analytics_likely_idx, in this order.
      order by customer_analytics.churn_score desc nulls last, customer_analytics.customer_id desc nulls last
      limit ${input.limit + 1}
    ) page
    left join customers c on c.id = page.customer_id and c.erased_at is null
    order by page.score desc, page.customer_id desc`);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.flatMap((r): ChurnListItem[] =>
      r.id === null || r.email === null
        ? []
        : [
            {
              id: r.id,
              name: r.name,
              email: r.email,
              tier: r.tier,
              rfmSegment: r.rfm_segment,
              visits: r.visits,
              lastVisitOn: r.last_visit_on,
              daysSinceLastVisit: r.days_since,
              rhythmDays: Number(r.rhythm),
              ownRhythm: r.own,
              score: Number(r.score),
            },
          ],
    ),
    nextCursor:
      rows.length > input.limit && last ? encodeCursor(last.score, last.customer_id) : null,
    total: snapshot.summary.churn.LIKELY,
  };
}
