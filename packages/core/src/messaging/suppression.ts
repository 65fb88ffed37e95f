import { type DbOrTx, schema } from "@xplorium/db";
import { eq, inArray } from "drizzle-orm";
import { emailSuppressionHash } from "../privacy/suppression-hash";

const { suppressions } = schema;

export type SuppressionReason = (typeof schema.suppressionReason.enumValues)[number];

/**
 * Why an address gets no mail at all (hard bounce, complaint, erasure, by hand), or null.
 * `suppressions` keeps only the hash of the normalised address (`emailSuppressionHash`).
 */
export async function suppressionOf(
  db: DbOrTx,
  address: string,
): Promise<SuppressionReason | null> {
  const [row] = await db
    .select({ reason: suppressions.reason })
    .from(suppressions)
    .where(eq(suppressions.emailHash, emailSuppressionHash(address)))
    .limit(1);
  return row?.reason ?? null;
}

/** Rows per lookup in `suppressionsOf`, well under PostgreSQL's 65,535 bind parameters. */
const LOOKUP_CHUNK = 1000;

/** `suppressionOf` for many addresses at once: the reason by position, for the suppressed ones. */
export async function suppressionsOf(
  db: DbOrTx,
  addresses: readonly string[],
): Promise<Map<number, SuppressionReason>> {
  const hashes = addresses.map((a) => emailSuppressionHash(a));
  const reasons = new Map<string, SuppressionReason>();
  const distinct = [...new Set(hashes)];
  for (let i = 0; i < distinct.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .select({ hash: suppressions.emailHash, reason: suppressions.reason })
      .from(suppressions)
      .where(inArray(suppressions.emailHash, distinct.slice(i, i + LOOKUP_CHUNK)));
    for (const r of rows) reasons.set(r.hash, r.reason);
  }
  const byPosition = new Map<number, SuppressionReason>();
  hashes.forEach((h, i) => {
    const reason = reasons.get(h);
    if (reason) byPosition.set(i, reason);
  });
  return byPosition;
}

/** The `error` a FAILED row keeps when its address is suppressed. */
export const suppressedError = (reason: SuppressionReason) =>
  `Not sent: the address is suppressed (${reason.toLowerCase().replace("_", " ")})`;
