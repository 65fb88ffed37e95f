import { copyOut, schema } from "@xplorium/db";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { csvField } from "../csv/csv";
import { csvStream, safeText } from "../customers/customer-export";
import type { DepsWith } from "../deps";
import {
  getSegment,
  marketingWhere,
  parseSegmentFilter,
  type SegmentConfig,
  segmentFilter,
  segmentQueryOptions,
} from "./segments";

const c = schema.customers;

export const marketingExportInput = z.object({
  segmentId: z.uuid({ message: "Unknown segment." }).optional(),
  filter: segmentFilter.optional(),
});
export type MarketingExportInput = z.input<typeof marketingExportInput>;

const COLUMNS: [header: string, cell: SQL][] = [
  ["Email", safeText(sql`${c.email}`)],
  ["Name", safeText(sql`${c.name}`)],
  ["Tier", sql`${c.loyaltyTier}`],
];

/**
 * The marketing list (a saved segment's, or an unsaved filter's) as CSV: email, name, tier,
 * by email, streamed from PostgreSQL's COPY like the customer export (bounded memory, formula
 * cells defused, BOM and header first). Audited (`marketing_list.exported`, with the filter and
 * the row count when it started) before the first byte leaves.
 */
export async function exportMarketingListCsv(
  deps: DepsWith<"db" | "actor" | "meta" | "config", SegmentConfig>,
  raw: MarketingExportInput,
): Promise<{ rowCount: number; stream: ReadableStream<Uint8Array>; name: string | null }> {
  const { db, actor, meta } = deps;
  const input = marketingExportInput.parse(raw);
  const segment = input.segmentId ? await getSegment(deps, { id: input.segmentId }) : null;
  const filter = segment ? segment.filter : parseSegmentFilter(input.filter);
  const where = marketingWhere(filter, segmentQueryOptions(deps.config));
  const select = Object.fromEntries(COLUMNS.map(([, cell], i) => [`c${i}`, cell]));
  const query = db.select(select).from(c).where(where).orderBy(c.email).toSQL();
  const body = await copyOut(db, query, { options: "format csv" });

  let rowCount: number;
  try {
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(c).where(where);
    rowCount = count?.n ?? 0;
    await recordAudit(db, actor, meta, {
      action: "marketing_list.exported",
      entityType: "segment",
      ...(segment ? { entityId: segment.id } : {}),
      details: { format: "csv", filter, rowCount },
    });
  } catch (error) {
    await body.cancel();
    throw error;
  }
  const header = COLUMNS.map(([h]) => csvField(h)).join(",");
  return { rowCount, stream: csvStream(header, body), name: segment?.name ?? null };
}
