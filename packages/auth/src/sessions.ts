import { type DbOrTx, schema } from "@xplorium/db";
import { and, eq, lt, ne, or } from "drizzle-orm";
import { constantTimeEqual, generateSecureRandomString, sha256 } from "./crypto";
import type { StaffRole } from "./permissions";
import { twoFactorRequiredSql } from "./two-factor";

const { sessions, staffUsers, customers, staffSignInChallenges } = schema;

export type SessionKind = "STAFF" | "CUSTOMER";

/** Sessions end after this long without use (DESIGN.md "Auth"). */
export const INACTIVITY_TIMEOUT_SECONDS: Record<SessionKind, number> = {
  STAFF: 60 * 60 * 12,
  CUSTOMER: 60 * 60 * 24 * 30,
};
/** last_verified_at is written at most this often, so a busy page costs no write per request. */
export const ACTIVITY_CHECK_INTERVAL_SECONDS = 60 * 60;
/**
 * However busy, a session ends this many days after it was created (sign-in), so a copied
 * cookie is not good forever. Defaults; the apps pass STAFF_SESSION_MAX_DAYS and
 * CUSTOMER_SESSION_MAX_DAYS from the environment.
 */
export const MAX_SESSION_AGE_DAYS: Record<SessionKind, number> = { STAFF: 7, CUSTOMER: 30 };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SessionMeta {
  ip?: string | null;
  userAgent?: string | null;
}

export type SessionSubject =
  | { kind: "STAFF"; staffUserId: string }
  | { kind: "CUSTOMER"; customerId: string };

export interface CreatedSession {
  id: string;
  token: string;
  kind: SessionKind;
  lastVerifiedAt: Date;
}

export async function createSession(
  db: DbOrTx,
  subject: SessionSubject,
  meta: SessionMeta = {},
  now = new Date(),
): Promise<CreatedSession> {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  await db.insert(sessions).values({
    id,
    secretHash: sha256(secret),
    kind: subject.kind,
    staffUserId: subject.kind === "STAFF" ? subject.staffUserId : null,
    customerId: subject.kind === "CUSTOMER" ? subject.customerId : null,
    createdAt: now,
    lastVerifiedAt: now,
    // A staff session is only created once the password was checked (sign-in, and any step
    // that follows it), so it starts confirmed; owner-level actions ask again once that is old.
    passwordConfirmedAt: subject.kind === "STAFF" ? now : null,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { id, token: `${id}.${secret}`, kind: subject.kind, lastVerifiedAt: now };
}

export interface StaffPrincipal {
  type: "staff";
  sessionId: string;
  staff: { id: string; email: string; name: string; role: StaffRole };
  /** When the password was last entered in this session (sign-in or a confirmation). */
  passwordConfirmedAt: Date | null;
  /**
   * Whether the member has two-factor sign-in, and whether it is required of them (the owner's
   * policy, or an owner once any owner has enrolled). Required but not enabled: the API lets
   * them do nothing but set it up (packages/api/src/two-factor-gate.ts).
   */
  twoFactor: { enabled: boolean; required: boolean };
}
export interface CustomerPrincipal {
  type: "customer";
  sessionId: string;
  customer: { id: string; email: string; name: string | null };
}

export interface ValidatedSession<P> {
  principal: P;
  /** True when the expiry moved and the cookie should be sent again. */
  refreshed: boolean;
}

function splitToken(token: string): [string, string] | null {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  if (parts[0].length > 64 || parts[1].length > 64) return null;
  return [parts[0], parts[1]];
}

/** The columns of a session that validation reads. */
const sessionColumns = {
  id: sessions.id,
  kind: sessions.kind,
  secretHash: sessions.secretHash,
  createdAt: sessions.createdAt,
  lastVerifiedAt: sessions.lastVerifiedAt,
};

/**
 * Checks a session row already read (with its subject, in the same statement): the kind, the
 * secret's SHA-256 in constant time, the inactivity timeout and the absolute lifetime counted
 * from creation (`maxAgeDays`; an expired row is deleted), and
 * writes last_verified_at only once ACTIVITY_CHECK_INTERVAL_SECONDS has passed since the last
 * write, so a busy session costs one read per request and a write at most once an interval.
 */
async function checkSession(
  db: DbOrTx,
  row:
    | {
        id: string;
        kind: SessionKind;
        secretHash: Uint8Array;
        createdAt: Date;
        lastVerifiedAt: Date;
      }
    | undefined,
  secret: string,
  kind: SessionKind,
  now: Date,
  maxAgeDays: number,
): Promise<{ refreshed: boolean } | null> {
  // A token of the other kind is treated exactly like an unknown one.
  if (!row || row.kind !== kind) return null;
  if (!constantTimeEqual(sha256(secret), row.secretHash)) return null;
  const idle = now.getTime() - row.lastVerifiedAt.getTime();
  const age = now.getTime() - row.createdAt.getTime();
  if (idle >= INACTIVITY_TIMEOUT_SECONDS[kind] * 1000 || age >= maxAgeDays * DAY_MS) {
    await db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  if (idle >= ACTIVITY_CHECK_INTERVAL_SECONDS * 1000) {
    await db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, row.id));
    return { refreshed: true };
  }
  return { refreshed: false };
}

/**
 * One statement reads the session and its staff member (a request's only query for auth).
 * `maxAgeDays`: the absolute lifetime (STAFF_SESSION_MAX_DAYS).
 */
export async function validateStaffSession(
  db: DbOrTx,
  token: string,
  now = new Date(),
  maxAgeDays = MAX_SESSION_AGE_DAYS.STAFF,
): Promise<ValidatedSession<StaffPrincipal> | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const [id, secret] = parts;
  const [row] = await db
    .select({
      ...sessionColumns,
      passwordConfirmedAt: sessions.passwordConfirmedAt,
      staffId: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      disabledAt: staffUsers.disabledAt,
      totpEnabledAt: staffUsers.totpEnabledAt,
      twoFactorRequired: twoFactorRequiredSql(staffUsers.role),
    })
    .from(sessions)
    .leftJoin(staffUsers, eq(staffUsers.id, sessions.staffUserId))
    .where(eq(sessions.id, id))
    .limit(1);
  const checked = await checkSession(db, row, secret, "STAFF", now, maxAgeDays);
  if (!checked || !row?.staffId || row.disabledAt) return null;
  if (row.email === null || row.name === null || row.role === null) return null;
  return {
    refreshed: checked.refreshed,
    principal: {
      type: "staff",
      sessionId: row.id,
      staff: { id: row.staffId, email: row.email, name: row.name, role: row.role },
      passwordConfirmedAt: row.passwordConfirmedAt,
      twoFactor: { enabled: row.totpEnabledAt !== null, required: row.twoFactorRequired === true },
    },
  };
}

