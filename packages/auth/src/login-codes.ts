import { type DbOrTx, schema } from "@xplorium/db";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import {
  constantTimeEqual,
  generateNumericCode,
  generateSecureRandomString,
  hmacSha256,
  sha256,
} from "./crypto";

const { loginCodes } = schema;

export const LOGIN_CODE_TTL_SECONDS = 10 * 60;
export const LOGIN_CODE_MAX_ATTEMPTS = 5;

export interface IssuedLoginCode {
  id: string;
  /** Six digits, for typing. */
  code: string;
  /** `id.secret`, for the magic link. */
  linkToken: string;
  expiresAt: Date;
}

// A 6-digit code has only 20 bits: it is stored as an HMAC keyed with the server secret and
// the code's id, so a leaked table cannot be brute-forced offline.
function hashCode(secret: string, id: string, code: string): Uint8Array {
  return hmacSha256(secret, `${id}:${code}`);
}

/** Issues a new code; any earlier unused code of that customer stops working. */
export async function issueLoginCode(
  db: DbOrTx,
  customerId: string,
  serverSecret: string,
  now = new Date(),
): Promise<IssuedLoginCode> {
  const id = generateSecureRandomString();
  const code = generateNumericCode(6);
  const linkSecret = generateSecureRandomString(32);
  const expiresAt = new Date(now.getTime() + LOGIN_CODE_TTL_SECONDS * 1000);
  await db
    .update(loginCodes)
    .set({ consumedAt: now })
    .where(and(eq(loginCodes.customerId, customerId), isNull(loginCodes.consumedAt)));
  await db.insert(loginCodes).values({
    id,
    customerId,
    codeHash: hashCode(serverSecret, id, code),
    linkSecretHash: sha256(linkSecret),
    expiresAt,
    createdAt: now,
  });
  return { id, code, linkToken: `${id}.${linkSecret}`, expiresAt };
}

export type LoginCodeResult =
  | { ok: true; customerId: string }
  | { ok: false; reason: "invalid" | "expired" | "used" | "too_many_attempts" };

/**
 * Checks a typed code against the customer's latest code. Runs under a row lock so two
 * concurrent guesses cannot both slip under the attempt limit, and a right code is single use.
 */
export async function verifyLoginCode(
  db: DbOrTx,
  customerId: string,
  code: string,
  serverSecret: string,
  now = new Date(),
): Promise<LoginCodeResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(loginCodes)
      .where(eq(loginCodes.customerId, customerId))
      // The live code first: issuing a code consumes every earlier one, so at most one is live.
      .orderBy(sql`${loginCodes.consumedAt} is null desc`, sql`${loginCodes.createdAt} desc`)
      .limit(1)
      .for("update");
    if (!row) return { ok: false, reason: "invalid" };
    if (row.consumedAt) return { ok: false, reason: "used" };
    if (row.expiresAt <= now) return { ok: false, reason: "expired" };
    if (row.attempts >= LOGIN_CODE_MAX_ATTEMPTS) return { ok: false, reason: "too_many_attempts" };
    const matches =
      /^\d{6}$/.test(code) && constantTimeEqual(hashCode(serverSecret, row.id, code), row.codeHash);
    if (!matches) {
      const attempts = row.attempts + 1;
      await tx.update(loginCodes).set({ attempts }).where(eq(loginCodes.id, row.id));
      return {
        ok: false,
        reason: attempts >= LOGIN_CODE_MAX_ATTEMPTS ? "too_many_attempts" : "invalid",
      };
    }
    await tx.update(loginCodes).set({ consumedAt: now }).where(eq(loginCodes.id, row.id));
    return { ok: true, customerId: row.customerId };
  });
}

/** Checks and consumes a magic-link token. */
export async function verifyLoginLink(
  db: DbOrTx,
  token: string,
  now = new Date(),
): Promise<LoginCodeResult> {
  const [id, secret] = token.split(".");
  if (!id || !secret || token.split(".").length !== 2 || id.length > 64 || secret.length > 64) {
    return { ok: false, reason: "invalid" };
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(loginCodes)
      .where(eq(loginCodes.id, id))
      .limit(1)
      .for("update");
    if (!row || !constantTimeEqual(sha256(secret), row.linkSecretHash)) {
      return { ok: false, reason: "invalid" };
    }
    if (row.consumedAt) return { ok: false, reason: "used" };
    if (row.expiresAt <= now) return { ok: false, reason: "expired" };
    await tx.update(loginCodes).set({ consumedAt: now }).where(eq(loginCodes.id, row.id));
    return { ok: true, customerId: row.customerId };
  });
}

/** Deletes codes that can no longer be used (worker job). */
export async function purgeStaleLoginCodes(db: DbOrTx, now = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const deleted = await db
    .delete(loginCodes)
    .where(or(lt(loginCodes.expiresAt, now), lt(loginCodes.createdAt, dayAgo)))
    .returning({ id: loginCodes.id });
  return deleted.length;
}
