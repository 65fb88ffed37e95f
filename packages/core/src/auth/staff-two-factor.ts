import {
  constantTimeEqual,
  createSession,
  generateRecoveryCode,
  generateSecureRandomString,
  generateTotpSecret,
  invalidateAllSessions,
  matchTotp,
  normalizeRecoveryCode,
  openSecret,
  type RateLimitRule,
  RECOVERY_CODE_COUNT,
  recoveryCodeHash,
  type StaffRole,
  sealSecret,
  sha256,
  TOTP_PERIOD_SECONDS,
  TOTP_WINDOW_STEPS,
  totpUri,
  twoFactorRequiredSql,
  verifyPassword,
} from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { type DbOrTx, schema } from "@xplorium/db";
import { and, count, eq, isNull, lt, sql } from "drizzle-orm";
import type { Actor, RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError, notFound } from "../errors";
import { enforceRateLimits } from "./rate-limits";
import { countFailedSignIn, type SignInAlertConfig } from "./sign-in-alerts";

const {
  rateLimitBuckets,
  securitySettings,
  staffRecoveryCodes,
  staffSignInChallenges,
  staffUsers,
} = schema;

/** Only SESSION_SECRET: the TOTP secrets are sealed with a key derived from it. */
export type TwoFactorConfig = Pick<Env, "SESSION_SECRET">;

type StaffActor = Extract<Actor, { type: "staff" }>;

/** The deps of a member acting on two-factor sign-in (their own, or the owner's rule and resets). */
type StaffDeps<K extends "config" = never> = DepsWith<"db" | "meta" | K, TwoFactorConfig> & {
  actor: StaffActor;
};

/** The second step of a sign-in must follow the password within this long. */
export const SIGN_IN_CHALLENGE_TTL_SECONDS = 5 * 60;
/** Codes one sign-in may try before the password is asked for again. */
export const SIGN_IN_CHALLENGE_MAX_ATTEMPTS = 5;

/**
 * Every check of a staff member's TOTP or recovery code counts here (sign-in, enrolment,
 * regenerating codes, turning two-factor off), as the password checks do (staff-password-
 * attempts.ts): per account and client IP, so one client spending the account's checks does not
 * stop the member from their own IP, under a daily ceiling per account across all IPs that
 * keeps a guesser who has the password near 50 × 3 / 10⁶ a day (three codes are valid at any
 * moment) and takes three IPs to reach; and per client IP. Only someone with the password (or a
 * session) gets this far. A refused check counts nowhere (enforceRateLimits).
 */
export const TWO_FACTOR_LIMITS = {
  codeCheckPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  codeCheckPerAccountDaily: { limit: 20, windowSeconds: 24 * 60 * 60 },
  codeCheckPerAccountAllIps: { limit: 50, windowSeconds: 24 * 60 * 60 },
  codeCheckPerIp: { limit: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;

const WRONG_CODE = "That code is not right. Enter the current code from your authenticator app.";
const WRONG_SIGN_IN_CODE =
  "That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.";
const CHALLENGE_GONE = "This sign-in has expired. Enter your email and password again.";

const sealing = (config: TwoFactorConfig, staffId: string) => ({
  rootSecret: config.SESSION_SECRET,
  purpose: "staff-totp-secret",
  binding: staffId,
});

function codeError(message: string, code: "BAD_REQUEST" | "UNAUTHORIZED" = "BAD_REQUEST") {
  return new AppError(code, message, { fieldErrors: { code: [message] } });
}

async function limitCodeChecks(db: DbOrTx, staffId: string, meta: RequestMeta, now: Date) {
  const ip = meta.ip ?? "unknown";
  await enforceRateLimits(
    db,
    [
      { key: `staff-2fa:staff:${staffId}:ip:${ip}`, rule: TWO_FACTOR_LIMITS.codeCheckPerAccount },
      {
        key: `staff-2fa-day:staff:${staffId}:ip:${ip}`,
        rule: TWO_FACTOR_LIMITS.codeCheckPerAccountDaily,
      },
      { key: `staff-2fa-day:staff:${staffId}`, rule: TWO_FACTOR_LIMITS.codeCheckPerAccountAllIps },
      { key: `staff-2fa:ip:${meta.ip ?? "unknown"}`, rule: TWO_FACTOR_LIMITS.codeCheckPerIp },
    ],
    now,
  );
}

/**
 * Records `step` as the latest TOTP step this member has used, unless it (or a later one) was
 * used already: false means a replay. One upsert on rate_limit_buckets (key per member, the
 * step in `count`), so two requests racing with the same code cannot both win. The row may be
 * purged once the step has left the acceptance window; no older code matches by then anyway.
 */
async function claimTotpStep(db: DbOrTx, staffId: string, step: number): Promise<boolean> {
  const resetAt = new Date((step + TOTP_WINDOW_STEPS + 1) * TOTP_PERIOD_SECONDS * 1000);
  const claimed = await db
    .insert(rateLimitBuckets)
    .values({ key: `staff-totp-step:${staffId}`, count: step, resetAt })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: { count: sql`excluded.count`, resetAt: sql`excluded.reset_at` },
      setWhere: sql`${rateLimitBuckets.count} < excluded.count`,
    })
    .returning({ key: rateLimitBuckets.key });
  return claimed.length === 1;
}