/**
 * One statement reads the session and its customer (a request's only query for auth).
 * `maxAgeDays`: the absolute lifetime (CUSTOMER_SESSION_MAX_DAYS).
 */
export async function validateCustomerSession(
  db: DbOrTx,
  token: string,
  now = new Date(),
  maxAgeDays = MAX_SESSION_AGE_DAYS.CUSTOMER,
): Promise<ValidatedSession<CustomerPrincipal> | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const [id, secret] = parts;
  const [row] = await db
    .select({
      ...sessionColumns,
      customerId: customers.id,
      email: customers.email,
      name: customers.name,
      erasedAt: customers.erasedAt,
    })
    .from(sessions)
    .leftJoin(customers, eq(customers.id, sessions.customerId))
    .where(eq(sessions.id, id))
    .limit(1);
  const checked = await checkSession(db, row, secret, "CUSTOMER", now, maxAgeDays);
  if (!checked || !row?.customerId || !row.email || row.erasedAt) return null;
  return {
    refreshed: checked.refreshed,
    principal: {
      type: "customer",
      sessionId: row.id,
      customer: { id: row.customerId, email: row.email, name: row.name },
    },
  };
}

/** The member just entered their password again in this session (a confirmation). */
export async function markPasswordConfirmed(
  db: DbOrTx,
  sessionId: string,
  now = new Date(),
): Promise<void> {
  await db.update(sessions).set({ passwordConfirmedAt: now }).where(eq(sessions.id, sessionId));
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/**
 * "Sign out everywhere", and what a password, role or disable change does. `exceptSessionId`
 * keeps one session: the one a member used to change their own password. A staff member's
 * half-done sign-ins (the password right, the two-factor step still open) end too: whoever
 * passed the old password must not finish with it after the change.
 */
export async function invalidateAllSessions(
  db: DbOrTx,
  subject: SessionSubject,
  opts: { exceptSessionId?: string } = {},
): Promise<number> {
  if (subject.kind === "STAFF") {
    await db
      .delete(staffSignInChallenges)
      .where(eq(staffSignInChallenges.staffUserId, subject.staffUserId));
  }
  const deleted = await db
    .delete(sessions)
    .where(
      and(
        subject.kind === "STAFF"
          ? eq(sessions.staffUserId, subject.staffUserId)
          : eq(sessions.customerId, subject.customerId),
        opts.exceptSessionId ? ne(sessions.id, opts.exceptSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return deleted.length;
}

/**
 * Removes sessions past their inactivity timeout or their absolute lifetime (worker job;
 * `maxAgeDays` from STAFF_SESSION_MAX_DAYS / CUSTOMER_SESSION_MAX_DAYS). The same limits as
 * validation, which refuses such a session at once: this only clears the rows away.
 */
export async function purgeExpiredSessions(
  db: DbOrTx,
  now = new Date(),
  maxAgeDays: Record<SessionKind, number> = MAX_SESSION_AGE_DAYS,
): Promise<number> {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const expired = (kind: SessionKind) =>
    and(
      eq(sessions.kind, kind),
      or(
        lt(sessions.lastVerifiedAt, ago(INACTIVITY_TIMEOUT_SECONDS[kind] * 1000)),
        lt(sessions.createdAt, ago(maxAgeDays[kind] * DAY_MS)),
      ),
    );
  const deleted = await db
    .delete(sessions)
    .where(or(expired("STAFF"), expired("CUSTOMER")))
    .returning({ id: sessions.id });
  return deleted.length;
}

export function sessionCount(db: DbOrTx, subject: SessionSubject) {
  return db.$count(
    sessions,
    subject.kind === "STAFF"
      ? eq(sessions.staffUserId, subject.staffUserId)
      : eq(sessions.customerId, subject.customerId),
  );
}
