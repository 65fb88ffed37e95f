import {
  hashPassword,
  invalidateAllSessions,
  passwordProblem,
  type StaffRole,
} from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { AppError, notFound } from "../errors";

const { staffUsers } = schema;

const publicColumns = {
  id: staffUsers.id,
  email: staffUsers.email,
  name: staffUsers.name,
  role: staffUsers.role,
  disabledAt: staffUsers.disabledAt,
  lastSignInAt: staffUsers.lastSignInAt,
  createdAt: staffUsers.createdAt,
  // When two-factor sign-in was turned on (null: off); never the secret.
  twoFactorEnabledAt: staffUsers.totpEnabledAt,
};

export type StaffMember = {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  twoFactorEnabledAt: Date | null;
};

export function listStaff({ db }: DepsWith<"db">): Promise<StaffMember[]> {
  return db.select(publicColumns).from(staffUsers).orderBy(asc(staffUsers.name));
}

function checkPassword(password: string) {
  const problem = passwordProblem(password);
  if (problem) throw new AppError("BAD_REQUEST", problem, { fieldErrors: { password: [problem] } });
}

export async function createStaff(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: { email: string; name: string; role: StaffRole; password: string },
): Promise<StaffMember> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(staffUsers)
      .values({ email: input.email, name: input.name, role: input.role, passwordHash })
      .onConflictDoNothing({ target: staffUsers.email })
      .returning(publicColumns);
    if (!created) {
      throw new AppError("CONFLICT", "A staff member with that email already exists.", {
        fieldErrors: { email: ["A staff member with that email already exists."] },
      });
    }
    await recordAudit(tx, actor, meta, {
      action: "staff.create",
      entityType: "staff_user",
      entityId: created.id,
      details: { email: created.email, role: created.role },
    });
    return created;
  });
}

export interface StaffUpdate {
  id: string;
  name?: string;
  role?: StaffRole;
  disabled?: boolean;
  password?: string;
  /** The session the change is made from: kept when members change only their own password. */
  sessionId?: string;
}

/**
 * Role, password and disable changes end the member's sessions at once. A member who changes
 * their own password (and nothing that ends access) keeps the session they did it from
 * (`input.sessionId`); every other session of theirs ends.
 */
export async function updateStaff(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: StaffUpdate,
): Promise<StaffMember> {
  if (input.password !== undefined) checkPassword(input.password);
  const passwordHash =
    input.password !== undefined ? await hashPassword(input.password) : undefined;
  return db.transaction(async (tx) => {
    // A change that could remove an owner locks every active owner row first, in id order, so
    // concurrent demotions queue behind each other instead of deadlocking (row-then-owners
    // locking let two demotions each hold one owner and wait for the other).
    if ((input.role !== undefined && input.role !== "OWNER") || input.disabled === true) {
      await tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(and(eq(staffUsers.role, "OWNER"), isNull(staffUsers.disabledAt)))
        .orderBy(asc(staffUsers.id))
        .for("update");
    }
    const [current] = await tx
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.id, input.id))
      .limit(1)
      .for("update");
    if (!current) throw notFound("Staff member");

    const losesOwner =
      current.role === "OWNER" &&
      !current.disabledAt &&
      ((input.role !== undefined && input.role !== "OWNER") || input.disabled === true);
    if (losesOwner) {
      // Lock every owner row so two concurrent demotions cannot both pass this check.
      const owners = await tx
        .select({ id: staffUsers.id })
        .from(staffUsers)
        .where(
          and(
            eq(staffUsers.role, "OWNER"),
            isNull(staffUsers.disabledAt),
            ne(staffUsers.id, current.id),
          ),
        )
        .for("update");
      if (owners.length === 0) {
        throw new AppError(
          "PRECONDITION_FAILED",
          "There must always be at least one active owner.",
        );
      }
    }
    if (actor.type === "staff" && actor.id === current.id && input.disabled === true) {
      throw new AppError("PRECONDITION_FAILED", "You cannot disable your own account.");
    }

    const roleChanged = input.role !== undefined && input.role !== current.role;
    const disabledChanged =
      input.disabled !== undefined && input.disabled !== Boolean(current.disabledAt);
    const [updated] = await tx
      .update(staffUsers)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.disabled !== undefined
          ? { disabledAt: input.disabled ? (current.disabledAt ?? sql`now()`) : null }
          : {}),
        ...(passwordHash ? { passwordHash, passwordChangedAt: sql`now()` } : {}),
      })
      .where(eq(staffUsers.id, input.id))
      .returning(publicColumns);
    if (!updated) throw notFound("Staff member");

    let sessionsEnded = 0;
    if (roleChanged || passwordHash || (disabledChanged && input.disabled)) {
      const ownPasswordOnly =
        actor.type === "staff" && actor.id === current.id && !roleChanged && !input.disabled;
      sessionsEnded = await invalidateAllSessions(
        tx,
        { kind: "STAFF", staffUserId: current.id },
        ownPasswordOnly && input.sessionId ? { exceptSessionId: input.sessionId } : {},
      );
    }
    await recordAudit(tx, actor, meta, {
      action: "staff.update",
      entityType: "staff_user",
      entityId: current.id,
      details: {
        ...(input.name !== undefined && input.name !== current.name
          ? { name: [current.name, input.name] }
          : {}),
        ...(roleChanged ? { role: [current.role, input.role] } : {}),
        ...(disabledChanged ? { disabled: input.disabled } : {}),
        ...(passwordHash ? { passwordChanged: true } : {}),
        sessionsEnded,
      },
    });
    return updated;
  });
}