/** Whether `code` is this member's current TOTP code, used for the first time. */
async function acceptTotp(
  db: DbOrTx,
  staffId: string,
  secret: string,
  code: string,
  now: Date,
): Promise<boolean> {
  const step = matchTotp(secret, code.trim(), now);
  return step !== null && (await claimTotpStep(db, staffId, step));
}

async function replaceRecoveryCodes(tx: DbOrTx, staffId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffUserId, staffId));
  await tx
    .insert(staffRecoveryCodes)
    .values(codes.map((code) => ({ staffUserId: staffId, codeHash: recoveryCodeHash(code) })));
  return codes;
}

async function staffRow(db: DbOrTx, staffId: string) {
  const [row] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      role: staffUsers.role,
      passwordHash: staffUsers.passwordHash,
      disabledAt: staffUsers.disabledAt,
      totpSecret: staffUsers.totpSecret,
      totpPendingSecret: staffUsers.totpPendingSecret,
      totpEnabledAt: staffUsers.totpEnabledAt,
      required: twoFactorRequiredSql(staffUsers.role),
    })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId))
    .limit(1);
  if (!row || row.disabledAt) throw notFound("Staff member");
  return row;
}

/**
 * On, with a secret this server can open. A secret sealed under another SESSION_SECRET (the
 * secret was rotated) cannot be: the member signs in with a recovery code and sets it up again.
 */
function usable(config: TwoFactorConfig, staff: Awaited<ReturnType<typeof staffRow>>): boolean {
  return (
    staff.totpEnabledAt !== null &&
    staff.totpSecret !== null &&
    openSecret(staff.totpSecret, sealing(config, staff.id)) !== null
  );
}

// --- Status and policy -----------------------------------------------------------------------

export interface TwoFactorPolicy {
  /** The owner requires two-factor sign-in of every staff member. */
  requiredForAll: boolean;
  /** At least one active owner has enrolled, so every owner must. */
  requiredForOwners: boolean;
}

export async function twoFactorPolicy(db: DbOrTx): Promise<TwoFactorPolicy> {
  const [row] = await db.execute<{ for_all: boolean | null; for_owners: boolean }>(sql`
    select
      (select ${securitySettings.requireStaffTwoFactor} from ${securitySettings}
        where ${securitySettings.id} = 1) as for_all,
      exists (select 1 from ${staffUsers} where ${staffUsers.role} = 'OWNER'
        and ${staffUsers.totpEnabledAt} is not null and ${staffUsers.disabledAt} is null) as for_owners`);
  return { requiredForAll: row?.for_all === true, requiredForOwners: row?.for_owners === true };
}

