import {
  hashPassword,
  invalidateAllSessions,
  passwordProblem,
  type StaffPrincipal,
  verifyPassword,
} from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { and, eq, isNull } from "drizzle-orm";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { countFailedSignIn, type SignInAlertConfig } from "./sign-in-alerts";
import { clearStaffPasswordAttempt, takeStaffPasswordAttempt } from "./staff-password-attempts";

const { staffUsers, sessions, staffPasswordResets } = schema;

export const WRONG_CURRENT_PASSWORD = "Your current password is not right.";
export const SAME_PASSWORD = "Choose a new password, not the one you use now.";

const fieldError = (field: string, message: string) =>
  new AppError("BAD_REQUEST", message, { fieldErrors: { [field]: [message] } });

/** The new password's problem under the policy (password.ts), as the form's field error. */
export function checkNewPassword(password: string, field = "newPassword"): void {
  const problem = passwordProblem(password);
  if (problem) throw fieldError(field, problem);
}

/**
 * A staff member changes their own password (any role): the current one is required, the new
 * one must pass the policy. Every other session of theirs ends; the one they did it from stays
 * (and counts as having just entered the password), and any reset link still open stops
 * working. The current password is checked exactly as the sign-in form checks it (the same
 * per-IP limit, the same delays per address and IP and per account, takeStaffPasswordAttempt;
 * the same alert email to the member
 * after repeated failures), so a stolen session cannot guess the password any faster than the
 * sign-in form allows.
 */
export async function changeOwnPassword(
  deps: DepsWith<"db" | "meta" | "config", SignInAlertConfig>,
  input: {
    /** The member's session: the one that stays. */
    principal: Pick<StaffPrincipal, "sessionId" | "staff">;
    currentPassword: string;
    newPassword: string;
  },
): Promise<{ sessionsEnded: number }> {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  const { principal } = input;
  const me = principal.staff;
  const actor: Actor = { type: "staff", id: me.id, role: me.role };
  // The new password first: refusing a weak one needs no secret, so it costs no attempt.
  if (input.newPassword === input.currentPassword) throw fieldError("newPassword", SAME_PASSWORD);
  checkNewPassword(input.newPassword);
  const attempt = await takeStaffPasswordAttempt(db, me.email, meta, now);
  const [row] = await db
    .select({ passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(staffUsers.id, me.id))
    .limit(1);
  if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await db.transaction(async (tx) => {
      await recordAudit(tx, actor, meta, {
        action: "auth.staff.password_change_failed",
        entityType: "staff_user",
        entityId: me.id,
        details: { reason: "wrong_password" },
      });
      await countFailedSignIn(tx, config, { kind: "staff", ...me }, now);
    });
    throw fieldError("currentPassword", WRONG_CURRENT_PASSWORD);
  }
  await clearStaffPasswordAttempt(db, attempt);
  const passwordHash = await hashPassword(input.newPassword);

  return db.transaction(async (tx) => {
    // Only if the password is still the one just checked: two changes at once cannot both win.
    const [changed] = await tx
      .update(staffUsers)
      .set({ passwordHash, passwordChangedAt: now })
      .where(and(eq(staffUsers.id, me.id), eq(staffUsers.passwordHash, row.passwordHash)))
      .returning({ id: staffUsers.id });
    if (!changed) {
      throw new AppError(
        "CONFLICT",
        "Your password was changed at the same moment elsewhere. Sign in again and retry.",
      );
    }
    const sessionsEnded = await invalidateAllSessions(
      tx,
      { kind: "STAFF", staffUserId: me.id },
      { exceptSessionId: principal.sessionId },
    );
    await tx
      .update(sessions)
      .set({ passwordConfirmedAt: now })
      .where(eq(sessions.id, principal.sessionId));
    await tx
      .update(staffPasswordResets)
      .set({ usedAt: now })
      .where(and(eq(staffPasswordResets.staffUserId, me.id), isNull(staffPasswordResets.usedAt)));
    await recordAudit(tx, actor, meta, {
      action: "auth.staff.password_change",
      entityType: "staff_user",
      entityId: me.id,
      details: { sessionsEnded },
    });
    return { sessionsEnded };
  });
}
