import {
  createSession,
  sessionCookieName,
  validateStaffSession,
  verifyPassword,
} from "@xplorium/auth";
import { noRequest } from "@xplorium/core/actor";
import { purgeStalePasswordResets, requestStaffPasswordReset } from "@xplorium/core/auth";
import { schema } from "@xplorium/db";
import { SECRET_TEMPLATES, templates } from "@xplorium/email";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { STAFF_SIGN_IN_DELAY } from "../../core/src/auth/rate-limits";
import { SIGN_IN_ALERT } from "../../core/src/auth/sign-in-alerts";
import { SAME_PASSWORD, WRONG_CURRENT_PASSWORD } from "../../core/src/auth/staff-password";
import {
  PASSWORD_RESET_ANSWER_MS,
  PASSWORD_RESET_LIMITS,
  PASSWORD_RESET_TTL_SECONDS,
  RESET_LINK_INVALID,
} from "../../core/src/auth/staff-password-reset";
import { insertStaff, unique, useTrpcServers } from "./support";

/*
 * Issue 14, item 12 (first half): staff password self-service, over real HTTP through the tRPC
 * handler the admin mounts. A member changes their own password (the current one required, the
 * policy applied, other sessions ended, this one kept, audited, limited like a sign-in), and
 * "Forgot password?" emails a single-use link (hashed, 1 hour, the same answer in the same time
 * for every address, limited per address, per day and per IP) that sets a new password and ends
 * every session of that member.
 */

const { t, env, admin } = useTrpcServers({
  apps: ["admin"],
  edge: false,
  env: { ADMIN_URL: "http://admin.test" },
});

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a new and rather long passphrase";

interface Answer {
  status: number;
  data: unknown;
  message: string | undefined;
  fieldErrors: Record<string, string[]> | null;
  retryAfter: string | null;
  ms: number;
}

