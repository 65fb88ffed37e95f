import { hashPassword, issueLoginCode, validateStaffSession } from "@xplorium/auth";
import {
  AppError,
  AUTH_LIMITS,
  CODE_CHECK_FAILURE_ANSWER_MS,
  type RequestMeta,
  requestCustomerCode,
  SIGN_IN_ALERT,
  STAFF_SIGN_IN_DELAY,
  STAFF_SIGN_IN_FAILURE_ANSWER_MS,
  signInStaff,
  verifyCustomerCode,
  verifyCustomerCodeOrSignUp,
} from "@xplorium/core";
import { schema } from "@xplorium/db";
import { loadEnv } from "@xplorium/db/env";
import {
  createTestDatabase,
  insertCustomer,
  type TestDatabase,
  unique,
} from "@xplorium/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_UP_CODE_MAX_ATTEMPTS, signUpCode } from "../src/auth/sign-up-codes";

/*
 * Issue 14, finding 9: brute force and lockout. Code checks were limited to 10 per 15 minutes
 * per address with no daily cap (960 guesses a day), a stranger's sign-up codes (three accepted
 * at once) had no attempt limit of their own, and ten wrong passwords locked a staff member out
 * for 15 minutes, which anyone could do to anyone. Now: daily caps per address, an attempt limit
 * per sign-up code, a progressive delay for staff, and an alert email to the account holder.
 * Time moves through the services' `now` parameters; nothing sleeps but the answer floors.
 */

let t: TestDatabase;
const env = loadEnv({ NODE_ENV: "test", PORTAL_URL: "http://portal.test" });
const secret = env.SESSION_SECRET;
let ipSeq = 0;
/** A fresh client IP per call: the per-IP limits stay out of the way. */
const meta = (): RequestMeta => ({
  ip: `192.0.2.${++ipSeq % 250}`,
  userAgent: "vitest",
  requestId: `req-bf-${ipSeq}`,
});

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = new Date("2026-06-01T08:00:10Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

async function outcome(p: Promise<unknown>): Promise<AppError | "ok"> {
  return p.then(
    () => "ok" as const,
    (e: unknown) => {
      if (!(e instanceof AppError)) throw e;
      return e;
    },
  );
}
const codeOf = (o: AppError | "ok") => (o === "ok" ? "ok" : o.code);
/** A 6-digit code that is none of `codes`. */
const otherThan = (...codes: string[]) => {
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, "0");
    if (!codes.includes(c)) return c;
  }
};
const alertsTo = (email: string) =>
  t.db
    .select()
    .from(schema.emailMessages)
    .where(
      and(
        eq(schema.emailMessages.toEmail, email),
        eq(schema.emailMessages.template, "sign-in-alert"),
      ),
    );

describe("code checks: a daily cap per address", { timeout: 60_000 }, () => {
  it("refuses the 21st check of a day although the 15-minute window has room, for customers and strangers alike", async () => {
    const customer = await insertCustomer(t.db);
    const stranger = `daily-${unique()}@example.com`;
    const check = (email: string, code: string, when: Date) =>
      outcome(verifyCustomerCodeOrSignUp(t.db, env, { email, code }, meta(), when));
    const window = AUTH_LIMITS.codeCheckPerEmail.limit;
    expect(AUTH_LIMITS.codeCheckPerEmailDaily.limit).toBe(2 * window);

    await Promise.all(
      [customer.email!, stranger].map(async (email) => {
        // Two full 15-minute windows of wrong codes: all answered 401.
        for (const start of [0, 16 * MINUTE]) {
          for (let i = 0; i < window; i++) {
            expect(codeOf(await check(email, "000000", at(start + i * 1000)))).toBe("UNAUTHORIZED");
          }
        }
      }),
    );
    // A third window opens; the day's cap does not.
    const { code } = await issueLoginCode(t.db, customer.id, secret, at(32 * MINUTE));
    const refused = await check(customer.email!, code, at(32 * MINUTE));
    const refusedStranger = await check(
      stranger,
      signUpCode(secret, stranger, at(32 * MINUTE)),
      at(32 * MINUTE),
    );
    for (const r of [refused, refusedStranger]) {
      expect(r).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        message: expect.stringMatching(/hour/),
      });
      expect((r as AppError).retryAfterSeconds).toBeGreaterThan(15 * 60);
    }
    expect((refused as AppError).message).toBe((refusedStranger as AppError).message);
    // A day after the first check, the cap is over.
    const { code: fresh } = await issueLoginCode(t.db, customer.id, secret, at(24 * HOUR + MINUTE));
    expect(await check(customer.email!, fresh, at(24 * HOUR + MINUTE))).toBe("ok");
  });

  it("refuses the 11th code email of a day although the 15-minute window has room", async () => {
    const customer = await insertCustomer(t.db);
    const request = (when: Date) =>
      outcome(requestCustomerCode(t.db, env, { email: customer.email! }, meta(), when));
    const window = AUTH_LIMITS.codeRequestPerEmail.limit;
    expect(AUTH_LIMITS.codeRequestPerEmailDaily.limit).toBe(2 * window);
    for (const start of [0, 16 * MINUTE]) {
      for (let i = 0; i < window; i++) expect(await request(at(start + i * 1000))).toBe("ok");
    }
    const refused = await request(at(32 * MINUTE));
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((refused as AppError).retryAfterSeconds).toBeGreaterThan(15 * 60);
    expect(
      await t.db.$count(
        schema.emailMessages,
        and(
          eq(schema.emailMessages.toEmail, customer.email!),
          eq(schema.emailMessages.template, "sign-in-code"),
        ),
      ),
    ).toBe(2 * window);
  });
});