/** Why two-factor sign-in is required of a member with this role, or null. */
function requiredBy(policy: TwoFactorPolicy, role: StaffRole): "policy" | "owners" | null {
  if (policy.requiredForAll) return "policy";
  if (role === "OWNER" && policy.requiredForOwners) return "owners";
  return null;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  /** Why it cannot be turned off: the owner's rule for all staff, or the rule for owners. */
  requiredBy: "policy" | "owners" | null;
  recoveryCodesLeft: number;
  /**
   * A setup started but not confirmed: the secret (for typing into the app by hand) and the
   * `otpauth://` URI of the QR code. Only ever shown to the member themselves.
   */
  enrolment: { secret: string; uri: string } | null;
  /** On, but its secret no longer opens here (SESSION_SECRET changed): set it up again. */
  needsSetupAgain: boolean;
}

export async function twoFactorStatus(
  { db, config }: DepsWith<"db" | "config", TwoFactorConfig>,
  { staffId }: { staffId: string },
): Promise<TwoFactorStatus> {
  const staff = await staffRow(db, staffId);
  const policy = await twoFactorPolicy(db);
  const [left] = await db
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.staffUserId, staffId), isNull(staffRecoveryCodes.usedAt)));
  const enabled = usable(config, staff);
  const pending =
    !enabled && staff.totpPendingSecret
      ? openSecret(staff.totpPendingSecret, sealing(config, staffId))
      : null;
  return {
    enabled,
    enabledAt: enabled ? staff.totpEnabledAt : null,
    needsSetupAgain: staff.totpEnabledAt !== null && !enabled,
    requiredBy: requiredBy(policy, staff.role),
    recoveryCodesLeft: staff.totpEnabledAt ? (left?.n ?? 0) : 0,
    enrolment: pending ? { secret: pending, uri: totpUri(pending, staff.email) } : null,
  };
}

// --- Enrolment -------------------------------------------------------------------------------

/**
 * Starts (or restarts) setting up an authenticator app: a new secret, kept sealed as the
 * pending secret until the member proves their app has it with a first code.
 */
export async function startTwoFactorEnrolment({
  db,
  config,
  actor,
  meta,
}: StaffDeps<"config">): Promise<{ secret: string; uri: string }> {
  const staff = await staffRow(db, actor.id);
  if (usable(config, staff)) {
    throw new AppError(
      "CONFLICT",
      "Two-factor sign-in is already on. Turn it off first to move it to another app.",
    );
  }
  const secret = generateTotpSecret();
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(staffUsers)
      .set({ totpPendingSecret: sealSecret(secret, sealing(config, actor.id)) })
      .where(eq(staffUsers.id, actor.id))
      .returning({ id: staffUsers.id });
    if (!updated) throw notFound("Staff member");
    await recordAudit(tx, actor, meta, {
      action: "staff.two_factor.setup_started",
      entityType: "staff_user",
      entityId: actor.id,
    });
  });
  return { secret, uri: totpUri(secret, staff.email) };
}

/**
 * Turns two-factor sign-in on once the first code from the app is right: the pending secret
 * becomes the secret, ten new recovery codes are made (returned in plain this once, stored as
 * SHA-256), and every other session of the member ends (whoever used the password alone before
 * is signed out). The session it was done from stays (`sessionId`).
 */
export async function confirmTwoFactorEnrolment(
  deps: StaffDeps<"config">,
  input: { code: string; sessionId: string },
): Promise<{ recoveryCodes: string[] }> {
  const { db, config, actor, meta } = deps;
  const now = nowOf(deps);
  const staff = await staffRow(db, actor.id);
  if (usable(config, staff)) throw new AppError("CONFLICT", "Two-factor sign-in is already on.");
  const sealed = staff.totpPendingSecret;
  const secret = sealed ? openSecret(sealed, sealing(config, actor.id)) : null;
  if (!sealed || !secret) {
    throw new AppError(
      "PRECONDITION_FAILED",
      "Start the setup first: press “Set up two-factor sign-in”.",
    );
  }
  await limitCodeChecks(db, actor.id, meta, now);
  if (!(await acceptTotp(db, actor.id, secret, input.code, now))) {
    await recordAudit(db, actor, meta, {
      action: "staff.two_factor.setup_code_wrong",
      entityType: "staff_user",
      entityId: actor.id,
    });
    throw codeError(
      `${WRONG_CODE} If it keeps failing, check that your phone's clock is set automatically.`,
    );
  }
  return db.transaction(async (tx) => {
    const [enabled] = await tx
      .update(staffUsers)
      .set({ totpSecret: sealed, totpPendingSecret: null, totpEnabledAt: now })
      .where(
        // The pending secret this code was checked against, not one a parallel restart made.
        and(eq(staffUsers.id, actor.id), eq(staffUsers.totpPendingSecret, sealed)),
      )
      .returning({ id: staffUsers.id });
    if (!enabled) throw new AppError("CONFLICT", "The setup changed meanwhile. Start again.");
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.id);
    const sessionsEnded = await invalidateAllSessions(
      tx,
      { kind: "STAFF", staffUserId: actor.id },
      { exceptSessionId: input.sessionId },
    );
    await recordAudit(tx, actor, meta, {
      action: "staff.two_factor.enabled",
      entityType: "staff_user",
      entityId: actor.id,
      details: { recoveryCodes: recoveryCodes.length, sessionsEnded },
    });
    return { recoveryCodes };
  });
}

