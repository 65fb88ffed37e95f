import { validateCustomerSession } from "@xplorium/auth";
import { loadEnv } from "@xplorium/config";
import {
  openSignUpLink,
  requestCustomerCode,
  signUpCustomer,
  verifyCustomerCodeOrSignUp,
} from "@xplorium/core/auth";
import { AppError } from "@xplorium/core/errors";
import { schema } from "@xplorium/db";
import { insertCustomer, unique } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AUTH_LIMITS } from "../src/auth/rate-limits";
import {
  checkSignUpCode,
  readSignUpTicket,
  signSignUpTicket,
  signUpCode,
} from "../src/auth/sign-up-codes";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";
import { metaPerCall, useTestDatabase } from "./support";

const env = loadEnv({ NODE_ENV: "test", PORTAL_URL: "http://portal.test" });
const secret = env.SESSION_SECRET;
const meta = metaPerCall("203.0.113.");

const t = useTestDatabase();

const newEmail = () => `signup-${unique()}@example.com`;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** A form ticket the way the sign-in page gets one: the right sign-up code. */
async function formTicket(email: string) {
  const r = await verifyCustomerCodeOrSignUp(
    { db: t.db, config: env, meta: meta() },
    { email, code: signUpCode(secret, email) },
  );
  if (r.status !== "sign-up") throw new Error("expected the sign-up step");
  return r.ticket;
}

describe("sign-up codes and tickets", () => {
  it("a code works for at least ten minutes, for that address only", () => {
    const email = newEmail();
    const at = new Date("2026-04-01T10:00:00Z");
    const code = signUpCode(secret, email, at);
    expect(code).toMatch(/^\d{6}$/);
    expect(checkSignUpCode(secret, email, code, at)).toBe(true);
    expect(checkSignUpCode(secret, email, code, new Date(at.getTime() + 10 * 60_000))).toBe(true);
    expect(checkSignUpCode(secret, email, code, new Date(at.getTime() + 16 * 60_000))).toBe(false);
    expect(checkSignUpCode(secret, newEmail(), code, at)).toBe(false);
    expect(checkSignUpCode("another-secret-another-secret-0123", email, code, at)).toBe(false);
  });

  it("a ticket is refused for the other purpose, once expired, or when tampered with", () => {
    const now = new Date("2026-04-01T10:00:00Z");
    const { ticket } = signSignUpTicket(secret, "link", "ana@example.com", now);
    expect(readSignUpTicket(secret, ticket, "link", now)?.email).toBe("ana@example.com");
    expect(readSignUpTicket(secret, ticket, "form", now)).toBeNull();
    expect(readSignUpTicket(secret, ticket, "link", new Date(now.getTime() + 11 * 60_000))).toBe(
      null,
    );
    const [body, mac] = ticket.split(".") as [string, string];
    const forged = Buffer.from(
      Buffer.from(body, "base64url").toString().replace("ana@", "eve@"),
    ).toString("base64url");
    expect(readSignUpTicket(secret, `${forged}.${mac}`, "link", now)).toBeNull();
    expect(readSignUpTicket(secret, "garbage", "link", now)).toBeNull();
  });
});