describe("sign-up codes: an attempt limit per code", () => {
  it("a code tried too often is refused while the next window's code still works", async () => {
    const email = `per-code-${unique()}@example.com`;
    // T0 is 10 s into a 5-minute window; the next window starts 5 minutes later.
    const first = signUpCode(secret, email, T0);
    const older = signUpCode(secret, email, at(-5 * MINUTE));
    const next = signUpCode(secret, email, at(5 * MINUTE));
    const wrong = otherThan(first, older, signUpCode(secret, email, at(-10 * MINUTE)), next);
    const check = (code: string, when: Date) =>
      outcome(verifyCustomerCodeOrSignUp(t.db, env, { email, code }, meta(), when));

    for (let i = 0; i < SIGN_UP_CODE_MAX_ATTEMPTS; i++) {
      expect(codeOf(await check(wrong, at(i * 1000)))).toBe("UNAUTHORIZED");
    }
    // Every code accepted at the time took those tries: this window's and the one before.
    expect(codeOf(await check(first, at(10_000)))).toBe("UNAUTHORIZED");
    expect(codeOf(await check(older, at(10_000)))).toBe("UNAUTHORIZED");
    // Five minutes on, the first code would still be accepted by its window, but not by its
    // attempt limit; the new window's code works.
    expect(codeOf(await check(first, at(5 * MINUTE)))).toBe("UNAUTHORIZED");
    const fresh = await verifyCustomerCodeOrSignUp(
      t.db,
      env,
      { email, code: next },
      meta(),
      at(5 * MINUTE),
    );
    expect(fresh).toMatchObject({ status: "sign-up", email });
  });

  it("a right code after four wrong tries still works, as a stored code does", async () => {
    const email = `four-${unique()}@example.com`;
    const right = signUpCode(secret, email, T0);
    const wrong = otherThan(
      right,
      signUpCode(secret, email, at(-5 * MINUTE)),
      signUpCode(secret, email, at(-10 * MINUTE)),
    );
    const check = (code: string) =>
      outcome(verifyCustomerCodeOrSignUp(t.db, env, { email, code }, meta(), T0));
    for (let i = 0; i < SIGN_UP_CODE_MAX_ATTEMPTS - 1; i++) {
      expect(codeOf(await check(wrong))).toBe("UNAUTHORIZED");
    }
    expect(await check(right)).toBe("ok");
  });
});

describe("staff sign-in: a progressive delay, not a lockout", { timeout: 60_000 }, () => {
  const password = "front-desk-password-2026";
  async function member() {
    const [s] = await t.db
      .insert(schema.staffUsers)
      .values({
        email: `delay-${unique()}@example.com`,
        name: "Mila Delay",
        role: "FRONT_DESK",
        passwordHash: await hashPassword(password),
      })
      .returning();
    return s!;
  }
  const signIn = (email: string, pw: string, when: Date) =>
    outcome(signInStaff(t.db, env, { email, password: pw }, meta(), when));
  const shape = (o: AppError | "ok") =>
    o === "ok" ? "ok" : [o.code, o.message, o.retryAfterSeconds ?? null];

  it("waits 1, 2, 4 … s up to 5 minutes after five wrong passwords, alike for an unknown email; the right password then works", async () => {
    const m = await member();
    const nobody = `nobody-${unique()}@example.com`;
    const waits: number[] = [];
    let clock = 0;
    // The same tries for the member and an unknown email, side by side.
    const both = async (pw: string) => {
      const [a, b] = await Promise.all([
        signIn(m.email, pw, at(clock)),
        signIn(nobody, pw, at(clock)),
      ]);
      expect(shape(a!)).toEqual(shape(b!));
      return a!;
    };
    for (let i = 0; i < STAFF_SIGN_IN_DELAY.freeFailures; i++) {
      expect(codeOf(await both(`wrong-${i}-password`))).toBe("UNAUTHORIZED");
    }
    for (let i = 0; i < 11; i++) {
      // Straight away: asked to wait (even with the right password), told for how long.
      const refused = await both(password);
      expect(refused).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        message: expect.stringMatching(/^Too many attempts\. Try again in \d+ (second|minute)/),
      });
      const wait = (refused as AppError).retryAfterSeconds!;
      waits.push(wait);
      // Not a moment too early…
      clock += wait * 1000 - 500;
      expect(codeOf(await both(password))).toBe("TOO_MANY_REQUESTS");
      // …then one more try is heard (wrong again).
      clock += 500;
      expect(codeOf(await both(`still-wrong-${i}`))).toBe("UNAUTHORIZED");
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);

    // After the wait, the right password signs the member in and starts from nothing again.
    clock += 300_000;
    const ok = await signInStaff(t.db, env, { email: m.email, password }, meta(), at(clock));
    expect(ok.staff?.id).toBe(m.id);
    expect(await validateStaffSession(t.db, ok.token!, at(clock))).not.toBeNull();
    for (let i = 0; i < STAFF_SIGN_IN_DELAY.freeFailures; i++) {
      expect(codeOf(await signIn(m.email, `after-${i}`, at(clock)))).toBe("UNAUTHORIZED");
    }
    expect(codeOf(await signIn(m.email, password, at(clock)))).toBe("TOO_MANY_REQUESTS");
  });

  it("answers a refused sign-in no sooner than the floor, member or not", async () => {
    const m = await member();
    for (const email of [m.email, `floor-${unique()}@example.com`]) {
      const started = performance.now();
      expect(codeOf(await signIn(email, "not-the-password", T0))).toBe("UNAUTHORIZED");
      expect(performance.now() - started).toBeGreaterThanOrEqual(STAFF_SIGN_IN_FAILURE_ANSWER_MS);
    }
  });
});

