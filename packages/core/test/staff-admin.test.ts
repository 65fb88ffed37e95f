import { randomBytes } from "node:crypto";
import {
  createSession,
  type StaffRole,
  sessionCount,
  validateStaffSession,
  verifyPassword,
} from "@xplorium/auth";
import { loadEnv } from "@xplorium/config";
import type { Actor, RequestMeta } from "@xplorium/core/actor";
import { signInStaff } from "@xplorium/core/auth";
import { AppError } from "@xplorium/core/errors";
import { createStaff, listStaff, updateStaff } from "@xplorium/core/staff";
import { schema } from "@xplorium/db";
import { and, desc, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./support";

let owner: Actor & { type: "staff" };
const meta: RequestMeta = { ip: "192.0.2.10", userAgent: "vitest", requestId: "req-staff-admin" };
/** The deps of a service call by `actor`. */
const by = (actor: Actor) => ({ db: t.db, actor, meta });
const PASSWORD = "a-perfectly-fine-password";
const env = loadEnv({ NODE_ENV: "test" });

const t = useTestDatabase(async () => {
  const created = await createStaff(
    { db: t.db, actor: { type: "system" }, meta },
    {
      email: "first-owner@example.com",
      name: "First Owner",
      role: "OWNER",
      password: PASSWORD,
    },
  );
  owner = { type: "staff", id: created.id, role: "OWNER" };
});

const email = () => `member-${randomBytes(4).toString("hex")}@example.com`;

async function member(role: StaffRole = "FRONT_DESK", password = PASSWORD) {
  return createStaff(by(owner), { email: email(), name: `A ${role}`, role, password });
}

const sessionsOf = (id: string) => sessionCount(t.db, { kind: "STAFF", staffUserId: id });
const openSessions = async (id: string, n: number) => {
  const out = [];
  for (let i = 0; i < n; i++)
    out.push(await createSession(t.db, { kind: "STAFF", staffUserId: id }));
  return out;
};
const auditCount = () => t.db.$count(schema.auditLog);
async function lastAudit() {
  const [row] = await t.db
    .select()
    .from(schema.auditLog)
    .orderBy(desc(schema.auditLog.id))
    .limit(1);
  return row!;
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** Runs a mutation and checks it wrote exactly one audit row (or none, if it failed). */
async function audited<T>(p: () => Promise<T>): Promise<T> {
  const before = await auditCount();
  const result = await p();
  expect(await auditCount()).toBe(before + 1);
  return result;
}
async function notAudited(p: () => Promise<unknown>): Promise<AppError> {
  const before = await auditCount();
  const err = await appError(p());
  expect(await auditCount()).toBe(before);
  return err;
}

describe("createStaff", () => {
  it("creates a member with a hashed password and audits it", async () => {
    const address = email();
    const created = await audited(() =>
      createStaff(by(owner), {
        email: address,
        name: "Nina",
        role: "MARKETING",
        password: PASSWORD,
      }),
    );
    expect(created).toMatchObject({
      email: address,
      name: "Nina",
      role: "MARKETING",
      disabledAt: null,
    });
    expect(created).not.toHaveProperty("passwordHash");
    const [row] = await t.db
      .select()
      .from(schema.staffUsers)
      .where(eq(schema.staffUsers.id, created.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row!.passwordHash, PASSWORD)).toBe(true);

    expect(await lastAudit()).toMatchObject({
      actorType: "STAFF",
      actorId: owner.id,
      action: "staff.create",
      entityType: "staff_user",
      entityId: created.id,
      details: { email: address, role: "MARKETING" },
      ip: meta.ip,
      requestId: meta.requestId,
    });
    // The audit details never carry the password or its hash.
    expect(JSON.stringify((await lastAudit()).details)).not.toMatch(/password|argon/i);
    expect((await listStaff({ db: t.db })).map((s) => s.id)).toContain(created.id);
  });

  it("refuses a duplicate email with CONFLICT and a field error, writing nothing", async () => {
    const m = await member();
    const err = await notAudited(() =>
      createStaff(by(owner), {
        email: m.email,
        name: "Copy",
        role: "OWNER",
        password: PASSWORD,
      }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.fieldErrors?.email).toHaveLength(1);
    expect(await t.db.$count(schema.staffUsers, eq(schema.staffUsers.email, m.email))).toBe(1);
  });

  it("refuses a weak password with BAD_REQUEST before touching the database", async () => {
    const before = await t.db.$count(schema.staffUsers);
    const err = await notAudited(() =>
      createStaff(by(owner), {
        email: email(),
        name: "Weak",
        role: "FRONT_DESK",
        password: "password1234",
      }),
    );
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.fieldErrors?.password?.[0]).toMatch(/too common/);
    expect(await t.db.$count(schema.staffUsers)).toBe(before);
  });
});

describe("updateStaff", () => {
  it("a role change ends that member's sessions only, and is audited with the change", async () => {
    const m = await member("FRONT_DESK");
    const other = await member("FRONT_DESK");
    const [s] = await openSessions(m.id, 2);
    await openSessions(other.id, 1);

    const updated = await audited(() => updateStaff(by(owner), { id: m.id, role: "MARKETING" }));
    expect(updated.role).toBe("MARKETING");
    expect(await sessionsOf(m.id)).toBe(0);
    expect(await validateStaffSession(t.db, s!.token)).toBeNull();
    expect(await sessionsOf(other.id)).toBe(1);
    expect(await lastAudit()).toMatchObject({
      action: "staff.update",
      actorId: owner.id,
      entityId: m.id,
      details: { role: ["FRONT_DESK", "MARKETING"], sessionsEnded: 2 },
    });
  });

  it("a password change ends sessions; the new password works and the old one does not", async () => {
    const m = await member("MANAGER");
    await openSessions(m.id, 3);
    const newPassword = "a-brand-new-passphrase-2026";
    await audited(() => updateStaff(by(owner), { id: m.id, password: newPassword }));
    expect(await sessionsOf(m.id)).toBe(0);
    expect((await lastAudit()).details).toEqual({ passwordChanged: true, sessionsEnded: 3 });
    expect(JSON.stringify((await lastAudit()).details)).not.toContain(newPassword);

    await expect(
      signInStaff({ db: t.db, config: env, meta }, { email: m.email, password: PASSWORD }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const ok = await signInStaff(
      { db: t.db, config: env, meta },
      { email: m.email, password: newPassword },
    );
    expect(ok.staff?.id).toBe(m.id);
  });

  it("changing your own password keeps the session you did it from and ends the others", async () => {
    const m = await member("OWNER");
    const self: Actor = { type: "staff", id: m.id, role: "OWNER" };
    const [current, other] = await openSessions(m.id, 2);
    await updateStaff(by(self), {
      id: m.id,
      password: "my-own-new-passphrase-77",
      sessionId: current!.id,
    });
    expect(await validateStaffSession(t.db, current!.token)).not.toBeNull();
    expect(await validateStaffSession(t.db, other!.token)).toBeNull();
    expect((await lastAudit()).details).toEqual({ passwordChanged: true, sessionsEnded: 1 });

    // Someone else's session id is never spared: an owner resetting a member's password ends
    // every session of that member.
    const target = await member("MANAGER");
    const [targetSession] = await openSessions(target.id, 1);
    await updateStaff(by(owner), {
      id: target.id,
      password: "reset-by-the-owner-2026",
      sessionId: targetSession!.id,
    });
    expect(await sessionsOf(target.id)).toBe(0);
  });

  it("changing your own role ends every session of yours, the current one too", async () => {
    const m = await member("OWNER");
    const self: Actor = { type: "staff", id: m.id, role: "OWNER" };
    const [current] = await openSessions(m.id, 2);
    await updateStaff(by(self), {
      id: m.id,
      role: "MANAGER",
      password: "and-a-new-passphrase-88",
      sessionId: current!.id,
    });
    expect(await sessionsOf(m.id)).toBe(0);
  });

  it("refuses a weak new password and keeps the old one and the sessions", async () => {
    const m = await member();
    await openSessions(m.id, 1);
    const err = await notAudited(() => updateStaff(by(owner), { id: m.id, password: "short" }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.fieldErrors?.password).toHaveLength(1);
    expect(await sessionsOf(m.id)).toBe(1);
  });

  it("disabling ends sessions and blocks sign-in; re-enabling does not revive old sessions", async () => {
    const m = await member();
    const [s] = await openSessions(m.id, 1);
    const disabled = await audited(() => updateStaff(by(owner), { id: m.id, disabled: true }));
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await sessionsOf(m.id)).toBe(0);
    expect((await lastAudit()).details).toMatchObject({ disabled: true, sessionsEnded: 1 });
    await expect(
      signInStaff({ db: t.db, config: env, meta }, { email: m.email, password: PASSWORD }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    const enabled = await audited(() => updateStaff(by(owner), { id: m.id, disabled: false }));
    expect(enabled.disabledAt).toBeNull();
    expect(await validateStaffSession(t.db, s!.token)).toBeNull();
    expect(
      (await signInStaff({ db: t.db, config: env, meta }, { email: m.email, password: PASSWORD }))
        .staff?.id,
    ).toBe(m.id);
  });

  it("a name change keeps sessions and is still audited", async () => {
    const m = await member();
    await openSessions(m.id, 2);
    await audited(() => updateStaff(by(owner), { id: m.id, name: "Renamed" }));
    expect(await sessionsOf(m.id)).toBe(2);
    expect((await lastAudit()).details).toEqual({ name: [m.name, "Renamed"], sessionsEnded: 0 });
  });

  it("setting the same role again does not end sessions", async () => {
    const m = await member("MARKETING");
    await openSessions(m.id, 1);
    await audited(() => updateStaff(by(owner), { id: m.id, role: "MARKETING" }));
    expect(await sessionsOf(m.id)).toBe(1);
  });

  it("answers NOT_FOUND for an unknown member", async () => {
    const err = await notAudited(() =>
      updateStaff(by(owner), { id: "00000000-0000-4000-8000-000000000000", name: "Ghost" }),
    );
    expect(err.code).toBe("NOT_FOUND");
  });

  it("cannot disable yourself", async () => {
    const manager = await member("MANAGER");
    const self: Actor = { type: "staff", id: manager.id, role: "MANAGER" };
    const err = await notAudited(() => updateStaff(by(self), { id: manager.id, disabled: true }));
    expect(err.code).toBe("PRECONDITION_FAILED");
    expect(err.message).toMatch(/your own account/);
    const [row] = await t.db
      .select()
      .from(schema.staffUsers)
      .where(eq(schema.staffUsers.id, manager.id));
    expect(row!.disabledAt).toBeNull();
  });
});

describe("the last active owner", () => {
  /** Makes `keep` the only active owner: every other owner is demoted to MANAGER. */
  async function onlyOwner(keep: string) {
    await t.db
      .update(schema.staffUsers)
      .set({ role: "MANAGER" })
      .where(eq(schema.staffUsers.role, "OWNER"));
    await t.db
      .update(schema.staffUsers)
      .set({ role: "OWNER", disabledAt: null })
      .where(eq(schema.staffUsers.id, keep));
  }
  const role = async (id: string) =>
    (await t.db.select().from(schema.staffUsers).where(eq(schema.staffUsers.id, id)))[0]!;

  it("cannot be demoted or disabled, by anyone", async () => {
    await onlyOwner(owner.id);
    const manager = await member("MANAGER");
    for (const actor of [
      owner,
      { type: "staff", id: manager.id, role: "MANAGER" } as Actor,
      { type: "system" } as Actor,
    ]) {
      for (const change of [{ role: "MANAGER" as const }, { disabled: true }]) {
        const err = await notAudited(() =>
          updateStaff({ db: t.db, actor, meta }, { id: owner.id, ...change }),
        );
        expect(err.code).toBe("PRECONDITION_FAILED");
        expect(err.message).toMatch(/at least one active owner/);
      }
    }
    expect(await role(owner.id)).toMatchObject({ role: "OWNER", disabledAt: null });
  });

  it("a disabled owner does not count as the other owner", async () => {
    await onlyOwner(owner.id);
    const second = await member("OWNER");
    await updateStaff(by(owner), { id: second.id, disabled: true });
    const err = await notAudited(() => updateStaff(by(owner), { id: owner.id, role: "MANAGER" }));
    expect(err.code).toBe("PRECONDITION_FAILED");
  });

  it("with two owners, one may step down, then the other may not", async () => {
    await onlyOwner(owner.id);
    const second = await member("OWNER");
    await audited(() => updateStaff(by(owner), { id: second.id, role: "MANAGER" }));
    expect((await role(second.id)).role).toBe("MANAGER");
    const err = await notAudited(() => updateStaff(by(owner), { id: owner.id, role: "MANAGER" }));
    expect(err.code).toBe("PRECONDITION_FAILED");
  });

  it("concurrent demotions of the only two owners leave one owner, and the loser gets a clean answer", async () => {
    // Repeated: a single round can serialise by luck; ten rounds reliably overlap.
    const system: Actor = { type: "system" };
    for (let round = 0; round < 10; round++) {
      await onlyOwner(owner.id);
      const second = await member("OWNER");
      const results = await Promise.allSettled([
        updateStaff(by(system), { id: owner.id, role: "MANAGER" }),
        updateStaff(by(system), { id: second.id, role: "MANAGER" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      // The domain's answer, not a database deadlock error.
      expect(rejected.reason).toBeInstanceOf(AppError);
      expect((rejected.reason as AppError).code).toBe("PRECONDITION_FAILED");
      expect(
        await t.db.$count(
          schema.staffUsers,
          and(eq(schema.staffUsers.role, "OWNER"), isNull(schema.staffUsers.disabledAt)),
        ),
      ).toBe(1);
    }
    await onlyOwner(owner.id);
  });
});
