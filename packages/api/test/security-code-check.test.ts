import { issueLoginCode, LOGIN_CODE_MAX_ATTEMPTS } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AUTH_LIMITS } from "../../core/src/auth/rate-limits";
import { signUpCode } from "../../core/src/auth/sign-up-codes";
import { emailSuppressionHash } from "../../core/src/privacy/suppression-hash";
import { insertCustomer, unique, useTrpcServers } from "./support";

/*
 * Issue 14, finding 3: `auth.customer.verifyCode` told customers from strangers ("already
 * used…" for a known address, "not right…" for an unknown one; 429 for a customer's locked code,
 * 401 for a stranger). Every failure of a code or a magic link now answers one status and one
 * message, whoever the address belongs to, and the lock after N tries is the same for all.
 * Asked over real HTTP, through the tRPC handler the portal mounts.
 */

const { t, env, portal } = useTrpcServers({
  apps: ["portal"],
  edge: false,
  env: { PORTAL_URL: "http://portal.test" },
});

interface Answer {
  status: number;
  code: string | undefined;
  message: string | undefined;
  retryAfter: string | null;
}

let ipSeq = 0;
/** A fresh client address per call unless given: the per-IP limits stay out of the way. */
async function post(path: string, input: unknown, ip?: string): Promise<Answer> {
  const res = await fetch(`${portal.url}/api/trpc/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-test-ip": ip ?? `10.14.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`,
    },
    body: JSON.stringify({ json: input }),
  });
  const body = (await res.json()) as {
    error?: { json: { message: string; data: { code: string } } };
  };
  return {
    status: res.status,
    code: body.error?.json.data.code,
    message: body.error?.json.message,
    retryAfter: res.headers.get("retry-after"),
  };
}
const verify = (email: string, code: string) => post("auth.customer.verifyCode", { email, code });
const verifyLink = (token: string) => post("auth.customer.verifyLink", { token });

/** What a failure looks like to the client: status, code and message (and Retry-After). */
const shape = (a: Answer) => [a.status, a.code, a.message, a.retryAfter];
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("auth.customer.verifyCode answers every failure alike", { timeout: 60_000 }, () => {
  it("unknown address, wrong, used, expired and locked codes: one status, one message", async () => {
    const secret = env.SESSION_SECRET;
    // The stranger's answer is the yardstick: an address without an account, a wrong code.
    const stranger = `stranger-${unique()}@example.com`;
    const yardstick = await verify(stranger, otherThan(signUpCode(secret, stranger)));
    expect(yardstick.status).toBe(401);
    expect(yardstick.code).toBe("UNAUTHORIZED");

    const cases: [string, () => Promise<Answer>][] = [
      [
        "a customer who never asked for a code",
        async () => verify((await insertCustomer(t.db)).email!, "123456"),
      ],
      [
        "a customer's wrong code",
        async () => {
          const c = await insertCustomer(t.db);
          const { code } = await issueLoginCode(t.db, c.id, secret);
          return verify(c.email!, otherThan(code));
        },
      ],
      [
        "a customer's code used once already",
        async () => {
          const c = await insertCustomer(t.db);
          const { code } = await issueLoginCode(t.db, c.id, secret);
          expect((await verify(c.email!, code)).status).toBe(200);
          return verify(c.email!, code);
        },
      ],
      [
        "a customer's expired code",
        async () => {
          const c = await insertCustomer(t.db);
          const { code } = await issueLoginCode(t.db, c.id, secret, minutesAgo(11));
          return verify(c.email!, code);
        },
      ],
      [
        "a customer's right code after it was locked by wrong tries",
        async () => {
          const c = await insertCustomer(t.db);
          const { code } = await issueLoginCode(t.db, c.id, secret);
          for (let i = 0; i < LOGIN_CODE_MAX_ATTEMPTS; i++) await verify(c.email!, otherThan(code));
          return verify(c.email!, code);
        },
      ],
      [
        "a stranger's expired sign-up code",
        async () => {
          const email = `late-${unique()}@example.com`;
          return verify(email, signUpCode(secret, email, minutesAgo(20)));
        },
      ],
      [
        "a suppressed address's sign-up code",
        async () => {
          const email = `bounced-${unique()}@example.com`;
          await t.db
            .insert(schema.suppressions)
            .values({ emailHash: emailSuppressionHash(email), reason: "HARD_BOUNCE" });
          return verify(email, signUpCode(secret, email));
        },
      ],
      [
        "an erased customer's code",
        async () => {
          const c = await insertCustomer(t.db);
          const { code } = await issueLoginCode(t.db, c.id, secret);
          await t.db
            .update(schema.customers)
            .set({ erasedAt: new Date() })
            .where(eq(schema.customers.id, c.id));
          return verify(c.email!, code);
        },
      ],
    ];
    for (const [what, attempt] of cases) {
      expect(shape(await attempt()), what).toEqual(shape(yardstick));
    }
  });

  it("the lock after N tries is the same for a customer and a stranger, then 429 alike", async () => {
    const secret = env.SESSION_SECRET;
    const customer = await insertCustomer(t.db);
    const { code: customerCode } = await issueLoginCode(t.db, customer.id, secret);
    const stranger = `newcomer-${unique()}@example.com`;
    const strangerCode = signUpCode(secret, stranger);
    // Each guessed at from one client IP of its own (the address limits are per address and IP).
    const people = [
      { email: customer.email!, right: customerCode, ip: "10.15.0.1" },
      { email: stranger, right: strangerCode, ip: "10.15.0.2" },
    ];
    const round = async (pick: (p: (typeof people)[number]) => string) => {
      const [a, b] = await Promise.all(
        people.map((p) =>
          post("auth.customer.verifyCode", { email: p.email, code: pick(p) }, p.ip),
        ),
      );
      expect(shape(a!)).toEqual(shape(b!));
      return a!;
    };

    // Wrong codes up to the per-code limit: the same 401 for both.
    for (let i = 0; i < LOGIN_CODE_MAX_ATTEMPTS; i++) {
      expect((await round((p) => otherThan(p.right))).status).toBe(401);
    }
    // Each one's own right code is now refused, in the same words (no 429 for the customer).
    const locked = await round((p) => p.right);
    expect(locked.status).toBe(401);
    // Up to the per-address window limit: still the same 401.
    for (let i = LOGIN_CODE_MAX_ATTEMPTS + 1; i < AUTH_LIMITS.codeCheckPerEmail.limit; i++) {
      expect((await round((p) => otherThan(p.right))).status).toBe(401);
    }
    // Then the address limit for that IP, for both alike: 429 with the same Retry-After.
    const limited = await round((p) => p.right);
    expect(limited.status).toBe(429);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
  });
});

describe("an address's code checks spent by others do not lock its owner out", {
  timeout: 60_000,
}, () => {
  it("an IP that spent an address's checks gets 429; the owner's right code from their own IP signs in", async () => {
    const secret = env.SESSION_SECRET;
    const customer = await insertCustomer(t.db);
    const stranger = `spent-${unique()}@example.com`;
    const { code } = await issueLoginCode(t.db, customer.id, secret);
    const wrong = otherThan(code);
    const attack = (email: string, ip: string) =>
      post("auth.customer.verifyCode", { email, code: wrong }, ip);
    for (let i = 0; i < AUTH_LIMITS.codeCheckPerEmail.limit; i++) {
      const [a, b] = await Promise.all([
        attack(customer.email!, "10.16.0.1"),
        attack(stranger, "10.16.0.2"),
      ]);
      expect(a!.status).toBe(401);
      expect(shape(a!)).toEqual(shape(b!));
    }
    const [a, b] = await Promise.all([
      attack(customer.email!, "10.16.0.1"),
      attack(stranger, "10.16.0.2"),
    ]);
    expect(a!.status).toBe(429);
    expect(shape(a!)).toEqual(shape(b!));
    // The attacker's wrong codes also used up the code itself (5 tries): the owner asks for a
    // new one and types it from their own IP: signed in.
    const fresh = await issueLoginCode(t.db, customer.id, secret);
    const owner = await post(
      "auth.customer.verifyCode",
      { email: customer.email!, code: fresh.code },
      "10.16.0.3",
    );
    expect(owner.status).toBe(200);
  });

  it("past the ceiling across all IPs even a fresh IP is refused a code check, alike for a stranger, but the magic link still signs the owner in (links are limited per IP only)", async () => {
    const secret = env.SESSION_SECRET;
    const customer = await insertCustomer(t.db);
    const stranger = `ceiling-${unique()}@example.com`;
    const ipsNeeded = Math.ceil(
      AUTH_LIMITS.codeCheckPerEmailAllIps.limit / AUTH_LIMITS.codeCheckPerEmail.limit,
    );
    // Several IPs each spend their 15 minutes' worth of checks at both addresses.
    await Promise.all(
      Array.from({ length: ipsNeeded }, async (_, n) => {
        for (let i = 0; i < AUTH_LIMITS.codeCheckPerEmail.limit; i++) {
          const [a, b] = await Promise.all([
            post(
              "auth.customer.verifyCode",
              { email: customer.email!, code: "000000" },
              `10.17.${n}.1`,
            ),
            post("auth.customer.verifyCode", { email: stranger, code: "000000" }, `10.17.${n}.2`),
          ]);
          expect([a!.status, b!.status]).toEqual([401, 401]);
        }
      }),
    );
    const { code, linkToken } = await issueLoginCode(t.db, customer.id, secret);
    const [a, b] = await Promise.all([
      post("auth.customer.verifyCode", { email: customer.email!, code }, "10.17.200.1"),
      post(
        "auth.customer.verifyCode",
        { email: stranger, code: signUpCode(secret, stranger) },
        "10.17.200.2",
      ),
    ]);
    expect(a!.status).toBe(429);
    expect(shape(a!)).toEqual(shape(b!));
    // The link from the same email: signed in.
    expect(
      (await post("auth.customer.verifyLink", { token: linkToken }, "10.17.200.3")).status,
    ).toBe(200);
  });
});

describe("auth.customer.verifyLink answers every failure alike", () => {
  it("unknown, malformed, used, expired and erased links: one status, one message", async () => {
    const secret = env.SESSION_SECRET;
    const used = await insertCustomer(t.db);
    const usedLink = await issueLoginCode(t.db, used.id, secret);
    expect((await verifyLink(usedLink.linkToken)).status).toBe(200);
    const expired = await insertCustomer(t.db);
    const expiredLink = await issueLoginCode(t.db, expired.id, secret, minutesAgo(11));
    const erased = await insertCustomer(t.db);
    const erasedLink = await issueLoginCode(t.db, erased.id, secret);
    await t.db
      .update(schema.customers)
      .set({ erasedAt: new Date() })
      .where(eq(schema.customers.id, erased.id));
    const replaced = await insertCustomer(t.db);
    const firstLink = await issueLoginCode(t.db, replaced.id, secret);
    await issueLoginCode(t.db, replaced.id, secret);

    const yardstick = await verifyLink(`${"a".repeat(32)}.${"b".repeat(43)}`);
    expect(yardstick.status).toBe(401);
    const cases: [string, string][] = [
      ["used", usedLink.linkToken],
      ["expired", expiredLink.linkToken],
      ["erased customer", erasedLink.linkToken],
      ["replaced by a newer code", firstLink.linkToken],
      ["wrong secret", `${usedLink.id}.${"c".repeat(43)}`],
      ["not even the right shape", "not-a-sign-in-link"],
    ];
    for (const [what, token] of cases) {
      expect(shape(await verifyLink(token)), what).toEqual(shape(yardstick));
    }
  });
});