describe("requestCustomerCode for an address without an account", () => {
  it("mails a sign-up code with a link; nothing is stored about the address", async () => {
    const email = newEmail();
    const before = await t.db.$count(schema.customers);
    expect(
      await requestCustomerCode(
        { db: t.db, config: env, meta: meta() },
        { email, referralCode: "XPFRIEND" },
      ),
    ).toEqual({
      sent: true,
      expiresInMinutes: 10,
    });
    const [mail] = await t.db
      .select()
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.toEmail, email));
    expect(mail).toMatchObject({
      template: "sign-up-code",
      kind: "TRANSACTIONAL",
      customerId: null,
    });
    expect(mail!.text).toContain(signUpCode(secret, email));
    const link = new URL(
      /href="([^"]*\/sign-up\?[^"]+)"/.exec(mail!.html!)![1]!.replaceAll("&amp;", "&"),
    );
    expect(link.searchParams.get("ref")).toBe("XPFRIEND");
    expect(await t.db.$count(schema.customers)).toBe(before);
    expect(await t.db.$count(schema.loginCodes)).toBe(0);

    const opened = await openSignUpLink(
      { db: t.db, config: env },
      { token: link.searchParams.get("token")! },
    );
    expect(opened).toMatchObject({ status: "ready", email });
  });

  it("mails nothing to a suppressed address or a merged family's old address, and neither can sign up", async () => {
    const suppressed = newEmail();
    await t.db
      .insert(schema.suppressions)
      .values({ emailHash: emailSuppressionHash(suppressed), reason: "HARD_BOUNCE" });
    const survivor = await insertCustomer(t.db);
    const alias = newEmail();
    await t.db
      .insert(schema.customerEmailAliases)
      .values({ email: alias, customerId: survivor.id });
    for (const email of [suppressed, alias]) {
      await requestCustomerCode({ db: t.db, config: env, meta: meta() }, { email });
      expect(await t.db.$count(schema.emailMessages, eq(schema.emailMessages.toEmail, email))).toBe(
        0,
      );
      const err = await rejection(
        verifyCustomerCodeOrSignUp(
          { db: t.db, config: env, meta: meta() },
          { email, code: signUpCode(secret, email) },
        ),
      );
      expect(err.code).toBe("UNAUTHORIZED");
    }
  });

  it("counts sign-up code checks against the same per-email (and IP) limit as sign-in codes", async () => {
    const email = newEmail();
    const right = signUpCode(secret, email);
    const wrong = right === "000000" ? "111111" : "000000";
    const now = new Date();
    const ip = meta();
    for (let i = 0; i < AUTH_LIMITS.codeCheckPerEmail.limit; i++) {
      await rejection(
        verifyCustomerCodeOrSignUp(
          { db: t.db, config: env, meta: ip, now },
          { email, code: wrong },
        ),
      );
    }
    const err = await rejection(
      verifyCustomerCodeOrSignUp({ db: t.db, config: env, meta: ip, now }, { email, code: right }),
    );
    expect(err.code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("signUpCustomer", () => {
  it("creates the customer without consent and opens a session", async () => {
    const email = newEmail();
    const result = await signUpCustomer(
      { db: t.db, config: env, meta: meta() },
      { ticket: await formTicket(email) },
    );
    const session = await validateCustomerSession(t.db, result.token);
    expect(session?.principal.customer.id).toBe(result.customer.id);
    const [c] = await t.db.select().from(schema.customers).where(eq(schema.customers.email, email));
    expect(c).toMatchObject({ marketingOptIn: false, smsOptIn: false, name: null });
    expect(c!.referralCode).toMatch(/^XP[2-9A-Z]{6}$/);
  });

  it("two different sign-ups racing for one address make one account; the other is told to sign in", async () => {
    const email = newEmail();
    const [a, b] = [await formTicket(email), await formTicket(email)];
    const results = await Promise.allSettled([
      signUpCustomer({ db: t.db, config: env, meta: meta() }, { ticket: a }),
      signUpCustomer({ db: t.db, config: env, meta: meta() }, { ticket: b }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: "CONFLICT", message: /already an account/ });
    expect(await t.db.$count(schema.customers, eq(schema.customers.email, email))).toBe(1);
  });

  it("refuses a ticket for an address that is already a customer", async () => {
    const existing = await insertCustomer(t.db);
    const { ticket } = signSignUpTicket(secret, "form", existing.email!);
    const err = await rejection(
      signUpCustomer({ db: t.db, config: env, meta: meta() }, { ticket }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(
      await openSignUpLink(
        { db: t.db, config: env },
        { token: signSignUpTicket(secret, "link", existing.email!).ticket },
      ),
    ).toEqual({ status: "exists" });
  });

  it("applies the friend's code through the referral rules: a look-alike of the referrer is refused", async () => {
    const referrer = await insertCustomer(t.db, { email: `ana.kovac-${unique()}@example.com` });
    const [local, domain] = referrer.email!.split("@") as [string, string];
    const lookalike = `${local.replace(".", "")}+kids@${domain}`;
    const err = await rejection(
      signUpCustomer(
        { db: t.db, config: env, meta: meta() },
        { ticket: await formTicket(lookalike), referralCode: referrer.referralCode },
      ),
    );
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.fieldErrors?.referralCode?.[0]).toMatch(/same email address/);
    expect(await t.db.$count(schema.customers, eq(schema.customers.email, lookalike))).toBe(0);
  });
});
