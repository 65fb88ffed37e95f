import { API_KEY_SCOPES, type ApiKeyScope, generateApiKey } from "@xplorium/auth";
import { type Database, schema } from "@xplorium/db";
import { asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";

const { apiKeys, staffUsers } = schema;

export const apiKeyCreateInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, { message: "Name the key after who uses it, e.g. “Booking site”." })
    .max(80, { message: "Keep the name under 80 characters." }),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { message: "Unknown scope." }))
    .min(1, { message: "Choose at least one scope." })
    .transform((s) => [...new Set(s)]),
});
export type ApiKeyCreateInput = z.input<typeof apiKeyCreateInput>;

/** What staff may see of a key: never its secret or hash. */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const summaryColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  createdByName: staffUsers.name,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/** Active keys first, newest first within each group. */
export function listApiKeys({ db }: DepsWith<"db">): Promise<ApiKeySummary[]> {
  return db
    .select(summaryColumns)
    .from(apiKeys)
    .leftJoin(staffUsers, eq(staffUsers.id, apiKeys.createdByStaffId))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt), asc(apiKeys.id));
}

async function summaryById(db: Database, id: string): Promise<ApiKeySummary> {
  const [row] = await db
    .select(summaryColumns)
    .from(apiKeys)
    .leftJoin(staffUsers, eq(staffUsers.id, apiKeys.createdByStaffId))
    .where(eq(apiKeys.id, id))
    .limit(1);
  if (!row) throw notFound("API key");
  return row;
}

/**
 * A new key. The full key (`xp_<prefix>_<secret>`) is returned here and nowhere else: only the
 * prefix and SHA-256 of the secret are stored, and the audit row records neither the secret nor
 * the key.
 */
export async function createApiKey(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: ApiKeyCreateInput,
): Promise<{ apiKey: ApiKeySummary; key: string }> {
  const input = apiKeyCreateInput.parse(raw);
  const scopes: ApiKeyScope[] = input.scopes;
  const created = await db.transaction(async (tx) => {
    // 40 random bits of prefix: a clash is a one-in-a-trillion event, so retrying once is plenty.
    for (let attempt = 0; attempt < 3; attempt++) {
      const generated = generateApiKey();
      const [row] = await tx
        .insert(apiKeys)
        .values({
          name: input.name,
          prefix: generated.prefix,
          secretHash: generated.secretHash,
          scopes,
          createdByStaffId: actor.type === "staff" ? actor.id : null,
        })
        .onConflictDoNothing({ target: apiKeys.prefix })
        .returning({ id: apiKeys.id });
      if (!row) continue;
      await recordAudit(tx, actor, meta, {
        action: "apikey.created",
        entityType: "api_key",
        entityId: row.id,
        details: { name: input.name, prefix: generated.prefix, scopes },
      });
      return { id: row.id, key: generated.key };
    }
    throw new Error("Could not find a free API key prefix.");
  });
  return { apiKey: await summaryById(db, created.id), key: created.key };
}

/** Revokes a key at once (every request re-reads it). Revoking a revoked key changes nothing. */
export async function revokeApiKey(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: { id: string },
): Promise<{ apiKey: ApiKeySummary; changed: boolean }> {
  const changed = await db.transaction(async (tx) => {
    const [current] = await tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.id, input.id))
      .limit(1)
      .for("update");
    if (!current) throw notFound("API key");
    if (current.revokedAt) return false;
    await tx.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, current.id));
    await recordAudit(tx, actor, meta, {
      action: "apikey.revoked",
      entityType: "api_key",
      entityId: current.id,
      details: { name: current.name, prefix: current.prefix },
    });
    return true;
  });
  return { apiKey: await summaryById(db, input.id), changed };
}
