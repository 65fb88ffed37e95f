import { burnPasswordCheck, createSession, type StaffRole, verifyPassword } from "@xplorium/auth";
import { type DbOrTx, schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import type { RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { AUTH_LIMITS, enforceRateLimits } from "./rate-limits";
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

export async function signInStaff(
  db: DbOrTx,
  input: { email: string; password: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<StaffSignInResult> {
  await enforceRateLimits(
    db,
    [
      { key: `staff-sign-in:email:${input.email}`, rule: AUTH_LIMITS.staffSignInPerEmail },
      { key: `staff-sign-in:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.staffSignInPerIp },
    ],
    now,
  );
  const [staff] = await db
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.email, input.email))
    .limit(1);
  if (!staff) {
    await burnPasswordCheck(input.password);
    throw new AppError("UNAUTHORIZED", WRONG);
  }
  const valid = await verifyPassword(staff.passwordHash, input.password);
  if (!valid || staff.disabledAt) {
    await recordAudit(db, { type: "staff", id: staff.id, role: staff.role }, meta, {
      action: "auth.staff.sign_in_failed",
      entityType: "staff_user",
      entityId: staff.id,
      details: { reason: valid ? "disabled" : "wrong_password" },
    });
    throw new AppError("UNAUTHORIZED", WRONG);
  }
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
