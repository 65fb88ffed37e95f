import { TRPCError } from "@trpc/server";
import { appRouter, createCaller, createContext } from "@xplorium/api";
import {
  createSession,
  generateTotpSecret,
  normalizeRecoveryCode,
  type StaffRole,
  sealSecret,
  sessionCookieName,
  sha256,
  validateStaffSession,
} from "@xplorium/auth";
import { noRequest } from "@xplorium/core/actor";
import { completeStaffSignIn, purgeExpiredSignInChallenges } from "@xplorium/core/auth";
import { schema } from "@xplorium/db";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it } from "vitest";
import {
  SIGN_IN_CHALLENGE_TTL_SECONDS,
  TWO_FACTOR_LIMITS,
} from "../../core/src/auth/staff-two-factor";
import { TWO_FACTOR_SETUP_REQUIRED } from "../src/two-factor-gate";
import { insertStaff, unique, useTrpcServers } from "./support";

/*
 * Issue 14, item 12 (second half): optional two-factor sign-in for staff with an authenticator
 * app, over real HTTP through the tRPC handler the admin mounts. Codes are made here with
 * otpauth from the secret the enrolment shows (as a member's app would), never by the code
 * under test.
 */

const { t, env, admin } = useTrpcServers({
  apps: ["admin"],
  edge: false,
  env: { ADMIN_URL: "http://admin.test" },
});

const PASSWORD = "correct horse battery staple";

// Each test starts with the owner's rule off and no enrolled owner, whatever the last one did.
beforeEach(async () => {
  await t.db.update(schema.securitySettings).set({ requireStaffTwoFactor: false });
  await t.db
    .update(schema.staffUsers)
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null })
    .where(eq(schema.staffUsers.role, "OWNER"));
});

interface Answer<T = unknown> {
  status: number;
  data: T;
  message: string | undefined;
  code: string | undefined;
  fieldErrors: Record<string, string[]> | null;
  reason: string | null;
  setCookie: string[];
  retryAfter: string | null;
}