/** Ten new recovery codes (the old ones stop working); the current TOTP code is required. */
export async function regenerateRecoveryCodes(
  deps: StaffDeps<"config">,
  input: { code: string },
): Promise<{ recoveryCodes: string[] }> {
  const { db, config, actor, meta } = deps;
  const now = nowOf(deps);
  const staff = await staffRow(db, actor.id);
  const secret =
    staff.totpEnabledAt && staff.totpSecret
      ? openSecret(staff.totpSecret, sealing(config, actor.id))
      : null;
  if (!secret) throw new AppError("PRECONDITION_FAILED", "Two-factor sign-in is not on.");
  await limitCodeChecks(db, actor.id, meta, now);
  if (!(await acceptTotp(db, actor.id, secret, input.code, now))) throw codeError(WRONG_CODE);
  return db.transaction(async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, actor.id);
    await recordAudit(tx, actor, meta, {
      action: "staff.two_factor.recovery_codes_regenerated",
      entityType: "staff_user",
      entityId: actor.id,
      details: { recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes };
  });
}

/** Clears every two-factor trace of a member (secret, pending setup, codes, open sign-ins). */
async function clearTwoFactor(tx: DbOrTx, staffId: string) {
  await tx
    .update(staffUsers)
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null })
    .where(eq(staffUsers.id, staffId));
  await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffUserId, staffId));
  await tx.delete(staffSignInChallenges).where(eq(staffSignInChallenges.staffUserId, staffId));
}

/**
 * Turns the member's own two-factor sign-in off, proven with their password or a current code.
 * Refused while it is required of them (the owner's rule for all staff, or the rule for owners).
 */
export async function disableTwoFactor(
  deps: StaffDeps<"config">,
  input: { password?: string | undefined; code?: string | undefined },
): Promise<{ disabled: true }> {
  const { db, config, actor, meta } = deps;
  const now = nowOf(deps);
  const staff = await staffRow(db, actor.id);
  if (!staff.totpEnabledAt) {
    throw new AppError("PRECONDITION_FAILED", "Two-factor sign-in is not on.");
  }
  if (staff.required) {
    throw new AppError(
      "FORBIDDEN",
      staff.role === "OWNER" && !(await twoFactorPolicy(db)).requiredForAll
        ? "Owners must keep two-factor sign-in once any owner uses it, so it cannot be turned off."
        : "Two-factor sign-in is required for all staff here, so it cannot be turned off.",
    );
  }
  const code = input.code?.trim() ?? "";
  const password = input.password ?? "";
  if (!code && !password) {
    throw new AppError("BAD_REQUEST", "Enter your password or a current code to turn it off.", {
      fieldErrors: { password: ["Enter your password or a current code."] },
    });
  }
  await limitCodeChecks(db, actor.id, meta, now);
  let provenWith: "code" | "password";
  if (code) {
    const secret = staff.totpSecret
      ? openSecret(staff.totpSecret, sealing(config, actor.id))
      : null;
    if (!secret || !(await acceptTotp(db, actor.id, secret, code, now)))
      throw codeError(WRONG_CODE);
    provenWith = "code";
  } else {
    if (!(await verifyPassword(staff.passwordHash, password))) {
      throw new AppError("BAD_REQUEST", "That password is not right.", {
        fieldErrors: { password: ["That password is not right."] },
      });
    }
    provenWith = "password";
  }
  await db.transaction(async (tx) => {
    await clearTwoFactor(tx, actor.id);
    await recordAudit(tx, actor, meta, {
      action: "staff.two_factor.disabled",
      entityType: "staff_user",
      entityId: actor.id,
      details: { provenWith },
    });
  });
  return { disabled: true };
}

