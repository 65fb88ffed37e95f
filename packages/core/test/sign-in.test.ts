import { hashPassword, validateCustomerSession, validateStaffSession } from "@xplorium/auth";
import { loadEnv } from "@xplorium/config";
import { requestCustomerCode, signInStaff, verifyCustomerLink } from "@xplorium/core/auth";
import { AppError } from "@xplorium/core/errors";
import { schema } from "@xplorium/db";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { LINK_FAILED, verifyCustomerCode } from "../src/auth/customer-sign-in";
import { AUTH_LIMITS } from "../src/auth/rate-limits";
import { metaPerCall, useTestDatabase } from "./support";

const env = loadEnv({ NODE_ENV: "test", PORTAL_URL: "http://portal.test" });
const meta = metaPerCall("198.51.100.");

const t = useTestDatabase();

let seq = 0;
async function customer() {
  const k = ++seq;
  const [c] = await t.db
    .insert(schema.customers)
    .values({ email: `signin${k}@example.com`, name: `Customer ${k}`, referralCode: `XPSI${k}` })
    .returning();
  return c!;
}
async function staff(opts: { password: string; disabled?: boolean }) {
  const k = ++seq;
  const [s] = await t.db
    .insert(schema.staffUsers)
    .values({
      email: `staff${k}@example.com`,
      name: `Staff ${k}`,
      role: "FRONT_DESK",
      passwordHash: await hashPassword(opts.password),
      disabledAt: opts.disabled ? new Date() : null,
    })
    .returning();
  return s!;
}

/** The code and link from the outbox email (OUTBOX transport: the row is the delivery). */
async function latestEmail(to: string) {
  const [row] = await t.db
    .select()
    .from(schema.emailMessages)
    .where(eq(schema.emailMessages.toEmail, to))
    .orderBy(desc(schema.emailMessages.createdAt))
    .limit(1);
  expect(row).toBeDefined();
  const code = /\b(\d{6})\b/.exec(row!.text ?? "")![1]!;
  const token = new URL(
    /href="([^"]*\/auth\/link\?[^"]+)"/.exec(row!.html ?? "")![1]!.replaceAll("&amp;", "&"),
  ).searchParams.get("token")!;
  return { row: row!, code, token };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("customer sign-in (outbox)", () => {
  it("sends through the outbox without an API key and signs in with the code", async () => {
    const c = await customer();
    expect(
      await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email: c.email! }),
    ).toEqual({
      sent: true,
      expiresInMinutes: 10,
    });
    const { row, code } = await latestEmail(c.email!);
    expect(row.transport).toBe("OUTBOX");
    const { token } = await verifyCustomerCode(
      { db: t.db, config: env, meta: meta() },
      { email: c.email!, code },
    );
    expect((await validateCustomerSession(t.db, token))?.principal.customer.id).toBe(c.id);
    const [audit] = await t.db
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.action, "auth.customer.sign_in"),
          eq(schema.auditLog.entityId, c.id),
        ),
      );
    expect(audit).toMatchObject({ actorType: "CUSTOMER", actorId: c.id });
  });

  it("sends nothing to an erased customer, yet answers the same", async () => {
    const c = await customer();
    await t.db
      .update(schema.customers)
      .set({ erasedAt: new Date() })
      .where(eq(schema.customers.id, c.id));
    expect(
      await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email: c.email! }),
    ).toEqual({
      sent: true,
      expiresInMinutes: 10,
    });
    expect(
      await t.db.$count(schema.emailMessages, eq(schema.emailMessages.toEmail, c.email!)),
    ).toBe(0);
  });

  it("limits code requests per email and client IP, with a retry time", async () => {
    const c = await customer();
    const now = new Date();
    const ip = meta();
    for (let i = 0; i < AUTH_LIMITS.codeRequestPerEmail.limit; i++) {
      await requestCustomerCode({ db: t.db, config: env, meta: ip, now }, { email: c.email! });
    }
    const err = await rejection(
      requestCustomerCode({ db: t.db, config: env, meta: ip, now }, { email: c.email! }),
    );
    expect(err.code).toBe("TOO_MANY_REQUESTS");
    expect(err.retryAfterSeconds).toBe(AUTH_LIMITS.codeRequestPerEmail.windowSeconds);
    // An unknown address is limited the same way (no enumeration through the limiter).
    const stranger = `nobody-${seq}@example.com`;
    const strangerIp = meta();
    for (let i = 0; i < AUTH_LIMITS.codeRequestPerEmail.limit; i++) {
      await requestCustomerCode(
        { db: t.db, config: env, meta: strangerIp, now },
        { email: stranger },
      );
    }
    expect(
      (
        await rejection(
          requestCustomerCode(
            { db: t.db, config: env, meta: strangerIp, now },
            { email: stranger },
          ),
        )
      ).code,
    ).toBe("TOO_MANY_REQUESTS");
  });

  it("limits code checks per email and client IP before looking at the code", async () => {
    const c = await customer();
    await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email: c.email! });
    const { code } = await latestEmail(c.email!);
    const now = new Date();
    const ip = meta();
    // Burn the IP's check budget for the address with a locked code, then even the right code
    // is refused from that IP.
    for (let i = 0; i < AUTH_LIMITS.codeCheckPerEmail.limit; i++) {
      await rejection(
        verifyCustomerCode(
          { db: t.db, config: env, meta: ip, now },
          { email: c.email!, code: "000000" === code ? "111111" : "000000" },
        ),
      );
    }
    const err = await rejection(
      verifyCustomerCode({ db: t.db, config: env, meta: ip, now }, { email: c.email!, code }),
    );
    expect(err.code).toBe("TOO_MANY_REQUESTS");
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("answers the same for an unknown email as for a wrong code", async () => {
    const c = await customer();
    await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email: c.email! });
    const { code } = await latestEmail(c.email!);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const a = await rejection(
      verifyCustomerCode({ db: t.db, config: env, meta: meta() }, { email: c.email!, code: wrong }),
    );
    const b = await rejection(
      verifyCustomerCode(
        { db: t.db, config: env, meta: meta() },
        { email: `ghost-${seq}@example.com`, code: wrong },
      ),
    );
    expect([a.code, a.message]).toEqual([b.code, b.message]);
  });

  it("the magic link signs in once; not for an erased customer", async () => {
    const c = await customer();
    await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email: c.email! });
    const { token } = await latestEmail(c.email!);
    const { token: session } = await verifyCustomerLink({ db: t.db, meta: meta() }, { token });
    expect(await validateCustomerSession(t.db, session)).not.toBeNull();
    // Used, like every other link that does not sign in: one status, one message (issue 14).
    const used = await rejection(verifyCustomerLink({ db: t.db, meta: meta() }, { token }));
    expect([used.code, used.message]).toEqual(["UNAUTHORIZED", LINK_FAILED]);

    const erased = await customer();
    await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email: erased.email! });
    const link = (await latestEmail(erased.email!)).token;
    await t.db
      .update(schema.customers)
      .set({ erasedAt: new Date() })
      .where(eq(schema.customers.id, erased.id));
    const gone = await rejection(verifyCustomerLink({ db: t.db, meta: meta() }, { token: link }));
    expect([gone.code, gone.message]).toEqual(["UNAUTHORIZED", LINK_FAILED]);
  });
});