let ipSeq = 0;
/** A fresh client address per call unless given: the per-IP limits stay out of the way. */
const freshIp = () => `10.14.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

async function call<T = unknown>(
  path: string,
  input: unknown,
  opts: { token?: string; ip?: string; method?: "GET" | "POST" } = {},
): Promise<Answer<T>> {
  const method = opts.method ?? "POST";
  const headers: Record<string, string> = { "x-test-ip": opts.ip ?? freshIp() };
  if (opts.token) headers.cookie = cookieOf(opts.token);
  let url = `${admin.url}/api/trpc/${path}`;
  if (method === "GET") {
    if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  } else headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method,
    headers,
    ...(method === "POST" ? { body: JSON.stringify({ json: input ?? null }) } : {}),
  });
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: {
      json: {
        message: string;
        data: {
          code: string;
          fieldErrors: Record<string, string[]> | null;
          reason?: string | null;
        };
      };
    };
  };
  return {
    status: res.status,
    data: body.result?.data.json as T,
    message: body.error?.json.message,
    code: body.error?.json.data.code,
    fieldErrors: body.error?.json.data.fieldErrors ?? null,
    reason: body.error?.json.data.reason ?? null,
    setCookie: res.headers.getSetCookie(),
    retryAfter: res.headers.get("retry-after"),
  };
}

const COOKIE = sessionCookieName("STAFF", { secure: false });
const cookieOf = (token: string) => `${COOKIE}=${token}`;
/** The session token a response set, if any. */
const sessionFrom = (a: Answer) =>
  a.setCookie
    .map((c) => new RegExp(`^${COOKIE}=([^;]+)`).exec(c)?.[1])
    .find((v): v is string => Boolean(v)) ?? null;

/** The code an authenticator app shows `steps` periods from now. */
const codeFor = (secret: string, steps = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });
/** A 6-digit code that is not the secret's within the window (for wrong tries). */
function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => codeFor(secret, s)));
  for (let n = 0; ; n++) {
    const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

async function member(role: StaffRole = "FRONT_DESK") {
  const email = `member-${unique()}@example.com`;
  const staff = await insertStaff(t.db, { role, password: PASSWORD, email });
  const { token } = await createSession(t.db, { kind: "STAFF", staffUserId: staff.id });
  return { id: staff.id, email, token };
}

interface Status {
  enabled: boolean;
  requiredBy: "policy" | "owners" | null;
  recoveryCodesLeft: number;
  enrolment: { secret: string; uri: string } | null;
  needsSetupAgain: boolean;
}
const status = async (token: string) =>
  (await call<Status>("twoFactor.status", undefined, { token, method: "GET" })).data;

/** Enrols a member the way the page does: start, read the secret, confirm with the app's code. */
async function enrol(token: string, steps = 0) {
  const started = await call<{ secret: string; uri: string }>("twoFactor.start", null, { token });
  expect(started.status).toBe(200);
  const { secret } = started.data;
  const confirmed = await call<{ recoveryCodes: string[] }>(
    "twoFactor.confirm",
    { code: codeFor(secret, steps) },
    { token },
  );
  expect(confirmed.status).toBe(200);
  return { secret, recoveryCodes: confirmed.data.recoveryCodes };
}

type SignIn = { staff: unknown; twoFactor: { challenge: string; expiresAt: string } | null };
const signIn = (email: string, ip?: string) =>
  call<SignIn>("auth.staff.signIn", { email, password: PASSWORD }, ip ? { ip } : {});
const verify = (challenge: string, code: string, ip?: string) =>
  call<{ usedRecoveryCode: boolean; recoveryCodesLeft: number }>(
    "auth.staff.verifyTwoFactor",
    { challenge, code },
    ip ? { ip } : {},
  );

async function challengeFor(email: string): Promise<string> {
  const first = await signIn(email);
  expect(first.status).toBe(200);
  expect(sessionFrom(first)).toBeNull();
  expect(first.data.twoFactor).not.toBeNull();
  return first.data.twoFactor!.challenge;
}

const whoIs = async (token: string) =>
  (await call<{ type: string }>("auth.me", undefined, { token, method: "GET" })).data.type;
const alive = async (token: string) => (await validateStaffSession(t.db, token)) !== null;

async function staffRow(id: string) {
  const [row] = await t.db.select().from(schema.staffUsers).where(eq(schema.staffUsers.id, id));
  return row!;
}
const auditOf = (staffId: string) =>
  t.db
    .select()
    .from(schema.auditLog)
    .where(eq(schema.auditLog.entityId, staffId))
    .orderBy(asc(schema.auditLog.id));

const WRONG_SIGN_IN_CODE =
  "That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.";

describe("enrolment", () => {
  it("shows a secret, refuses a wrong first code, turns on with the right one and shows ten recovery codes once", async () => {
    const m = await member();
    const otherSession = (await createSession(t.db, { kind: "STAFF", staffUserId: m.id })).token;
    expect(await status(m.token)).toMatchObject({ enabled: false, enrolment: null });

    const started = await call<{ secret: string; uri: string }>("twoFactor.start", null, {
      token: m.token,
    });
    const { secret, uri } = started.data;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(
      `otpauth://totp/Xplorium%20CRM:${encodeURIComponent(m.email)}?issuer=Xplorium%20CRM&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    // Reloading the page shows the same setup, not a new secret.
    expect((await status(m.token)).enrolment).toEqual({ secret, uri });
    // Stored sealed (AES-GCM), never as the secret itself.
    const pending = await staffRow(m.id);
    expect(pending.totpPendingSecret).toMatch(/^v1\./);
    expect(pending.totpPendingSecret).not.toContain(secret);
    expect(pending.totpEnabledAt).toBeNull();

    const wrong = await call("twoFactor.confirm", { code: wrongCode(secret) }, { token: m.token });
    expect(wrong.status).toBe(400);
    expect(wrong.fieldErrors?.code?.[0]).toMatch(/^That code is not right\./);
    const letters = await call("twoFactor.confirm", { code: "12ab56" }, { token: m.token });
    expect(letters.status).toBe(400);
    expect(letters.fieldErrors).toEqual({
      code: ["Enter the 6-digit code from your authenticator app."],
    });
    expect((await staffRow(m.id)).totpEnabledAt).toBeNull();

    // "123 456" as apps show it is fine.
    const code = codeFor(secret);
    const right = await call<{ recoveryCodes: string[] }>(
      "twoFactor.confirm",
      { code: `${code.slice(0, 3)} ${code.slice(3)}` },
      { token: m.token },
    );
    expect(right.status).toBe(200);
    const codes = right.data.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);

    const row = await staffRow(m.id);
    expect(row.totpEnabledAt).toBeInstanceOf(Date);
    expect(row.totpPendingSecret).toBeNull();
    expect(row.totpSecret).toMatch(/^v1\./);
    expect(row.totpSecret).not.toContain(secret);
    // Hashed: SHA-256 of the canonical code, nothing in plain.
    const stored = await t.db
      .select()
      .from(schema.staffRecoveryCodes)
      .where(eq(schema.staffRecoveryCodes.staffUserId, m.id));
    expect(stored.map((r) => Buffer.from(r.codeHash).toString("hex")).sort()).toEqual(
      codes.map((c) => Buffer.from(sha256(normalizeRecoveryCode(c)!)).toString("hex")).sort(),
    );
    // Shown once: the status never repeats them (nor the secret).
    const after = await status(m.token);
    expect(after).toMatchObject({ enabled: true, enrolment: null, recoveryCodesLeft: 10 });
    expect(JSON.stringify(after)).not.toContain(codes[0]!);
    // Whoever had the password alone is signed out; this session stays.
    expect(await alive(m.token)).toBe(true);
    expect(await alive(otherSession)).toBe(false);

    const audit = await auditOf(m.id);
    expect(audit.map((a) => a.action)).toEqual([
      "staff.two_factor.setup_started",
      "staff.two_factor.setup_code_wrong",
      "staff.two_factor.enabled",
    ]);
    const logged = JSON.stringify(audit);
    for (const s of [secret, ...codes, code]) expect(logged).not.toContain(s);
  });

  it("cannot be started again while on; a used first code cannot sign in", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const again = await call("twoFactor.start", null, { token: m.token });
    expect(again.status).toBe(409);
    // The code that confirmed the setup is spent: the sign-in right after needs a newer one.
    const challenge = await challengeFor(m.email);
    const replay = await verify(challenge, codeFor(secret));
    expect(replay.status).toBe(401);
    expect(replay.message).toBe(WRONG_SIGN_IN_CODE);
  });
});

