import { type DbOrTx, schema } from "@xplorium/db";
import { and, eq, isNull, lte, or } from "drizzle-orm";
import { constantTimeEqual, generateSecureRandomString, sha256 } from "./crypto";

const { apiKeys } = schema;

export interface ApiKeyPrincipal {
  type: "apiKey";
  apiKey: { id: string; name: string; scopes: string[] };
}

/** `last_used_at` is written at most this often, so a busy key costs no write per request. */
export const API_KEY_LAST_USED_INTERVAL_SECONDS = 60;

const API_KEY_FORMAT = /^xp_([a-z2-9]{8})_([a-z2-9]{32})$/;

/** Whether `key` has the shape of an API key (`xp_<prefix>_<secret>`); says nothing of its validity. */
export function isApiKeyFormat(key: string): boolean {
  return API_KEY_FORMAT.test(key);
}

/**
 * The credentials of an `Authorization: Bearer …` header (the scheme is case-insensitive), ""
 * for a bare `Bearer`, or null when there is no header or it names another scheme (such as a
 * proxy's Basic login in front of the app, which is none of the app's business). A request that
 * presents bearer credentials is an API client's: only the key authenticates it, never a cookie.
 */
export function bearerCredentials(header: string | null | undefined): string | null {
  const match = /^bearer(?:[ \t]+(.*))?$/i.exec(header?.trim() ?? "");
  return match ? (match[1] ?? "").trim() : null;
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

/**
 * The key's principal, or null for a malformed, unknown, altered or revoked key. Revocation is
 * read on every request, so it takes effect at once.
 */
export async function validateApiKey(
  db: DbOrTx,
  key: string,
  now = new Date(),
): Promise<ApiKeyPrincipal | null> {
  const match = API_KEY_FORMAT.exec(key);
  if (!match) return null;
  const [, prefix, secret] = match as unknown as [string, string, string];
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || !constantTimeEqual(sha256(secret), row.secretHash)) return null;
  const stale =
    !row.lastUsedAt ||
    now.getTime() - row.lastUsedAt.getTime() >= API_KEY_LAST_USED_INTERVAL_SECONDS * 1000;
  if (stale) {
    // Conditional, so concurrent requests of one key write it once.
    const cutoff = new Date(now.getTime() - API_KEY_LAST_USED_INTERVAL_SECONDS * 1000);
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.id, row.id),
          or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, cutoff)),
        ),
      );
  }
  return { type: "apiKey", apiKey: { id: row.id, name: row.name, scopes: row.scopes } };
}