/**
 * An owner clears another member's two-factor sign-in (a lost phone and lost recovery codes):
 * their sessions end, and they set it up again at their next sign-in if it is required of them.
 */
export async function resetStaffTwoFactor(
  { db, actor, meta }: StaffDeps,
  input: { staffId: string },
): Promise<{ reset: boolean }> {
  if (input.staffId === actor.id) {
    throw new AppError(
      "PRECONDITION_FAILED",
      "Change your own two-factor sign-in on your account page.",
    );
  }
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: staffUsers.id, enabledAt: staffUsers.totpEnabledAt })
      .from(staffUsers)
      .where(eq(staffUsers.id, input.staffId))
      .for("update");
    if (!target) throw notFound("Staff member");
    await clearTwoFactor(tx, target.id);
    const sessionsEnded = await invalidateAllSessions(tx, {
      kind: "STAFF",
      staffUserId: target.id,
    });
    await recordAudit(tx, actor, meta, {
      action: "staff.two_factor.reset",
      entityType: "staff_user",
      entityId: target.id,
      details: { wasEnabled: target.enabledAt !== null, sessionsEnded },
    });
    return { reset: target.enabledAt !== null };
  });
}

// --- The owner's rule ------------------------------------------------------------------------

export interface SecuritySettingsView extends TwoFactorPolicy {
  updatedAt: Date | null;
  updatedByName: string | null;
  /** Active staff without two-factor sign-in (who would have to set it up). */
  staffWithoutTwoFactor: number;
}

export async function securitySettingsView({ db }: DepsWith<"db">): Promise<SecuritySettingsView> {
  const policy = await twoFactorPolicy(db);
  const [row] = await db
    .select({ updatedAt: securitySettings.updatedAt, updatedByName: staffUsers.name })
    .from(securitySettings)
    .leftJoin(staffUsers, eq(staffUsers.id, securitySettings.updatedByStaffId))
    .where(eq(securitySettings.id, 1));
  const [without] = await db
    .select({ n: count() })
    .from(staffUsers)
    .where(and(isNull(staffUsers.totpEnabledAt), isNull(staffUsers.disabledAt)));
  return {
    ...policy,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
    staffWithoutTwoFactor: without?.n ?? 0,
  };
}

/**
 * The owner's switch "require two-factor sign-in for all staff". Turning it on asks the owner
 * to have it on themselves first (so the switch never locks its own author into setup);
 * members without it then set it up before anything else. Turning it off locks no one out:
 * members who use it keep it, the others simply sign in with their password.
 */
export async function setRequireStaffTwoFactor(
  { db, actor, meta }: StaffDeps,
  input: { required: boolean },
): Promise<SecuritySettingsView> {
  if (input.required) {
    const [self] = await db
      .select({ enabledAt: staffUsers.totpEnabledAt })
      .from(staffUsers)
      .where(eq(staffUsers.id, actor.id));
    if (!self?.enabledAt) {
      throw new AppError(
        "PRECONDITION_FAILED",
        "Turn on two-factor sign-in for your own account first, then require it for everyone.",
      );
    }
  }
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ required: securitySettings.requireStaffTwoFactor })
      .from(securitySettings)
      .where(eq(securitySettings.id, 1))
      .for("update");
    await tx
      .insert(securitySettings)
      .values({ id: 1, requireStaffTwoFactor: input.required, updatedByStaffId: actor.id })
      .onConflictDoUpdate({
        target: securitySettings.id,
        set: {
          requireStaffTwoFactor: input.required,
          updatedByStaffId: actor.id,
          updatedAt: sql`now()`,
        },
      });
    await recordAudit(tx, actor, meta, {
      action: "security.settings.update",
      entityType: "security_settings",
      entityId: "1",
      details: { requireStaffTwoFactor: [before?.required ?? false, input.required] },
    });
  });
  return securitySettingsView({ db });
}