describe("signing in with two-factor", () => {
  it("asks for the code after the password, opens no session until it is right", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const first = await signIn(m.email);
    expect(first.status).toBe(200);
    expect(first.data.staff).toBeNull();
    expect(sessionFrom(first)).toBeNull();
    const { challenge, expiresAt } = first.data.twoFactor!;
    expect(challenge).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(
      (SIGN_IN_CHALLENGE_TTL_SECONDS - 30) * 1000,
    );
    // Only SHA-256 of the challenge's secret is stored.
    const [id, challengeSecret] = challenge.split(".") as [string, string];
    const [row] = await t.db
      .select()
      .from(schema.staffSignInChallenges)
      .where(eq(schema.staffSignInChallenges.id, id));
    expect(Buffer.from(row!.secretHash)).toEqual(Buffer.from(sha256(challengeSecret)));

    const wrong = await verify(challenge, wrongCode(secret));
    expect([wrong.status, wrong.message]).toEqual([401, WRONG_SIGN_IN_CODE]);
    expect(wrong.fieldErrors).toEqual({ code: [WRONG_SIGN_IN_CODE] });
    expect(sessionFrom(wrong)).toBeNull();
    // A tampered challenge is just an expired sign-in.
    const forged = await verify(`${id}.${"a".repeat(24)}`, codeFor(secret, 1));
    expect([forged.status, forged.message]).toEqual([
      401,
      "This sign-in has expired. Enter your email and password again.",
    ]);

    const right = await verify(challenge, codeFor(secret, 1));
    expect(right.status).toBe(200);
    expect(right.data).toMatchObject({ usedRecoveryCode: false });
    const token = sessionFrom(right);
    expect(token).not.toBeNull();
    expect(await whoIs(token!)).toBe("staff");
    // Used up: the same challenge does not open a second session.
    const twice = await verify(challenge, codeFor(secret, 1));
    expect(twice.status).toBe(401);

    const actions = (await auditOf(m.id)).map((a) => a.action);
    expect(actions.slice(-3)).toEqual([
      "auth.staff.sign_in_code_requested",
      "auth.staff.sign_in_failed",
      "auth.staff.sign_in",
    ]);
    const [signedIn] = (await auditOf(m.id)).slice(-1);
    expect(signedIn?.details).toEqual({ twoFactor: "totp" });
  });

  it("refuses a TOTP code used once already (replay), even by a new sign-in", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const next = codeFor(secret, 1);
    expect((await verify(await challengeFor(m.email), next)).status).toBe(200);
    const replay = await verify(await challengeFor(m.email), next);
    expect([replay.status, replay.message]).toEqual([401, WRONG_SIGN_IN_CODE]);
    // An older code of the window is refused too once a newer one was used.
    const older = await verify(await challengeFor(m.email), codeFor(secret, 0));
    expect(older.status).toBe(401);
  });

  it("allows five tries per sign-in, then asks for the password again", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const challenge = await challengeFor(m.email);
    for (let i = 1; i <= 4; i++) {
      const a = await verify(challenge, wrongCode(secret));
      expect([a.status, a.message]).toEqual([401, WRONG_SIGN_IN_CODE]);
    }
    const fifth = await verify(challenge, wrongCode(secret));
    expect([fifth.status, fifth.message]).toEqual([
      401,
      "That code is not right, and that was the last try. Enter your email and password again.",
    ]);
    const right = await verify(challenge, codeFor(secret, 1));
    expect([right.status, right.message]).toEqual([
      401,
      "This sign-in has expired. Enter your email and password again.",
    ]);
    expect(sessionFrom(right)).toBeNull();
    // The holder is told that someone with their password is failing the second step.
    const alerts = await t.db
      .select()
      .from(schema.emailMessages)
      .where(
        and(
          eq(schema.emailMessages.template, "sign-in-alert"),
          eq(schema.emailMessages.toEmail, m.email),
        ),
      );
    expect(alerts).toHaveLength(1);
    // A fresh sign-in with the password works.
    expect((await verify(await challengeFor(m.email), codeFor(secret, 1))).status).toBe(200);
  });

  it("counts code tries per account and client IP across sign-ins: 429 with Retry-After past the limit", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const limit = TWO_FACTOR_LIMITS.codeCheckPerAccount.limit;
    // All from one client IP (the setup's code came from another, so it does not count here).
    const ip = "10.13.99.1";
    let tries = 0;
    while (tries < limit) {
      const challenge = await challengeFor(m.email);
      for (let i = 0; i < 4 && tries < limit; i++, tries++) {
        expect((await verify(challenge, wrongCode(secret), ip)).status).toBe(401);
      }
    }
    const limited = await verify(await challengeFor(m.email), codeFor(secret, 1), ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(limited.message).toMatch(/^Too many attempts\./);
    expect(sessionFrom(limited)).toBeNull();
    // Another client IP (the member's own) is not held up by those tries: the right code works.
    const own = await verify(await challengeFor(m.email), codeFor(secret, 1), "10.13.99.2");
    expect(own.status).toBe(200);
  });

  it("expires a challenge after five minutes, and the worker's purge removes it", async () => {
    const m = await member();
    await enrol(m.token);
    const challenge = await challengeFor(m.email);
    const later = new Date(Date.now() + SIGN_IN_CHALLENGE_TTL_SECONDS * 1000 + 1000);
    await expect(
      completeStaffSignIn(
        { db: t.db, config: env, meta: noRequest, now: later },
        { challenge, code: "000000" },
      ),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "This sign-in has expired. Enter your email and password again.",
    });
    const [id] = challenge.split(".") as [string];
    const exists = () =>
      t.db.$count(schema.staffSignInChallenges, eq(schema.staffSignInChallenges.id, id));
    expect(await purgeExpiredSignInChallenges(t.db, new Date())).toBeGreaterThanOrEqual(0);
    expect(await exists()).toBe(1);
    await purgeExpiredSignInChallenges(t.db, later);
    expect(await exists()).toBe(0);
  });

  it("takes a recovery code once (any case, spaces), then never again", async () => {
    const m = await member();
    const { recoveryCodes } = await enrol(m.token);
    const typed = recoveryCodes[3]!.toUpperCase().replace("-", " ");
    const used = await verify(await challengeFor(m.email), typed);
    expect(used.status).toBe(200);
    expect(used.data).toEqual(
      expect.objectContaining({ usedRecoveryCode: true, recoveryCodesLeft: 9 }),
    );
    expect(await whoIs(sessionFrom(used)!)).toBe("staff");
    const again = await verify(await challengeFor(m.email), recoveryCodes[3]!);
    expect([again.status, again.message]).toEqual([401, WRONG_SIGN_IN_CODE]);
    // Another member's code is not this member's.
    const other = await member();
    const { recoveryCodes: theirs } = await enrol(other.token);
    expect((await verify(await challengeFor(m.email), theirs[0]!)).status).toBe(401);
    const [usedRow] = await t.db
      .select()
      .from(schema.staffRecoveryCodes)
      .where(
        and(
          eq(schema.staffRecoveryCodes.staffUserId, m.id),
          eq(schema.staffRecoveryCodes.codeHash, sha256(normalizeRecoveryCode(typed)!)),
        ),
      );
    expect(usedRow?.usedAt).toBeInstanceOf(Date);
    const [audited] = (await auditOf(m.id)).filter((a) => a.action === "auth.staff.sign_in");
    expect(audited?.details).toEqual({ twoFactor: "recovery_code", recoveryCodesLeft: 9 });
  });

  it("a recovery code raced by two requests signs in once", async () => {
    const m = await member();
    const { recoveryCodes } = await enrol(m.token);
    const [a, b] = [await challengeFor(m.email), await challengeFor(m.email)];
    const answers = await Promise.all([verify(a, recoveryCodes[0]!), verify(b, recoveryCodes[0]!)]);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 401]);
  });

  it("two recovery codes raced on one sign-in step: one signs in, the other code stays unused", async () => {
    const m = await member();
    const { recoveryCodes } = await enrol(m.token);
    const step = await challengeFor(m.email);
    // Both requests wait on the step's row (held here), then go on together: both count their
    // try and check their code before either uses the step up.
    let racing: Promise<Answer[]> | undefined;
    await t.db.transaction(async (tx) => {
      await tx.execute(
        sql`select 1 from staff_sign_in_challenges where staff_user_id = ${m.id} for update`,
      );
      racing = Promise.all([verify(step, recoveryCodes[0]!), verify(step, recoveryCodes[1]!)]);
      await new Promise((r) => setTimeout(r, 500));
    });
    const answers = await racing!;
    expect(answers.map((x) => x.status).sort()).toEqual([200, 401]);
    const unused = await t.db
      .select()
      .from(schema.staffRecoveryCodes)
      .where(
        and(
          eq(schema.staffRecoveryCodes.staffUserId, m.id),
          isNull(schema.staffRecoveryCodes.usedAt),
        ),
      );
    // Only the code that opened the session is spent.
    expect(unused).toHaveLength(9);
  });

  it("a password change ends a sign-in's open two-factor step", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    // Someone with the old password stands at the second step…
    const step = await challengeFor(m.email);
    // …when the member changes it.
    const changed = await call(
      "auth.staff.changePassword",
      { currentPassword: PASSWORD, newPassword: "a brand new staple battery horse" },
      { token: m.token },
    );
    expect(changed.status).toBe(200);
    const late = await verify(step, codeFor(secret, 1));
    expect(late.status).toBe(401);
    expect(sessionFrom(late)).toBeNull();
  });

  it("regenerating recovery codes needs a current code and retires the old ones", async () => {
    const m = await member();
    const { secret, recoveryCodes: old } = await enrol(m.token);
    const refused = await call(
      "twoFactor.regenerateRecoveryCodes",
      { code: wrongCode(secret) },
      { token: m.token },
    );
    expect(refused.status).toBe(400);
    const fresh = await call<{ recoveryCodes: string[] }>(
      "twoFactor.regenerateRecoveryCodes",
      { code: codeFor(secret, 1) },
      { token: m.token },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.data.recoveryCodes).toHaveLength(10);
    expect(fresh.data.recoveryCodes).not.toContain(old[0]);
    expect((await verify(await challengeFor(m.email), old[0]!)).status).toBe(401);
    expect((await verify(await challengeFor(m.email), fresh.data.recoveryCodes[0]!)).status).toBe(
      200,
    );
    const audit = (await auditOf(m.id)).map((a) => a.action);
    expect(audit).toContain("staff.two_factor.recovery_codes_regenerated");
  });
});

