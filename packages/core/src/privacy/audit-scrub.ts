import type { Tx } from "@xplorium/db";
import { sql } from "drizzle-orm";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** What erased values read as wherever they are scrubbed rather than nulled. */
export const ERASED = "[erased]";

/** The identifying strings of an erased customer, as the erasure collected them. */
export interface ErasedIdentity {
  customerId: string;
  emails: string[];
  names: string[];
  phones: string[];
  /** Birth dates, ISO (YYYY-MM-DD). */
  birthDates?: string[];
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

/**
 * A phone number's national significant digits ("+381 64 123 4567", "064 123 4567" →
 * "641234567"): what every way of writing it contains. Null when too short to be one.
 */
export function phoneDigits(phone: string): string | null {
  const parsed = phone.trim().startsWith("+") ? parsePhoneNumberFromString(phone) : undefined;
  const digits = parsed?.nationalNumber ?? phone.replace(/\D/g, "").replace(/^0+/, "");
  return digits.length >= 6 ? digits : null;
}

// Between a phone number's digits, as people write them: spaces, dashes, dots, slashes, brackets.
const PHONE_GAP = "[^\\p{L}\\p{N}]{0,3}";

/** The number however written: +381 64 123 4567, 00381641234567, 064/123-4567, 641234567. */
function phonePattern(digits: string): RegExp {
  const body = digits.split("").join(PHONE_GAP);
  return new RegExp(`(?:(?:\\+|00)\\d{1,3}${PHONE_GAP}|0${PHONE_GAP})?${body}(?!\\p{N})`, "gu");
}

/** The same, for PostgreSQL's regular expressions (finding candidate rows). */
const phonePatternSql = (digits: string) => digits.split("").join("[^[:alnum:]]{0,3}");

/** An ISO date as people write it: 2016-03-14, 14.03.2016, 14/03/2016, 14.3.2016, 3/14/2016 … */
export function dateForms(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [];
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const [mm, dd] = [String(Number(mo)), String(Number(d))];
  return [
    ...new Set([
      `${y}-${mo}-${d}`,
      `${d}.${mo}.${y}`,
      `${dd}.${mm}.${y}`,
      `${d}/${mo}/${y}`,
      `${dd}/${mm}/${y}`,
      `${d}-${mo}-${y}`,
      `${mo}/${d}/${y}`,
      `${mm}/${dd}/${y}`,
      `${y}/${mo}/${d}`,
      `${y}.${mo}.${d}`,
      `${y}${mo}${d}`,
    ]),
  ];
}

/** A name only as a whole word: "Ana" must not eat "Banana". */
const wordPattern = (word: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word.trim())}(?![\\p{L}\\p{N}])`, "giu");

/** Their first and last names on their own, and their addresses' local parts. */
function identityParts(identity: ErasedIdentity): string[] {
  const parts = [
    ...identity.names.flatMap((n) => n.split(/\s+/)),
    ...identity.emails.map((e) => e.split("@")[0] ?? ""),
  ];
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p.length >= MIN_NAME_LENGTH))];
}

/**
 * What identifies them in free text: their addresses, phone numbers however written, birth
 * dates however written and full names anywhere; with `parts`, in text about them, their first
 * and last names and addresses' local parts on their own too (elsewhere "Ana" alone is not
 * them).
 */
export function identityPatterns(
  identity: ErasedIdentity,
  opts: { parts?: boolean } = {},
): RegExp[] {
  const exact = [
    ...identity.emails,
    ...identity.phones,
    ...(identity.birthDates ?? []).flatMap(dateForms),
  ].filter((s) => s.length > 0);
  const patterns = exact.map((s) => new RegExp(escapeRegExp(s), "giu"));
  for (const digits of identity.phones.map(phoneDigits)) {
    if (digits) patterns.push(phonePattern(digits));
  }
  const names = identity.names.filter((s) => s.trim().length >= MIN_NAME_LENGTH);
  for (const n of names) patterns.push(wordPattern(n));
  if (opts.parts) for (const part of identityParts(identity)) patterns.push(wordPattern(part));
  return patterns;
}

/** Whether any pattern occurs in the text. */
export function mentions(text: string, patterns: RegExp[]): boolean {
  return patterns.some((p) => {
    p.lastIndex = 0;
    return p.test(text);
  });
}

export function scrubString(s: string, patterns: RegExp[]): string {
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
    ...(identity.birthDates ?? []).flatMap(dateForms),
    ...identity.names.filter((n) => n.trim().length >= MIN_NAME_LENGTH),
  ].filter((s) => s.length > 0);
  const likes = needles.map((s) => `%${escapeLike(jsonInner(s.trim()))}%`);
  const phoneRegexes = identity.phones
    .map(phoneDigits)
    .filter((d): d is string => d !== null)
    .map(phonePatternSql);
  const about = sql`((entity_type = 'customer' and entity_id = ${id})
    or (actor_type = 'CUSTOMER' and actor_id = ${id})
    or details::text like ${`%${id}%`})`;
  const contains = sql`(${
    likes.length > 0
      ? sql`details::text ilike any (array[${sql.join(
          likes.map((l) => sql`${l}::text`),
          sql`, `,
        )}])`
      : sql`false`
  } or ${
    phoneRegexes.length > 0
      ? sql`details::text ~ any (array[${sql.join(
          phoneRegexes.map((r) => sql`${r}::text`),
          sql`, `,
        )}])`
      : sql`false`
  })`;
  const rows = await tx.execute<{ id: number; action: string; details: unknown; about: boolean }>(
    sql`select id, action, details, ${about} as about
        from audit_log
        where details is not null and (${about} or ${contains})`,
  );

  const patterns = identityPatterns(identity);
  const aboutPatterns = identityPatterns(identity, { parts: true });
  const changed: { id: number; details: unknown }[] = [];
  for (const row of rows) {
    const scrubbed = scrubAuditDetails(row.details, row.about ? aboutPatterns : patterns, {
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