// --- Sign-in, second step --------------------------------------------------------------------

/**
 * After the right password of a member with two-factor sign-in: a challenge instead of a
 * session. The token (`id.secret`) goes to the client; only SHA-256 of the secret is stored.
 */
export async function issueSignInChallenge(
  db: DbOrTx,
  staffId: string,
  now = new Date(),
): Promise<{ challenge: string; expiresAt: Date }> {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  const expiresAt = new Date(now.getTime() + SIGN_IN_CHALLENGE_TTL_SECONDS * 1000);
  await db.insert(staffSignInChallenges).values({
    id,
    secretHash: sha256(secret),
    staffUserId: staffId,
    expiresAt,
    createdAt: now,
  });
  return { challenge: `${id}.${secret}`, expiresAt };
}

/** The member's recovery code matching `code`, still unused. */
const unusedRecoveryCode = (staffId: string, code: string) =>
  and(
    eq(staffRecoveryCodes.staffUserId, staffId),
    eq(staffRecoveryCodes.codeHash, recoveryCodeHash(code)),
    isNull(staffRecoveryCodes.usedAt),
  );

function splitChallenge(token: string): [string, string] | null {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  if (parts[0].length > 64 || parts[1].length > 64) return null;
  return [parts[0], parts[1]];
}

/**
 * The second step: the challenge from the password step and a TOTP code (6 digits) or one of the
 * member's recovery codes (single use). Each try counts against the challenge (at most
 * SIGN_IN_CHALLENGE_MAX_ATTEMPTS, then the password is asked again) and the member's code-check
 * limits. Right: the challenge is used up and a session opens.
 */