describe("staff sign-in", () => {
  const password = "front-desk-password-2026";

  it("opens a session, stamps last sign-in and audits", async () => {
    const s = await staff({ password });
    const { token, staff: who } = await signInStaff(
      { db: t.db, config: env, meta: meta() },
      { email: s.email, password },
    );
    expect(who).toEqual({ id: s.id, email: s.email, name: s.name, role: "FRONT_DESK" });
    expect((await validateStaffSession(t.db, token!))?.principal.staff.id).toBe(s.id);
    const [row] = await t.db.select().from(schema.staffUsers).where(eq(schema.staffUsers.id, s.id));
    expect(row!.lastSignInAt).toBeInstanceOf(Date);
    expect(
      await t.db.$count(
        schema.auditLog,
        and(eq(schema.auditLog.action, "auth.staff.sign_in"), eq(schema.auditLog.entityId, s.id)),
      ),
    ).toBe(1);
  });

  it("refuses a wrong password and a disabled account with the same message, auditing the reason", async () => {
    const s = await staff({ password });
    const disabled = await staff({ password, disabled: true });
    const wrong = await rejection(
      signInStaff(
        { db: t.db, config: env, meta: meta() },
        { email: s.email, password: "nope-nope-nope" },
      ),
    );
    const off = await rejection(
      signInStaff({ db: t.db, config: env, meta: meta() }, { email: disabled.email, password }),
    );
    const unknown = await rejection(
      signInStaff(
        { db: t.db, config: env, meta: meta() },
        { email: "nobody@example.com", password },
      ),
    );
    for (const e of [wrong, off, unknown])
      expect([e.code, e.message]).toEqual(["UNAUTHORIZED", "Email or password is incorrect."]);
    const reasons = await t.db
      .select({ entityId: schema.auditLog.entityId, details: schema.auditLog.details })
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "auth.staff.sign_in_failed"));
    expect(reasons).toEqual(
      expect.arrayContaining([
        { entityId: s.id, details: { reason: "wrong_password" } },
        { entityId: disabled.id, details: { reason: "disabled" } },
      ]),
    );
    expect(await t.db.$count(schema.sessions, eq(schema.sessions.staffUserId, disabled.id))).toBe(
      0,
    );
  });
});