describe("a key that no longer opens", () => {
  it("after SESSION_SECRET changed: the member signs in with a recovery code and sets it up again", async () => {
    const m = await member();
    const { recoveryCodes } = await enrol(m.token);
    // The secret as another server secret sealed it.
    await t.db
      .update(schema.staffUsers)
      .set({
        totpSecret: sealSecret(generateTotpSecret(), {
          rootSecret: "a-rotated-away-session-secret-0123456789",
          purpose: "staff-totp-secret",
          binding: m.id,
        }),
      })
      .where(eq(schema.staffUsers.id, m.id));
    const st = await status(m.token);
    expect(st).toMatchObject({ enabled: false, needsSetupAgain: true, recoveryCodesLeft: 10 });
    // Still asked for a second factor; a recovery code gets them in.
    const signedIn = await verify(await challengeFor(m.email), recoveryCodes[0]!);
    expect(signedIn.status).toBe(200);
    const token = sessionFrom(signedIn)!;
    // (The first setup's code was this period's; a real member comes back much later.)
    const { secret } = await enrol(token, 1);
    expect(await status(token)).toMatchObject({ enabled: true, needsSetupAgain: false });
    const later = new Date(Date.now() + 90_000);
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: later.getTime() });
    const challenge = await challengeFor(m.email);
    await expect(
      completeStaffSignIn(
        { db: t.db, config: env, meta: noRequest, now: later },
        { challenge, code },
      ),
    ).resolves.toMatchObject({ usedRecoveryCode: false });
  });
});

