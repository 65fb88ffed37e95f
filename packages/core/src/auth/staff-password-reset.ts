import {
  constantTimeEqual,
  generateSecureRandomString,
  hashPassword,
  invalidateAllSessions,
  type RateLimitRule,
  sha256,
} from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { type Database, type DbOrTx, schema } from "@xplorium/db";
import { emailTransportName } from "@xplorium/email";
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Actor, RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { queueEmail } from "../messaging/queue";
import { answerNoSoonerThan } from "./answer-floor";
import { CODE_REQUEST_ANSWER_MS } from "./customer-sign-in";
import { addressIpKey, addressKey, enforceRateLimits } from "./rate-limits";
import { checkNewPassword } from "./staff-password";
import { clearAllStaffPasswordAttempts } from "./staff-password-attempts";

const { staffUsers, staffPasswordResets } = schema;

/** How long an emailed reset link works. */
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60;

/**
 * "Forgot password?" limits. Per address and client IP: a few links in a quarter of an hour (a
 * second try when the first email is slow) and a daily cap; per address across every IP, a
 * looser daily ceiling, so nobody can flood a staff member's inbox, while one client that spends
 * an address's budget cannot keep the member (from their own IP) from a link (ADR 020); per
 * client IP, so one client cannot walk a list of addresses. Checking or using a link is
 * limited per IP (its secret has 160 bits: this only keeps a bot from hammering the table).
 */
export const PASSWORD_RESET_LIMITS = {
  requestPerEmail: { limit: 3, windowSeconds: 15 * 60 },
  requestPerEmailPerDay: { limit: 10, windowSeconds: 24 * 60 * 60 },
  requestPerEmailAllIps: { limit: 30, windowSeconds: 24 * 60 * 60 },
  requestPerIp: { limit: 20, windowSeconds: 15 * 60 },
  linkCheckPerIp: { limit: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

/**
 * The least time a reset request takes to answer, as for a customer's code request (ADR 013):
 * a known address (a link rendered and queued) and an unknown or disabled one (nothing to send)
 * must not tell themselves apart by their timing.
 */
export const PASSWORD_RESET_ANSWER_MS = CODE_REQUEST_ANSWER_MS;

/** The one answer for every link that cannot be used: unknown, wrong, used, expired, disabled. */
export const RESET_LINK_INVALID = "This link has expired or was already used.";

type ResetConfig = Pick<Env, "ADMIN_URL" | "EMAIL_FROM" | "RESEND_API_KEY" | "EMAIL_TRANSPORT">;

/** The path of a reset link (the token is its last segment; the access log redacts it). */
export const PASSWORD_RESET_PATH = "/reset-password";

/**
 * Emails a single-use link to reset the password if the address belongs to an active staff
 * member; answers the same, no sooner than PASSWORD_RESET_ANSWER_MS, for every address (no
 * account enumeration). A new link ends every earlier unused one. Only SHA-256 of the link's
 * secret is stored.
 */
export async function requestStaffPasswordReset(
  deps: DepsWith<"db" | "meta" | "config", ResetConfig>,
  input: { email: string },
): Promise<{ sent: true; expiresInMinutes: number }> {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  const started = performance.now();
  await enforceRateLimits(
    db,
    [
      {
        key: addressIpKey("staff-password-reset:email", input.email, meta.ip ?? null),
        rule: PASSWORD_RESET_LIMITS.requestPerEmail,
      },
      {
        key: addressIpKey("staff-password-reset:email-day", input.email, meta.ip ?? null),
        rule: PASSWORD_RESET_LIMITS.requestPerEmailPerDay,
      },
      {
        key: addressKey("staff-password-reset:email-all-ips", input.email),
        rule: PASSWORD_RESET_LIMITS.requestPerEmailAllIps,
      },
      {
        key: `staff-password-reset:ip:${meta.ip ?? "unknown"}`,
        rule: PASSWORD_RESET_LIMITS.requestPerIp,
      },
    ],
    now,
  );
  await sendLinkOrNothing(db, config, input.email, meta, now);
  await answerNoSoonerThan(started, PASSWORD_RESET_ANSWER_MS);
  return { sent: true, expiresInMinutes: PASSWORD_RESET_TTL_SECONDS / 60 };
}

async function sendLinkOrNothing(
  db: Database,
  config: ResetConfig,
  email: string,
  meta: RequestMeta,
  now: Date,
): Promise<void> {
  const [staff] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      name: staffUsers.name,
      role: staffUsers.role,
      disabledAt: staffUsers.disabledAt,
    })
    .from(staffUsers)
    .where(eq(staffUsers.email, email))
    .limit(1);
  if (!staff) return;
  const actor: Actor = { type: "staff", id: staff.id, role: staff.role };
  if (staff.disabledAt) {
    await recordAudit(db, actor, meta, {
      action: "auth.staff.password_reset_requested",
      entityType: "staff_user",
      entityId: staff.id,
      details: { sent: false, reason: "disabled" },
    });
    return;
  }
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString(32);
  const link = new URL(`${PASSWORD_RESET_PATH}/${id}.${secret}`, config.ADMIN_URL);
  await db.transaction(async (tx) => {
    await tx
      .update(staffPasswordResets)
      .set({ usedAt: now })
      .where(
        and(eq(staffPasswordResets.staffUserId, staff.id), isNull(staffPasswordResets.usedAt)),
      );
    await tx.insert(staffPasswordResets).values({
      id,
      secretHash: sha256(secret),
      staffUserId: staff.id,
      expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_SECONDS * 1000),
      ip: meta.ip,
      createdAt: now,
    });
    await queueEmail(tx, {
      template: "staff-password-reset",
      props: {
        name: staff.name,
        resetLink: link.toString(),
        expiresInMinutes: PASSWORD_RESET_TTL_SECONDS / 60,
      },
      to: staff.email,
      from: config.EMAIL_FROM,
      transport: emailTransportName(config),
    });
    await recordAudit(tx, actor, meta, {
      action: "auth.staff.password_reset_requested",
      entityType: "staff_user",
      entityId: staff.id,
      details: { sent: true },
    });
  });
}

