import type { Tx } from "@xplorium/db";
import { sql } from "drizzle-orm";

/** What erased values read as wherever they are scrubbed rather than nulled. */
export const ERASED = "[erased]";

/** The identifying strings of an erased customer, as the erasure collected them. */
export interface ErasedIdentity {
  customerId: string;
  emails: string[];
  names: string[];
  phones: string[];
}

/**
 * Keys whose values are personal data wherever they appear in an audit row about the customer
 * (profile before/after, merges, bookings, consent), whatever the value is by then.
 */
const PERSONAL_KEYS = new Set([
  "email",
  "emails",
  "mergedEmail",
  "aliases",
  "toEmail",
  "name",
  "phone",
  "birthDate",
  "notes",
  "tags",
  "tag",
  "contactEmail",
  "contactName",
  "contactPhone",
  "userId",
  "userAgent",
  "ip",
]);

/** Actions whose before/after are themselves personal text (staff notes). */
const TEXT_ACTIONS = new Set(["customer.notes_set"]);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
/** How a string appears inside jsonb's text form (quotes, backslashes, control characters). */
const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);

// Shorter names would match ordinary words ("Al", "Jo"); those are removed by key only.
const MIN_NAME_LENGTH = 3;

function identityPatterns(identity: ErasedIdentity): RegExp[] {
  const exact = [...identity.emails, ...identity.phones].filter((s) => s.length > 0);
  const names = identity.names.filter((s) => s.trim().length >= MIN_NAME_LENGTH);
  const patterns = exact.map((s) => new RegExp(escapeRegExp(s), "giu"));
  // A name only as a whole word: "Ana" must not eat "Banana".
  for (const n of names) {
    patterns.push(
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(n.trim())}(?![\\p{L}\\p{N}])`, "giu"),
    );
  }
  return patterns;
}

function scrubString(s: string, patterns: RegExp[]): string {
  let out = s;
  for (const p of patterns) out = out.replace(p, ERASED);
  return out;
}

/**
 * The details of one audit row with the customer's identity removed: every string loses the
 * customer's email addresses, phone numbers and names; in rows about the customer, values under
 * personal keys are replaced outright (they may be old values no longer on the record).
 */
export function scrubAuditDetails(
  details: unknown,
  patterns: RegExp[],
  opts: { about: boolean; action: string },
): unknown {
  const walk = (value: unknown, key: string | null, depth: number): unknown => {
    if (opts.about && key !== null && PERSONAL_KEYS.has(key) && value !== null) return ERASED;
    if (
      opts.about &&
      depth === 1 &&
      TEXT_ACTIONS.has(opts.action) &&
      (key === "before" || key === "after") &&
      value !== null
    ) {
      return ERASED;
    }
    if (typeof value === "string") return scrubString(value, patterns);
    if (Array.isArray(value)) return value.map((v) => walk(v, null, depth + 1));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [scrubString(k, patterns), walk(v, k, depth + 1)]),
      );
    }
    return value;
  };
  return walk(details, null, 0);
}

/**
 * Scrubs the audit log of an erased customer, inside the erasure's transaction: rows about the
 * customer (their entity, their own actions, rows naming their id) and any other row whose
 * details contain one of their addresses, phone numbers or names. The rows stay (who did what,
 * when), without the identity; their own IP addresses go too. Candidates are found in one query
 * and written back in one UPDATE from a JSON recordset. Returns the number of rows changed.
 */
export async function scrubAuditLog(tx: Tx, identity: ErasedIdentity): Promise<number> {
  const id = identity.customerId;
  const needles = [
    ...identity.emails,
    ...identity.phones,
    ...identity.names.filter((n) => n.trim().length >= MIN_NAME_LENGTH),
  ].filter((s) => s.length > 0);
  const likes = needles.map((s) => `%${escapeLike(jsonInner(s.trim()))}%`);
  const about = sql`((entity_type = 'customer' and entity_id = ${id})
    or (actor_type = 'CUSTOMER' and actor_id = ${id})
    or details::text like ${`%${id}%`})`;
  const contains =
    likes.length > 0
      ? sql`details::text ilike any (array[${sql.join(
          likes.map((l) => sql`${l}::text`),
          sql`, `,
        )}])`
      : sql`false`;
  const rows = await tx.execute<{ id: number; action: string; details: unknown; about: boolean }>(
    sql`select id, action, details, ${about} as about
        from audit_log
        where details is not null and (${about} or ${contains})`,
  );

  const patterns = identityPatterns(identity);
  const changed: { id: number; details: unknown }[] = [];
  for (const row of rows) {
    const scrubbed = scrubAuditDetails(row.details, patterns, {
      about: row.about,
      action: row.action,
    });
    if (JSON.stringify(scrubbed) !== JSON.stringify(row.details)) {
      changed.push({ id: Number(row.id), details: scrubbed });
    }
  }
  if (changed.length > 0) {
    await tx.execute(sql`
      update audit_log a set details = v.details
      from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) as v(id bigint, details jsonb)
      where a.id = v.id`);
  }
  // Their own requests' IP addresses (staff rows keep the staff member's).
  await tx.execute(sql`
    update audit_log set ip = null
    where actor_type = 'CUSTOMER' and actor_id = ${id} and ip is not null`);
  return changed.length;
}
