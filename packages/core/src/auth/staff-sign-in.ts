import {
  burnPasswordCheck,
  clearDelayedAttempts,
  createSession,
  type StaffRole,
  takeDelayedAttempt,
  verifyPassword,
} from "@xplorium/auth";
import { type DbOrTx, schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import type { RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { answerNoSoonerThan } from "./answer-floor";
import {
  AUTH_LIMITS,
  addressKey,
  enforceRateLimits,
  STAFF_SIGN_IN_DELAY,
  tryAgainIn,
} from "./rate-limits";
import { countFailedSignIn, type SignInAlertConfig } from "./sign-in-alerts";
import { issueSignInChallenge } from "./staff-two-factor";

const { staffUsers } = schema;

const WRONG = "Email or password is incorrect.";

type SignedInStaff = { id: string; email: string; name: string; role: StaffRole };

/**
 * Signed in (`token` of the new session), or, for a member with two-factor sign-in, only past
 * the password: `twoFactor.challenge` is owed a code (completeStaffSignIn) and no session exists.
 */
export type StaffSignInResult =
  | { token: string; staff: SignedInStaff; twoFactor: null }
  | { token: null; staff: null; twoFactor: { challenge: string; expiresAt: Date } };

/**
 * The least time a refused sign-in (wrong password, disabled account, unknown email) takes to
 * answer: an existing member's failure also writes the audit row and, once a day, renders and
 * queues the alert email, and that must not tell by its timing that the email is a member's.
 */
export const STAFF_SIGN_IN_FAILURE_ANSWER_MS = 400;

/**
 * Email and password. Per client IP a fixed limit (AUTH_LIMITS.staffSignInPerIp); per email,
 * a member's or not, a progressive delay instead of a lockout (STAFF_SIGN_IN_DELAY): 429 with
 * Retry-After while it runs, the same for every email. Wrong passwords for an active member
 * count towards the sign-in alert email (sign-in-alerts.ts); a right password clears the delay.
 */
export async function signInStaff(
  db: DbOrTx,
  config: SignInAlertConfig,
  input: { email: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<StaffSignInResult> {
  await enforceRateLimits(
    db,
    [{ key: `staff-sign-in:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.staffSignInPerIp }],
    now,
  );
  const delayKey = addressKey("staff-sign-in-delay", input.email);
  const attempt = await takeDelayedAttempt(db, delayKey, STAFF_SIGN_IN_DELAY, now);
  if (!attempt.allowed) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many attempts. ${tryAgainIn(attempt.retryAfterSeconds)}`,
      {
        retryAfterSeconds: attempt.retryAfterSeconds,
      },
    );
  }
  const started = performance.now();
  const [staff] = await db
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.email, input.email))
    .limit(1);
  if (!staff) {
    await burnPasswordCheck(input.password);
    await answerNoSoonerThan(started, STAFF_SIGN_IN_FAILURE_ANSWER_MS);
    throw new AppError("UNAUTHORIZED", WRONG);
  }
  const valid = await verifyPassword(staff.passwordHash, input.password);
  if (!valid || staff.disabledAt) {
    await db.transaction(async (tx) => {
      await recordAudit(tx, { type: "staff", id: staff.id, role: staff.role }, meta, {
        action: "auth.staff.sign_in_failed",
        entityType: "staff_user",
        entityId: staff.id,
        details: { reason: valid ? "disabled" : "wrong_password" },
      });
      if (!valid && !staff.disabledAt) {
        const account = { id: staff.id, email: staff.email, name: staff.name };
        await countFailedSignIn(tx, config, { kind: "staff", ...account }, now);
      }
    });
    await answerNoSoonerThan(started, STAFF_SIGN_IN_FAILURE_ANSWER_MS);
    throw new AppError("UNAUTHORIZED", WRONG);
  }
  // The password was right: the delay starts from nothing again (two-factor or not).
  await clearDelayedAttempts(db, delayKey);
  if (staff.totpEnabledAt) {
    const twoFactor = await issueSignInChallenge(db, staff.id, now);
    await recordAudit(db, { type: "staff", id: staff.id, role: staff.role }, meta, {
      action: "auth.staff.sign_in_code_requested",
      entityType: "staff_user",
      entityId: staff.id,
    });
    return { token: null, staff: null, twoFactor };
  }
  const session = await createSession(db, { kind: "STAFF", staffUserId: staff.id }, meta, now);
  await db.update(staffUsers).set({ lastSignInAt: now }).where(eq(staffUsers.id, staff.id));
  await recordAudit(db, { type: "staff", id: staff.id, role: staff.role }, meta, {
    action: "auth.staff.sign_in",
    entityType: "staff_user",
    entityId: staff.id,
  });
  return {
    token: session.token,
    staff: { id: staff.id, email: staff.email, name: staff.name, role: staff.role },
    twoFactor: null,
  };
}
