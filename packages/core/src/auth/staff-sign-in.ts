import { burnPasswordCheck, createSession, type StaffRole, verifyPassword } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { answerNoSoonerThan } from "./answer-floor";
import { countFailedSignIn, type SignInAlertConfig } from "./sign-in-alerts";
import { clearStaffPasswordAttempt, takeStaffPasswordAttempt } from "./staff-password-attempts";
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
 * Email and password. Per client IP a fixed limit (AUTH_LIMITS.staffSignInPerIp); per email and
 * client IP, a member's email or not, a progressive delay instead of a lockout, and an
 * account-wide one only after failures from many IPs (takeStaffPasswordAttempt): 429 with
 * Retry-After while it runs, the same for every email. Wrong passwords for an active member
 * count towards the sign-in alert email (sign-in-alerts.ts); a right password clears the delay
 * of the IP it came from.
 */
export async function signInStaff(
  deps: DepsWith<"db" | "meta" | "config", SignInAlertConfig>,
  input: { email: string; password: string },
): Promise<StaffSignInResult> {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  const attempt = await takeStaffPasswordAttempt(db, input.email, meta, now);
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
  // The password was right: this IP's delay starts from nothing again (two-factor or not).
  await clearStaffPasswordAttempt(db, attempt);
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