describe("turning it off", () => {
  it("needs the password or a current code, then sign-in asks for the password only", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const empty = await call("twoFactor.disable", {}, { token: m.token });
    expect(empty.status).toBe(400);
    expect(empty.fieldErrors).toEqual({
      password: ["Enter your password or a current code to turn it off."],
    });
    const wrong = await call(
      "twoFactor.disable",
      { password: "not the password at all" },
      { token: m.token },
    );
    expect([wrong.status, wrong.fieldErrors]).toEqual([
      400,
      { password: ["That password is not right."] },
    ]);
    const badCode = await call(
      "twoFactor.disable",
      { code: wrongCode(secret) },
      { token: m.token },
    );
    expect(badCode.status).toBe(400);
    expect((await staffRow(m.id)).totpEnabledAt).not.toBeNull();

    const off = await call("twoFactor.disable", { password: PASSWORD }, { token: m.token });
    expect(off.status).toBe(200);
    const row = await staffRow(m.id);
    expect([row.totpSecret, row.totpPendingSecret, row.totpEnabledAt]).toEqual([null, null, null]);
    expect(
      await t.db.$count(schema.staffRecoveryCodes, eq(schema.staffRecoveryCodes.staffUserId, m.id)),
    ).toBe(0);
    const plain = await signIn(m.email);
    expect(plain.data.twoFactor).toBeNull();
    expect(sessionFrom(plain)).not.toBeNull();
    const [disabled] = (await auditOf(m.id)).filter(
      (a) => a.action === "staff.two_factor.disabled",
    );
    expect(disabled?.details).toEqual({ provenWith: "password" });
  });

  it("works with a current code too", async () => {
    const m = await member();
    const { secret } = await enrol(m.token);
    const off = await call("twoFactor.disable", { code: codeFor(secret, 1) }, { token: m.token });
    expect(off.status).toBe(200);
    expect((await status(m.token)).enabled).toBe(false);
  });

  it("an owner can reset another member's (lost phone): their sessions end, sign-in asks no code", async () => {
    const owner = await member("OWNER");
    const m = await member();
    await enrol(m.token);
    const reset = await call("twoFactor.reset", { staffId: m.id }, { token: owner.token });
    expect(reset.status).toBe(200);
    expect(await alive(m.token)).toBe(false);
    expect((await staffRow(m.id)).totpEnabledAt).toBeNull();
    expect((await signIn(m.email)).data.twoFactor).toBeNull();
    const own = await call("twoFactor.reset", { staffId: owner.id }, { token: owner.token });
    expect(own.status).toBe(412);
    const manager = await member("MANAGER");
    expect(
      (await call("twoFactor.reset", { staffId: m.id }, { token: manager.token })).status,
    ).toBe(403);
  });
});

