import { TIERS } from "@xplorium/domain";
import { z } from "zod";
import { CUSTOMER_SORTS } from "./api.server";
import { urlDay as day } from "./url-query";

const yesNo = z.enum(["yes", "no"]).optional().catch(undefined);

/** Filters and sort live in the URL, so a view can be bookmarked and shared. Bad values are dropped. */
const urlQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  tier: z.enum(TIERS).optional().catch(undefined),
  email: yesNo,
  sms: yesNo,
  tags: z.string().max(200).optional().catch(undefined),
  min: z.coerce.number().int().min(0).max(100_000).optional().catch(undefined),
  from: day,
  to: day,
  sort: z.enum(CUSTOMER_SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  cursor: z.string().max(500).optional().catch(undefined),
});
export type CustomerUrlQuery = z.output<typeof urlQuery>;

/**
 * The /customers URL (`?q=&tier=&email=&sms=&tags=&min=&from=&to=&sort=&dir=&cursor=`) as the
 * customer list's input. The list page and the CSV export both read it, so the export is
 * exactly the list on screen (every page of it).
 */
export function customerQueryFromUrl(url: URL) {
  const p = urlQuery.parse(Object.fromEntries(url.searchParams));
  const tags = p.tags
    ?.split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const filters = {
    ...(p.q ? { q: p.q } : {}),
    ...(p.tier ? { tiers: [p.tier] } : {}),
    ...(p.email ? { emailOptIn: p.email === "yes" } : {}),
    ...(p.sms ? { smsOptIn: p.sms === "yes" } : {}),
    ...(tags?.length ? { tags } : {}),
    ...(p.min !== undefined ? { minBookings: p.min } : {}),
    ...(p.from ? { lastBookingFrom: new Date(`${p.from}T00:00:00Z`) } : {}),
    ...(p.to ? { lastBookingTo: new Date(`${p.to}T23:59:59.999Z`) } : {}),
    ...(p.sort && (p.sort !== "relevance" || p.q) ? { sort: p.sort } : {}),
    ...(p.dir ? { dir: p.dir } : {}),
  };
  return { query: p, filters };
}
