import { type DbOrTx, schema } from "@xplorium/db";
import { and, eq, isNull } from "drizzle-orm";
import { constantTimeEqual, generateSecureRandomString, sha256 } from "./crypto";

const { apiKeys } = schema;

export interface ApiKeyPrincipal {
  type: "apiKey";
  apiKey: { id: string; name: string; scopes: string[] };
}

/** A new key: `xp_<prefix>_<secret>`. Only the prefix and SHA-256(secret) are stored. */
export function generateApiKey(): {
  prefix: string;
  secret: string;
  key: string;
  secretHash: Uint8Array;
} {
  const prefix = generateSecureRandomString(8);
  const secret = generateSecureRandomString(32);
  return { prefix, secret, key: `xp_${prefix}_${secret}`, secretHash: sha256(secret) };
}

export async function validateApiKey(db: DbOrTx, key: string): Promise<ApiKeyPrincipal | null> {
  const match = /^xp_([a-z2-9]{8})_([a-z2-9]{32})$/.exec(key);
  if (!match) return null;
  const [, prefix, secret] = match as unknown as [string, string, string];
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || !constantTimeEqual(sha256(secret), row.secretHash)) return null;
  return { type: "apiKey", apiKey: { id: row.id, name: row.name, scopes: row.scopes } };
}