describe("an alert email to the account holder after repeated failures", {
  timeout: 60_000,
}, () => {
  it("a customer: on the 5th wrong code of a day, once a day; never to an unknown address", async () => {
    const c = await insertCustomer(t.db, { name: "Vera Alert" });
    const stranger = `no-alert-${unique()}@example.com`;
    const { code } = await issueLoginCode(t.db, c.id, secret, T0);
    const wrong = otherThan(code);
    const fail = async (email: string, when: Date) => {
      const started = performance.now();
      expect(
        codeOf(await outcome(verifyCustomerCode(t.db, env, { email, code: wrong }, meta(), when))),
      ).toBe("UNAUTHORIZED");
      // The alert is rendered and queued inside this answer: its time must not show.
      expect(performance.now() - started).toBeGreaterThanOrEqual(CODE_CHECK_FAILURE_ANSWER_MS);
    };
    for (let i = 0; i < SIGN_IN_ALERT.afterFailures - 1; i++) await fail(c.email!, at(i * 1000));
    expect(await alertsTo(c.email!)).toHaveLength(0);
    await fail(c.email!, at(5000));
    const [alert, ...more] = await alertsTo(c.email!);
    expect(more).toHaveLength(0);
    expect(alert).toMatchObject({ customerId: c.id, kind: "TRANSACTIONAL" });
    expect(alert!.subject).toBe("Someone tried to sign in to your Xplorium account");
    expect(alert!.text).toMatch(/Hi Vera/i);
    // Nothing in it signs in: no code (the live one or the guesses), no link.
    for (const body of [alert!.text ?? "", alert!.html ?? "", alert!.subject]) {
      expect(body).not.toMatch(/\b\d{6}\b/);
      expect(body).not.toMatch(/href="http/);
    }
    // More failures the same day: still one email.
    for (let i = 0; i < 5; i++) await fail(c.email!, at(16 * MINUTE + i * 1000));
    expect(await alertsTo(c.email!)).toHaveLength(1);
    // The next day, five more: a second one.
    for (let i = 0; i < SIGN_IN_ALERT.afterFailures; i++) await fail(c.email!, at(25 * HOUR + i));
    expect(await alertsTo(c.email!)).toHaveLength(2);

    // An address without an account: as many failures, no alert, nothing stored about it.
    for (let i = 0; i < 10; i++) await fail(stranger, at(i * 1000));
    expect(await alertsTo(stranger)).toHaveLength(0);
    expect(
      await t.db.$count(schema.emailMessages, eq(schema.emailMessages.toEmail, stranger)),
    ).toBe(0);
  });

  it("a staff member: on the 5th wrong password of a day, once a day; never for an unknown email", async () => {
    const password = "manager-password-2026";
    const [s] = await t.db
      .insert(schema.staffUsers)
      .values({
        email: `alert-${unique()}@example.com`,
        name: "Nina Manager",
        role: "MANAGER",
        passwordHash: await hashPassword(password),
      })
      .returning();
    const nobody = `nobody-alert-${unique()}@example.com`;
    // A minute apart: the progressive delay never stands in the way here.
    for (let i = 0; i < 8; i++) {
      for (const email of [s!.email, nobody]) {
        expect(
          codeOf(
            await outcome(
              signInStaff(t.db, env, { email, password: `guess-${i}-pw` }, meta(), at(i * MINUTE)),
            ),
          ),
        ).toBe("UNAUTHORIZED");
      }
      expect(await alertsTo(s!.email)).toHaveLength(i + 1 < SIGN_IN_ALERT.afterFailures ? 0 : 1);
    }
    const [alert] = await alertsTo(s!.email);
    expect(alert).toMatchObject({ customerId: null, kind: "TRANSACTIONAL" });
    expect(alert!.text).toMatch(/Hi Nina/i);
    expect(alert!.text).toContain("wrong password");
    expect(alert!.text).not.toContain("guess-");
    expect(alert!.html).not.toMatch(/href="http/);
    expect(await alertsTo(nobody)).toHaveLength(0);
  });
});