let ipSeq = 0;
/** A fresh client address per call unless given: the per-IP limits stay out of the way. */
const freshIp = () => `10.12.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

async function call(
  path: string,
  input: unknown,
  opts: { cookie?: string; ip?: string } = {},
): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${admin.url}/api/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-test-ip": opts.ip ?? freshIp(),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
    },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: {
      json: { message: string; data: { fieldErrors: Record<string, string[]> | null } };
    };
  };
  return {
    status: res.status,
    data: body.result?.data.json,
    message: body.error?.json.message,
    fieldErrors: body.error?.json.data.fieldErrors ?? null,
    retryAfter: res.headers.get("retry-after"),
    ms: performance.now() - started,
  };
}

const cookieOf = (token: string) => `${sessionCookieName("STAFF", { secure: false })}=${token}`;

async function member(opts: { disabled?: boolean } = {}) {
  const email = `member-${unique()}@example.com`;
  const staff = await insertStaff(t.db, { role: "FRONT_DESK", password: PASSWORD, email, ...opts });
  return { ...staff, email };
}

async function signedIn(staffUserId: string) {
  const { token } = await createSession(t.db, { kind: "STAFF", staffUserId });
  return token;
}

/** What the admin's `auth.me` (a GET) says the session's holder is. */
async function whoIs(token: string): Promise<string> {
  const res = await fetch(`${admin.url}/api/trpc/auth.me`, {
    headers: { cookie: cookieOf(token), "x-test-ip": freshIp() },
  });
  const body = (await res.json()) as { result: { data: { json: { type: string } } } };
  return body.result.data.json.type;
}

const alive = async (token: string) => (await validateStaffSession(t.db, token)) !== null;

async function passwordHashOf(id: string) {
  const [row] = await t.db
    .select({ hash: schema.staffUsers.passwordHash })
    .from(schema.staffUsers)
    .where(eq(schema.staffUsers.id, id));
  return row!.hash;
}

async function auditOf(staffId: string, action: string) {
  return t.db
    .select()
    .from(schema.auditLog)
    .where(and(eq(schema.auditLog.entityId, staffId), eq(schema.auditLog.action, action)))
    .orderBy(desc(schema.auditLog.id));
}

async function resetEmails(to: string) {
  return t.db
    .select()
    .from(schema.emailMessages)
    .where(
      and(
        eq(schema.emailMessages.template, "staff-password-reset"),
        eq(schema.emailMessages.toEmail, to),
      ),
    )
    .orderBy(desc(schema.emailMessages.createdAt));
}

/** The token of the latest reset link emailed to the address (read from the queued email). */
async function latestToken(to: string): Promise<string> {
  const [email] = await resetEmails(to);
  const token = /\/reset-password\/([a-z0-9]+\.[a-z0-9]+)/.exec(email?.text ?? "")?.[1];
  if (!token) throw new Error(`no reset link for ${to}`);
  return token;
}

const changePassword = (token: string, currentPassword: string, newPassword: string, ip?: string) =>
  call(
    "auth.staff.changePassword",
    { currentPassword, newPassword },
    { cookie: cookieOf(token), ...(ip ? { ip } : {}) },
  );
const requestReset = (email: string, ip?: string) =>
  call("auth.staff.requestPasswordReset", { email }, ip ? { ip } : {});
const checkReset = (token: string) => call("auth.staff.checkPasswordReset", { token });
const resetPassword = (token: string, password: string) =>
  call("auth.staff.resetPassword", { token, password });
const signIn = (email: string, password: string, ip?: string) =>
  call("auth.staff.signIn", { email, password }, ip ? { ip } : {});

describe("changing your own password", () => {
  it("refuses a wrong current password with a clear field error, changes nothing, audits the try", async () => {
    const m = await member();
    const token = await signedIn(m.id);
    const other = await signedIn(m.id);
    const before = await passwordHashOf(m.id);

    const answer = await changePassword(token, "not my password at all", NEW_PASSWORD);
    expect(answer.status).toBe(400);
    expect(answer.fieldErrors).toEqual({ currentPassword: [WRONG_CURRENT_PASSWORD] });
    expect(await passwordHashOf(m.id)).toBe(before);
    expect(await alive(other)).toBe(true);
    const [failed] = await auditOf(m.id, "auth.staff.password_change_failed");
    expect(failed?.details).toEqual({ reason: "wrong_password" });
  });

  it("refuses a weak new password with the policy's message, and the same one as now", async () => {
    const m = await member();
    const token = await signedIn(m.id);
    const cases: [string, string][] = [
      ["short", "Use at least 12 characters."],
      ["password1234", "This password is too common"],
      ["123456789012345", "Use some letters too"],
      [PASSWORD, SAME_PASSWORD],
    ];
    for (const [weak, message] of cases) {
      const answer = await changePassword(token, PASSWORD, weak);
      expect(answer.status, weak).toBe(400);
      expect(answer.fieldErrors?.newPassword?.[0], weak).toContain(message);
    }
    expect(await verifyPassword(await passwordHashOf(m.id), PASSWORD)).toBe(true);
  });

  it("changes it, ends every other session, keeps this one, audits it without the password", async () => {
    const m = await member();
    const token = await signedIn(m.id);
    const others = [await signedIn(m.id), await signedIn(m.id)];

    const answer = await changePassword(token, PASSWORD, NEW_PASSWORD);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ sessionsEnded: 2 });

    expect(await alive(token)).toBe(true);
    for (const o of others) expect(await alive(o)).toBe(false);
    expect(await whoIs(token)).toBe("staff");
    for (const o of others) expect(await whoIs(o)).toBe("anonymous");

    const hash = await passwordHashOf(m.id);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, PASSWORD)).toBe(false);
    expect((await signIn(m.email, PASSWORD)).status).toBe(401);
    expect((await signIn(m.email, NEW_PASSWORD)).status).toBe(200);

    const [audit] = await auditOf(m.id, "auth.staff.password_change");
    expect(audit).toMatchObject({
      actorType: "STAFF",
      actorId: m.id,
      details: { sessionsEnded: 2 },
    });
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
  });

  it("checks the current password like the sign-in form: the same delay, then 429 for both, and the alert", async () => {
    const m = await member();
    const token = await signedIn(m.id);
    // All from one client IP: the delay is kept per address and IP.
    const ip = freshIp();
    for (let i = 0; i < STAFF_SIGN_IN_DELAY.freeFailures; i++) {
      expect((await changePassword(token, `wrong guess ${i}`, NEW_PASSWORD, ip)).status).toBe(400);
    }
    const limited = await changePassword(token, PASSWORD, NEW_PASSWORD, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    // The sign-in form from that IP waits too: one counter for the address and IP, whichever
    // form guessed.
    expect((await signIn(m.email, PASSWORD, ip)).status).toBe(429);
    expect(await verifyPassword(await passwordHashOf(m.id), PASSWORD)).toBe(true);
    // The member is told, as after failed sign-ins.
    const alerts = await t.db.$count(
      schema.emailMessages,
      and(
        eq(schema.emailMessages.template, "sign-in-alert"),
        eq(schema.emailMessages.toEmail, m.email),
      ),
    );
    expect(alerts).toBe(SIGN_IN_ALERT.afterFailures <= STAFF_SIGN_IN_DELAY.freeFailures ? 1 : 0);
  });

  it("a right current password clears the delay wrong ones built up", async () => {
    const m = await member();
    const token = await signedIn(m.id);
    const ip = freshIp();
    for (let i = 0; i < STAFF_SIGN_IN_DELAY.freeFailures - 1; i++) {
      expect((await changePassword(token, `wrong guess ${i}`, NEW_PASSWORD, ip)).status).toBe(400);
    }
    expect((await changePassword(token, PASSWORD, NEW_PASSWORD, ip)).status).toBe(200);
    for (let i = 0; i < STAFF_SIGN_IN_DELAY.freeFailures - 1; i++) {
      expect((await signIn(m.email, `wrong again ${i}`, ip)).status).toBe(401);
    }
    expect((await signIn(m.email, NEW_PASSWORD, ip)).status).toBe(200);
  });

  it("needs a signed-in staff member: anonymous and ended sessions are refused", async () => {
    expect(
      (
        await call("auth.staff.changePassword", {
          currentPassword: PASSWORD,
          newPassword: NEW_PASSWORD,
        })
      ).status,
    ).toBe(401);
    const m = await member();
    const token = await signedIn(m.id);
    await t.db.delete(schema.sessions).where(eq(schema.sessions.staffUserId, m.id));
    expect((await changePassword(token, PASSWORD, NEW_PASSWORD)).status).toBe(401);
  });

  it("ends any reset link still open", async () => {
    const m = await member();
    await requestReset(m.email);
    const link = await latestToken(m.email);
    expect((await changePassword(await signedIn(m.id), PASSWORD, NEW_PASSWORD)).status).toBe(200);
    expect((await checkReset(link)).data).toEqual({ valid: false });
  });
});

describe("forgot password", () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it("answers a staff member, an unknown and a disabled address alike, in the same time; mails only the active member", async () => {
    const active = await member();
    const disabled = await member({ disabled: true });
    const unknowns: string[] = [];
    const kinds = {
      active: async () => active.email,
      unknown: async () => {
        const email = `nobody-${unique()}@example.com`;
        unknowns.push(email);
        return email;
      },
      disabled: async () => disabled.email,
    };
    // Warm-up (the template's first render, first queries), not measured.
    for (const make of Object.values(kinds)) await requestReset(await make());
    const times: Record<string, number[]> = { active: [], unknown: [], disabled: [] };
    const answers = new Set<string>();
    for (let round = 0; round < 2; round++) {
      for (const [kind, make] of Object.entries(kinds)) {
        const answer = await requestReset(await make());
        answers.add(JSON.stringify([answer.status, answer.data]));
        times[kind]!.push(answer.ms);
      }
    }
    expect([...answers]).toEqual([JSON.stringify([200, { sent: true, expiresInMinutes: 60 }])]);
    for (const [kind, ms] of Object.entries(times)) {
      for (const m of ms) expect(m, kind).toBeGreaterThanOrEqual(PASSWORD_RESET_ANSWER_MS - 1);
    }
    const medians = Object.values(times).map(median);
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(25);

    expect(await resetEmails(active.email)).toHaveLength(3);
    expect(await resetEmails(disabled.email)).toHaveLength(0);
    for (const email of unknowns) expect(await resetEmails(email)).toHaveLength(0);
    const resets = await t.db
      .select({ staffUserId: schema.staffPasswordResets.staffUserId })
      .from(schema.staffPasswordResets)
      .where(eq(schema.staffPasswordResets.staffUserId, disabled.id));
    expect(resets).toEqual([]);
  });

  it("emails a secret link: nothing secret in the subject, only the hash stored, to the admin", async () => {
    const m = await member();
    expect((await requestReset(m.email)).status).toBe(200);
    const [email] = await resetEmails(m.email);
    const token = await latestToken(m.email);
    const [id, secret] = token.split(".") as [string, string];
    expect(email?.text).toContain(`http://admin.test/reset-password/${token}`);
    expect(email?.subject).toBe("Reset your Xplorium CRM password");
    expect(email?.subject).not.toContain(secret);
    expect(email?.customerId).toBeNull();
    expect(SECRET_TEMPLATES.get("staff-password-reset")?.validForSeconds).toBe(
      PASSWORD_RESET_TTL_SECONDS,
    );
    expect(templates["staff-password-reset"].kind).toBe("TRANSACTIONAL");

    const [row] = await t.db
      .select()
      .from(schema.staffPasswordResets)
      .where(eq(schema.staffPasswordResets.id, id));
    expect(row?.staffUserId).toBe(m.id);
    expect(Buffer.from(row!.secretHash).toString("hex")).not.toContain(
      Buffer.from(secret).toString("hex"),
    );
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(
      PASSWORD_RESET_TTL_SECONDS * 1000,
    );
    const [requested] = await auditOf(m.id, "auth.staff.password_reset_requested");
    expect(requested?.details).toEqual({ sent: true });
    expect(JSON.stringify(requested)).not.toContain(secret);
  });

  it("the link sets a new password once, ends every session, audits it, and signs nobody in", async () => {
    const m = await member();
    const sessions = [await signedIn(m.id), await signedIn(m.id)];
    await requestReset(m.email);
    const token = await latestToken(m.email);

    expect((await checkReset(token)).data).toEqual({ valid: true, email: m.email });
    // A weak password is refused and the link still works.
    const weak = await resetPassword(token, "password1234");
    expect(weak.status).toBe(400);
    expect(weak.fieldErrors?.password?.[0]).toContain("too common");
    expect((await checkReset(token)).data).toEqual({ valid: true, email: m.email });

    const res = await fetch(`${admin.url}/api/trpc/auth.staff.resetPassword`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-ip": freshIp() },
      body: JSON.stringify({ json: { token, password: NEW_PASSWORD } }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    for (const s of sessions) expect(await alive(s)).toBe(false);
    expect(await verifyPassword(await passwordHashOf(m.id), NEW_PASSWORD)).toBe(true);
    expect((await signIn(m.email, NEW_PASSWORD)).status).toBe(200);

    const [audit] = await auditOf(m.id, "auth.staff.password_reset");
    expect(audit).toMatchObject({
      actorType: "STAFF",
      actorId: m.id,
      details: { sessionsEnded: 2 },
    });
    expect(JSON.stringify(audit)).not.toContain(token.split(".")[1]!);
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);

    // Used: the same answer as any dead link, and the password stays.
    expect((await checkReset(token)).data).toEqual({ valid: false });
    const again = await resetPassword(token, "yet another long passphrase");
    expect(again.status).toBe(400);
    expect(again.message).toBe(RESET_LINK_INVALID);
    expect(await verifyPassword(await passwordHashOf(m.id), NEW_PASSWORD)).toBe(true);
  });

  it("a link works for an hour, not after (issued in the past with `now`)", async () => {
    const m = await member();
    const issue = async (minutesAgo: number) => {
      await requestStaffPasswordReset(
        {
          db: t.db,
          config: env,
          meta: { ...noRequest, ip: freshIp() },
          now: new Date(Date.now() - minutesAgo * 60_000),
        },
        { email: m.email },
      );
      return latestToken(m.email);
    };
    const fresh = await issue(59);
    expect((await checkReset(fresh)).data).toEqual({ valid: true, email: m.email });
    const stale = await issue(61);
    expect((await checkReset(stale)).data).toEqual({ valid: false });
    expect((await resetPassword(stale, NEW_PASSWORD)).message).toBe(RESET_LINK_INVALID);
    expect(await verifyPassword(await passwordHashOf(m.id), PASSWORD)).toBe(true);
  });

  it("a new link ends the older ones", async () => {
    const m = await member();
    await requestReset(m.email);
    const first = await latestToken(m.email);
    await requestReset(m.email);
    const second = await latestToken(m.email);
    expect(second).not.toBe(first);
    expect((await checkReset(first)).data).toEqual({ valid: false });
    expect((await resetPassword(first, NEW_PASSWORD)).message).toBe(RESET_LINK_INVALID);
    expect((await checkReset(second)).data).toEqual({ valid: true, email: m.email });
  });

  it("dead links all answer alike: wrong secret, unknown, malformed, disabled member", async () => {
    const m = await member();
    await requestReset(m.email);
    const token = await latestToken(m.email);
    const [id] = token.split(".") as [string, string];
    const gone = await member();
    await requestReset(gone.email);
    const goneToken = await latestToken(gone.email);
    await t.db
      .update(schema.staffUsers)
      .set({ disabledAt: new Date() })
      .where(eq(schema.staffUsers.id, gone.id));
    for (const dead of [
      `${id}.${"a".repeat(32)}`,
      `${"b".repeat(24)}.${"c".repeat(32)}`,
      "not-a-link",
      `${token}.extra`,
      goneToken,
    ]) {
      expect((await checkReset(dead)).data, dead).toEqual({ valid: false });
      const answer = await resetPassword(dead, NEW_PASSWORD);
      expect([answer.status, answer.message], dead).toEqual([400, RESET_LINK_INVALID]);
    }
    expect((await checkReset(token)).data).toEqual({ valid: true, email: m.email });
  });

  it("is limited per address (known or not alike), per day and per IP", async () => {
    const m = await member();
    const unknown = `nobody-${unique()}@example.com`;
    for (const email of [m.email, unknown]) {
      // From one client: the per-address limits are kept per address and client IP.
      const from = freshIp();
      for (let i = 0; i < PASSWORD_RESET_LIMITS.requestPerEmail.limit; i++) {
        expect((await requestReset(email, from)).status).toBe(200);
      }
      const limited = await requestReset(email, from);
      expect(limited.status).toBe(429);
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    }
    expect(await resetEmails(m.email)).toHaveLength(PASSWORD_RESET_LIMITS.requestPerEmail.limit);

    const ip = freshIp();
    for (let i = 0; i < PASSWORD_RESET_LIMITS.requestPerIp.limit; i++) {
      expect((await requestReset(`walk-${i}-${unique()}@example.com`, ip)).status).toBe(200);
    }
    expect((await requestReset(`walk-last-${unique()}@example.com`, ip)).status).toBe(429);
  }, 30_000);

  it("caps links per address and client per day across quarter-hour windows", async () => {
    const m = await member();
    const { requestPerEmail, requestPerEmailPerDay } = PASSWORD_RESET_LIMITS;
    const start = Date.now() - 12 * 60 * 60 * 1000;
    const ip = freshIp();
    let sent = 0;
    let window = 0;
    const at = () => new Date(start + window * (requestPerEmail.windowSeconds + 1) * 1000);
    const ask = (from = ip) =>
      requestStaffPasswordReset(
        { db: t.db, config: env, meta: { ...noRequest, ip: from }, now: at() },
        { email: m.email },
      );
    while (sent < requestPerEmailPerDay.limit) {
      for (let i = 0; i < requestPerEmail.limit && sent < requestPerEmailPerDay.limit; i++) {
        await ask();
        sent++;
      }
      window++;
    }
    // A fresh quarter hour, but this client's links for the address are spent for the day…
    await expect(ask()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await resetEmails(m.email)).toHaveLength(requestPerEmailPerDay.limit);
    // …and that does not keep the member, asking from their own address, from a link.
    await ask(freshIp());
    expect(await resetEmails(m.email)).toHaveLength(requestPerEmailPerDay.limit + 1);
  }, 30_000);

  it("one client spending an address's links leaves the member a link; many clients meet a ceiling", async () => {
    const m = await member();
    const { requestPerEmail, requestPerEmailAllIps } = PASSWORD_RESET_LIMITS;
    const attacker = freshIp();
    for (let i = 0; i < requestPerEmail.limit; i++) {
      expect((await requestReset(m.email, attacker)).status).toBe(200);
    }
    expect((await requestReset(m.email, attacker)).status).toBe(429);
    expect((await requestReset(m.email, freshIp())).status).toBe(200);
    const sentSoFar = requestPerEmail.limit + 1;
    expect(await resetEmails(m.email)).toHaveLength(sentSoFar);

    // Across every client, a daily ceiling still keeps the inbox from being flooded.
    const now = new Date();
    let sent = sentSoFar;
    while (sent < requestPerEmailAllIps.limit) {
      await requestStaffPasswordReset(
        { db: t.db, config: env, meta: { ...noRequest, ip: freshIp() }, now },
        { email: m.email },
      );
      sent++;
    }
    await expect(
      requestStaffPasswordReset(
        { db: t.db, config: env, meta: { ...noRequest, ip: freshIp() }, now },
        { email: m.email },
      ),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await resetEmails(m.email)).toHaveLength(requestPerEmailAllIps.limit);
  }, 60_000);

  it("used and expired links are purged; live ones stay", async () => {
    const m = await member();
    await requestReset(m.email);
    await requestReset(m.email);
    const live = await latestToken(m.email);
    const [liveId] = live.split(".") as [string];
    await purgeStalePasswordResets(t.db, new Date());
    const left = await t.db
      .select({ id: schema.staffPasswordResets.id })
      .from(schema.staffPasswordResets)
      .where(eq(schema.staffPasswordResets.staffUserId, m.id));
    expect(left).toEqual([{ id: liveId }]);
    await purgeStalePasswordResets(
      t.db,
      new Date(Date.now() + (PASSWORD_RESET_TTL_SECONDS + 1) * 1000),
    );
    expect(
      await t.db.$count(
        schema.staffPasswordResets,
        eq(schema.staffPasswordResets.staffUserId, m.id),
      ),
    ).toBe(0);
  });
});