export async function completeStaffSignIn(
  deps: DepsWith<"db" | "meta" | "config", TwoFactorConfig & SignInAlertConfig>,
  input: { challenge: string; code: string },
) {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  const parts = splitChallenge(input.challenge);
  const [row] = parts
    ? await db
        .select({
          id: staffSignInChallenges.id,
          secretHash: staffSignInChallenges.secretHash,
          expiresAt: staffSignInChallenges.expiresAt,
          staff: {
            id: staffUsers.id,
            email: staffUsers.email,
            name: staffUsers.name,
            role: staffUsers.role,
            disabledAt: staffUsers.disabledAt,
            totpSecret: staffUsers.totpSecret,
            totpEnabledAt: staffUsers.totpEnabledAt,
          },
        })
        .from(staffSignInChallenges)
        .innerJoin(staffUsers, eq(staffUsers.id, staffSignInChallenges.staffUserId))
        .where(eq(staffSignInChallenges.id, parts[0]))
        .limit(1)
    : [];
  if (
    !parts ||
    !row ||
    !constantTimeEqual(sha256(parts[1]), row.secretHash) ||
    row.expiresAt <= now ||
    row.staff.disabledAt ||
    !row.staff.totpEnabledAt ||
    !row.staff.totpSecret
  ) {
    throw new AppError("UNAUTHORIZED", CHALLENGE_GONE);
  }
  const staff = row.staff;
  const actor: StaffActor = { type: "staff", id: staff.id, role: staff.role };
  await limitCodeChecks(db, staff.id, meta, now);
  // Count the try before checking the code, atomically, so parallel guesses share the budget.
  const [counted] = await db
    .update(staffSignInChallenges)
    .set({ attempts: sql`${staffSignInChallenges.attempts} + 1` })
    .where(
      and(
        eq(staffSignInChallenges.id, row.id),
        lt(staffSignInChallenges.attempts, SIGN_IN_CHALLENGE_MAX_ATTEMPTS),
      ),
    )
    .returning({ attempts: staffSignInChallenges.attempts });
  if (!counted) {
    await db.delete(staffSignInChallenges).where(eq(staffSignInChallenges.id, row.id));
    throw new AppError("UNAUTHORIZED", CHALLENGE_GONE);
  }

  const code = input.code.trim();
  let method: "totp" | "recovery_code" | null = null;
  if (/^\d{6}$/.test(code)) {
    const secret = openSecret(staff.totpSecret!, sealing(config, staff.id));
    if (secret && (await acceptTotp(db, staff.id, secret, code, now))) method = "totp";
  } else if (normalizeRecoveryCode(code)) {
    // Only looked up here: it is used up in the transaction that also uses up this sign-in step
    // (below), so a code is never spent on a sign-in that does not happen.
    const [found] = await db
      .select({ id: staffRecoveryCodes.id })
      .from(staffRecoveryCodes)
      .where(unusedRecoveryCode(staff.id, code))
      .limit(1);
    if (found) method = "recovery_code";
  }

  if (!method) {
    const last = counted.attempts >= SIGN_IN_CHALLENGE_MAX_ATTEMPTS;
    if (last) await db.delete(staffSignInChallenges).where(eq(staffSignInChallenges.id, row.id));
    await db.transaction(async (tx) => {
      await recordAudit(tx, actor, meta, {
        action: "auth.staff.sign_in_failed",
        entityType: "staff_user",
        entityId: staff.id,
        details: { reason: "wrong_two_factor_code", attempt: counted.attempts },
      });
      // Someone with the password failing the second step: the holder hears of it (the same
      // alert as wrong passwords, sign-in-alerts.ts).
      const account = {
        kind: "staff" as const,
        id: staff.id,
        email: staff.email,
        name: staff.name,
      };
      await countFailedSignIn(tx, config, account, now);
    });
    if (last) {
      throw new AppError(
        "UNAUTHORIZED",
        "That code is not right, and that was the last try. Enter your email and password again.",
      );
    }
    throw codeError(WRONG_SIGN_IN_CODE, "UNAUTHORIZED");
  }

  return db.transaction(async (tx) => {
    // Used up exactly once, even if two right codes race.
    const [consumed] = await tx
      .delete(staffSignInChallenges)
      .where(eq(staffSignInChallenges.id, row.id))
      .returning({ id: staffSignInChallenges.id });
    if (!consumed) throw new AppError("UNAUTHORIZED", CHALLENGE_GONE);
    if (method === "recovery_code") {
      // Single use, even when two sign-ins race with the same code: the loser's transaction
      // (and its step's deletion) rolls back.
      const [used] = await tx
        .update(staffRecoveryCodes)
        .set({ usedAt: now })
        .where(unusedRecoveryCode(staff.id, code))
        .returning({ id: staffRecoveryCodes.id });
      if (!used) throw codeError(WRONG_SIGN_IN_CODE, "UNAUTHORIZED");
    }
    const session = await createSession(tx, { kind: "STAFF", staffUserId: staff.id }, meta, now);
    await tx.update(staffUsers).set({ lastSignInAt: now }).where(eq(staffUsers.id, staff.id));
    const [left] = await tx
      .select({ n: count() })
      .from(staffRecoveryCodes)
      .where(and(eq(staffRecoveryCodes.staffUserId, staff.id), isNull(staffRecoveryCodes.usedAt)));
    const recoveryCodesLeft = left?.n ?? 0;
    await recordAudit(tx, actor, meta, {
      action: "auth.staff.sign_in",
      entityType: "staff_user",
      entityId: staff.id,
      details: {
        twoFactor: method,
        ...(method === "recovery_code" ? { recoveryCodesLeft } : {}),
      },
    });
    return {
      token: session.token,
      staff: { id: staff.id, email: staff.email, name: staff.name, role: staff.role },
      usedRecoveryCode: method === "recovery_code",
      recoveryCodesLeft,
    };
  });
}

/** Drops sign-in challenges past their expiry (worker job). */
export async function purgeExpiredSignInChallenges(db: DbOrTx, now = new Date()): Promise<number> {
  const deleted = await db
    .delete(staffSignInChallenges)
    .where(lt(staffSignInChallenges.expiresAt, now))
    .returning({ id: staffSignInChallenges.id });
  return deleted.length;
}
