import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { normalizeEmail } from "../customers/identity";

/**
 * `suppressions.email_hash`: lower-case hex SHA-256 of the UTF-8 bytes of the normalised
 * (trimmed, lower-cased) address. Only the hash is kept, so an erased customer's address can
 * still be kept out of imports and sends without storing it (DESIGN.md "Privacy").
 */
export function emailSuppressionHash(email: string): string {
  return createHash("sha256").update(normalizeEmail(email), "utf8").digest("hex");
}

/** The same hash computed in SQL, for set-based checks; `normalisedEmail` must already be normalised. */
export function sqlEmailSuppressionHash(normalisedEmail: SQL): SQL {
  return sql`encode(sha256(convert_to(${normalisedEmail}, 'UTF8')), 'hex')`;
}