/** `id.secret` from the link, or null when it cannot be one (checked before any query). */
function splitResetToken(token: string): [string, string] | null {
  const match = /^([a-z0-9]{16,64})\.([a-z0-9]{16,64})$/.exec(token);
  return match ? [match[1]!, match[2]!] : null;
}

/** The live reset row of a token with its staff member, or null (every reason alike). */
async function usableReset(db: DbOrTx, token: string, now: Date, opts: { lock?: boolean } = {}) {
  const parts = splitResetToken(token);
  if (!parts) return null;
  const [id, secret] = parts;
  const query = db
    .select({
      id: staffPasswordResets.id,
      secretHash: staffPasswordResets.secretHash,
      expiresAt: staffPasswordResets.expiresAt,
      usedAt: staffPasswordResets.usedAt,
      staffId: staffUsers.id,
      email: staffUsers.email,
      role: staffUsers.role,
      disabledAt: staffUsers.disabledAt,
    })
    .from(staffPasswordResets)
    .innerJoin(staffUsers, eq(staffUsers.id, staffPasswordResets.staffUserId))
    .where(eq(staffPasswordResets.id, id))
    .limit(1);
  const [row] = opts.lock ? await query.for("update", { of: staffPasswordResets }) : await query;
  if (!row || !constantTimeEqual(sha256(secret), row.secretHash)) return null;
  if (row.usedAt || row.expiresAt <= now || row.disabledAt) return null;
  return row;
}

async function limitLinkChecks(db: DbOrTx, meta: RequestMeta, now: Date) {
  await enforceRateLimits(
    db,
    [
      {
        key: `staff-password-reset-link:ip:${meta.ip ?? "unknown"}`,
        rule: PASSWORD_RESET_LIMITS.linkCheckPerIp,
      },
    ],
    now,
  );
}

/**
 * Whether a reset link can still be used, without using it (the page shows the form or says it
 * has expired). The address is returned for the form's hidden username field, so a password
 * manager saves the new password under the right account: whoever holds the link already holds
 * the mailbox.
 */
export async function checkStaffPasswordReset(
  deps: DepsWith<"db" | "meta">,
  input: { token: string },
): Promise<{ valid: true; email: string } | { valid: false }> {
  const { db, meta } = deps;
  const now = nowOf(deps);
  await limitLinkChecks(db, meta, now);
  const row = await usableReset(db, input.token, now);
  return row ? { valid: true, email: row.email } : { valid: false };
}

const linkInvalid = () =>
  new AppError("BAD_REQUEST", RESET_LINK_INVALID, { fieldErrors: { token: [RESET_LINK_INVALID] } });

/**
 * Sets a new password with a reset link: the policy applies, the link is used up (and every
 * other open link of that member with it), and every session of theirs ends, wherever it is.
 * Nobody is signed in: they sign in with the new password next, which is where a second factor
 * is asked for.
 */
export async function resetStaffPassword(
  deps: DepsWith<"db" | "meta">,
  input: { token: string; password: string },
): Promise<{ email: string; sessionsEnded: number }> {
  const { db, meta } = deps;
  const now = nowOf(deps);
  await limitLinkChecks(db, meta, now);
  // A dead link says so before any remark on the password typed.
  if (!(await usableReset(db, input.token, now))) throw linkInvalid();
  checkNewPassword(input.password, "password");
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // Again under a lock: of two submissions of one link, only the first sets a password.
    const reset = await usableReset(tx, input.token, now, { lock: true });
    if (!reset) throw linkInvalid();
    await tx
      .update(staffUsers)
      .set({ passwordHash, passwordChangedAt: now })
      .where(eq(staffUsers.id, reset.staffId));
    await tx
      .update(staffPasswordResets)
      .set({ usedAt: now })
      .where(
        and(eq(staffPasswordResets.staffUserId, reset.staffId), isNull(staffPasswordResets.usedAt)),
      );
    const sessionsEnded = await invalidateAllSessions(tx, {
      kind: "STAFF",
      staffUserId: reset.staffId,
    });
    // Whoever holds the mailbox chose this password: sign-in delays built up by wrong
    // guesses (maybe a stranger's, from any IP) do not keep them out now.
    await clearAllStaffPasswordAttempts(tx, reset.email);
    await recordAudit(tx, { type: "staff", id: reset.staffId, role: reset.role }, meta, {
      action: "auth.staff.password_reset",
      entityType: "staff_user",
      entityId: reset.staffId,
      details: { sessionsEnded },
    });
    return { email: reset.email, sessionsEnded };
  });
}

/** Deletes reset links that can no longer be used (the hourly auth purge). */
export async function purgeStalePasswordResets(db: DbOrTx, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(staffPasswordResets)
    .where(or(lt(staffPasswordResets.expiresAt, now), isNotNull(staffPasswordResets.usedAt)))
    .returning({ id: staffPasswordResets.id });
  return deleted.length;
}
