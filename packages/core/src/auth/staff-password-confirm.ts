import {
  markPasswordConfirmed,
  type RateLimitRule,
  type StaffPrincipal,
  verifyPassword,
} from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { AUTH_LIMITS, enforceRateLimits } from "./rate-limits";

const { staffUsers } = schema;

export const WRONG_CONFIRM_PASSWORD = "That password is not right.";

/**
 * Password confirmations per member (any of their sessions, right or wrong), on top of the
 * sign-in limit per client IP. A stolen session may guess at most 30 passwords a day this way,
 * fewer than the sign-in form's progressive delay allows; a member who used them up (or whose
 * stolen session did) still gets owner-level actions by signing in again: a new session starts
 * confirmed.
 */
export const PASSWORD_CONFIRM_LIMITS = {
  perStaff: { limit: 10, windowSeconds: 15 * 60 },
  perStaffDaily: { limit: 30, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, RateLimitRule>;

/**
 * A signed-in staff member enters their password again, before an owner-level action
 * (packages/api/src/reauth.ts): on success the session's password_confirmed_at is now. Limited
 * like sign-in (PASSWORD_CONFIRM_LIMITS, and the sign-in limit per IP); a wrong password is
 * audited. The refusal is the form's field error on `password`, with reason REAUTH_REQUIRED
 * (the confirmation is still owed).
 */
export async function confirmStaffPassword(
  deps: DepsWith<"db" | "meta">,
  input: {
    /** The member's session: the one whose confirmation this is. */
    principal: Pick<StaffPrincipal, "sessionId" | "staff">;
    password: string;
  },
): Promise<{ confirmedAt: Date }> {
  const { db, meta } = deps;
  const now = nowOf(deps);
  const { principal } = input;
  const me = principal.staff;
  const actor: Actor = { type: "staff", id: me.id, role: me.role };
  await enforceRateLimits(
    db,
    [
      { key: `staff-password-confirm:${me.id}`, rule: PASSWORD_CONFIRM_LIMITS.perStaff },
      { key: `staff-password-confirm-day:${me.id}`, rule: PASSWORD_CONFIRM_LIMITS.perStaffDaily },
      { key: `staff-sign-in:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.staffSignInPerIp },
    ],
    now,
  );
  const [row] = await db
    .select({ passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(staffUsers.id, me.id))
    .limit(1);
  if (!row || !(await verifyPassword(row.passwordHash, input.password))) {
    await recordAudit(db, actor, meta, {
      action: "auth.staff.password_confirm_failed",
      entityType: "staff_user",
      entityId: me.id,
      details: { reason: "wrong_password" },
    });
    throw new AppError("BAD_REQUEST", WRONG_CONFIRM_PASSWORD, {
      fieldErrors: { password: [WRONG_CONFIRM_PASSWORD] },
      reason: "REAUTH_REQUIRED",
    });
  }
  await db.transaction(async (tx) => {
    await markPasswordConfirmed(tx, principal.sessionId, now);
    await recordAudit(tx, actor, meta, {
      action: "auth.staff.password_confirmed",
      entityType: "staff_user",
      entityId: me.id,
    });
  });
  return { confirmedAt: now };
}