describe("the owner's rule: two-factor for all staff", () => {
  it("an owner must use it themselves before requiring it; the switch is audited", async () => {
    const owner = await member("OWNER");
    const early = await call(
      "security.setRequireTwoFactor",
      { required: true },
      { token: owner.token },
    );
    expect([early.status, early.message]).toEqual([
      412,
      "Turn on two-factor sign-in for your own account first, then require it for everyone.",
    ]);
    await enrol(owner.token);
    const on = await call<{ requiredForAll: boolean }>(
      "security.setRequireTwoFactor",
      { required: true },
      { token: owner.token },
    );
    expect(on.status).toBe(200);
    expect(on.data.requiredForAll).toBe(true);
    const [audit] = await t.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "security.settings.update"));
    expect(audit?.details).toEqual({ requireStaffTwoFactor: [false, true] });
    expect(audit?.actorId).toBe(owner.id);
    const manager = await member("MANAGER");
    const refused = await call(
      "security.setRequireTwoFactor",
      { required: false },
      { token: manager.token },
    );
    expect(refused.status).toBe(403);
  });

  it("a member without it can do nothing but set it up, then everything their role allows", async () => {
    const owner = await member("OWNER");
    await enrol(owner.token);
    await call("security.setRequireTwoFactor", { required: true }, { token: owner.token });

    // Signing in with the password alone still works: into setup only.
    const m = await member();
    const signed = await signIn(m.email);
    expect(signed.data.twoFactor).toBeNull();
    const token = sessionFrom(signed)!;
    expect(await whoIs(token)).toBe("staffTwoFactorSetup");
    const list = await call("customers.list", {}, { token, method: "GET" });
    expect([list.status, list.message]).toEqual([403, TWO_FACTOR_SETUP_REQUIRED]);
    expect((await status(token)).requiredBy).toBe("policy");

    const { secret } = await enrol(token);
    expect(await whoIs(token)).toBe("staff");
    expect((await call("customers.list", {}, { token, method: "GET" })).status).toBe(200);
    // Required: it cannot be turned off.
    const off = await call("twoFactor.disable", { code: codeFor(secret, 1) }, { token });
    expect([off.status, off.message]).toEqual([
      403,
      "Two-factor sign-in is required for all staff here, so it cannot be turned off.",
    ]);

    // Turning the rule off locks no one out: the enrolled keep it, the others sign in as before.
    const other = await member();
    expect(await whoIs(other.token)).toBe("staffTwoFactorSetup");
    await call("security.setRequireTwoFactor", { required: false }, { token: owner.token });
    expect(await whoIs(other.token)).toBe("staff");
    expect((await signIn(other.email)).data.twoFactor).toBeNull();
    expect((await signIn(m.email)).data.twoFactor).not.toBeNull();
    expect((await call("twoFactor.disable", { password: PASSWORD }, { token })).status).toBe(200);
  });

  it("refuses the member owing setup every procedure an owner reaches, but setup, auth.me and signing out", async () => {
    const owner = await member("OWNER");
    await enrol(owner.token);
    await call("security.setRequireTwoFactor", { required: true }, { token: owner.token });
    const pendingOwner = (await insertStaff(t.db, { role: "OWNER" })).id;
    const allowed = new Set([
      "auth.me",
      "auth.signOut",
      "auth.signOutEverywhere",
      "twoFactor.status",
      "twoFactor.start",
      "twoFactor.confirm",
      "twoFactor.regenerateRecoveryCodes",
      "twoFactor.disable",
      // The sign-in forms, which need no session at all.
      "auth.staff.signIn",
      "auth.staff.verifyTwoFactor",
      "auth.staff.requestPasswordReset",
      "auth.staff.checkPasswordReset",
      "auth.staff.resetPassword",
    ]);

    /** "gate", "ok" (past every check of who is asking) or the refusal's code. */
    async function outcome(path: string, staffUserId: string, principal: string) {
      const { token } = await createSession(t.db, { kind: "STAFF", staffUserId });
      const ctx = await createContext({
        db: t.db,
        env,
        app: "admin",
        request: new Request(new URL("/api/trpc", env.ADMIN_URL), {
          headers: { cookie: cookieOf(token) },
        }),
        resHeaders: new Headers(),
        ip: "127.0.0.1",
      });
      expect(ctx.principal.type).toBe(principal);
      let node = createCaller(ctx) as unknown as Record<string, unknown>;
      for (const segment of path.split(".")) node = node[segment] as Record<string, unknown>;
      try {
        await (node as unknown as (input: unknown) => Promise<unknown>)({});
        return "ok";
      } catch (e) {
        if (!(e instanceof TRPCError)) throw e;
        if (e.message === TWO_FACTOR_SETUP_REQUIRED) return "gate";
        return ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"].includes(e.code) ? e.code : "ok";
      }
    }

    const procedures = Object.keys(
      (appRouter._def as { procedures: Record<string, unknown> }).procedures,
    ).sort();
    const actual: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const path of procedures) {
      // Procedures an enrolled owner gets past authorisation on; the rest (portal-only,
      // anonymous sign-in forms) do not concern a signed-in member.
      if ((await outcome(path, owner.id, "staff")) !== "ok") continue;
      actual[path] = await outcome(path, pendingOwner, "staffTwoFactorSetup");
      expected[path] = allowed.has(path) ? "ok" : "gate";
    }
    // confirmPassword checks who is asking in its body, after the input: with a real password
    // the member owing setup is refused there (a password alone proves no second factor).
    delete actual["auth.staff.confirmPassword"];
    delete expected["auth.staff.confirmPassword"];
    expect(actual).toEqual(expected);
    expect(Object.values(expected).filter((o) => o === "gate").length).toBeGreaterThan(80);
    const setup = await member("OWNER");
    const confirm = await call(
      "auth.staff.confirmPassword",
      { password: PASSWORD },
      { token: setup.token },
    );
    expect([401, 403]).toContain(confirm.status);
  });
});

describe("starting the setup needs the password entered recently", () => {
  /** Makes the session's last password entry an hour old. */
  const staleSession = (token: string) =>
    t.db
      .update(schema.sessions)
      .set({ passwordConfirmedAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(schema.sessions.id, token.split(".")[0]!));

  it("a stolen session an hour after sign-in cannot put the thief's phone on the account", async () => {
    const m = await member();
    await staleSession(m.token);
    const refused = await call("twoFactor.start", null, { token: m.token });
    expect([refused.status, refused.reason]).toEqual([403, "REAUTH_REQUIRED"]);
    expect((await staffRow(m.id)).totpPendingSecret).toBeNull();
    const wrong = await call("twoFactor.start", { password: "not it at all" }, { token: m.token });
    expect([wrong.status, wrong.fieldErrors?.password]).toEqual([
      400,
      ["That password is not right."],
    ]);
    expect((await staffRow(m.id)).totpPendingSecret).toBeNull();
    // With the member's own password, in the same request: set up as usual.
    const started = await call<{ secret: string }>(
      "twoFactor.start",
      { password: PASSWORD },
      { token: m.token },
    );
    expect(started.status).toBe(200);
    const confirmed = await call(
      "twoFactor.confirm",
      { code: codeFor(started.data.secret) },
      { token: m.token },
    );
    expect(confirmed.status).toBe(200);
  });

  it("a member owing setup can start right after signing in, and later only with the password", async () => {
    const owner = await member("OWNER");
    await enrol(owner.token);
    await call("security.setRequireTwoFactor", { required: true }, { token: owner.token });
    const m = await member();
    const token = sessionFrom(await signIn(m.email))!;
    expect(await whoIs(token)).toBe("staffTwoFactorSetup");
    expect((await call("twoFactor.start", null, { token })).status).toBe(200);

    await staleSession(token);
    const refused = await call("twoFactor.start", null, { token });
    expect([refused.status, refused.reason]).toEqual([403, "REAUTH_REQUIRED"]);
    expect((await call("twoFactor.start", { password: PASSWORD }, { token })).status).toBe(200);
  });
});

describe("owner-level actions", () => {
  it("requiring it for all and resetting another's need the password entered in the last minutes", async () => {
    const owner = await member("OWNER");
    await enrol(owner.token);
    const m = await member();
    await enrol(m.token);
    const [sessionId] = owner.token.split(".") as [string];
    await t.db
      .update(schema.sessions)
      .set({ passwordConfirmedAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(schema.sessions.id, sessionId));
    for (const [path, input] of [
      ["security.setRequireTwoFactor", { required: true }],
      ["twoFactor.reset", { staffId: m.id }],
    ] as const) {
      const refused = await call(path, input, { token: owner.token });
      expect([refused.status, refused.reason], path).toEqual([403, "REAUTH_REQUIRED"]);
    }
    expect((await staffRow(m.id)).totpEnabledAt).not.toBeNull();
    const [row] = await t.db.select().from(schema.securitySettings);
    expect(row?.requireStaffTwoFactor).toBe(false);
  });
});

describe("owners", () => {
  it("once one owner uses it, every owner must, and no owner can turn it off", async () => {
    const a = await member("OWNER");
    const b = await member("OWNER");
    const manager = await member("MANAGER");
    const { secret } = await enrol(a.token);
    expect(await whoIs(b.token)).toBe("staffTwoFactorSetup");
    expect((await status(b.token)).requiredBy).toBe("owners");
    expect(await whoIs(manager.token)).toBe("staff");
    const off = await call("twoFactor.disable", { code: codeFor(secret, 1) }, { token: a.token });
    expect([off.status, off.message]).toEqual([
      403,
      "Owners must keep two-factor sign-in once any owner uses it, so it cannot be turned off.",
    ]);
    // An owner promoted later must set it up too.
    await t.db
      .update(schema.staffUsers)
      .set({ role: "OWNER" })
      .where(eq(schema.staffUsers.id, manager.id));
    expect(await whoIs(manager.token)).toBe("staffTwoFactorSetup");
    expect(
      await t.db.$count(
        schema.staffUsers,
        and(eq(schema.staffUsers.role, "OWNER"), isNull(schema.staffUsers.totpEnabledAt)),
      ),
    ).toBeGreaterThan(0);
  });
});
