import {
  burnPasswordCheck,
  hashPassword,
  isCommonPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  verifyPassword,
} from "@xplorium/auth";
import { describe, expect, it } from "vitest";

/** `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` → its parts. */
function parsePhc(phc: string) {
  const parts = phc.split("$");
  expect(parts).toHaveLength(6);
  const [empty, algorithm, version, params, salt, hash] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  expect(empty).toBe("");
  const p = Object.fromEntries(params.split(",").map((kv) => kv.split("=") as [string, string]));
  return {
    algorithm,
    version: Number(version.replace(/^v=/, "")),
    m: Number(p.m),
    t: Number(p.t),
    p: Number(p.p),
    salt: Buffer.from(salt, "base64"),
    hash: Buffer.from(hash, "base64"),
  };
}

describe("password hashing", () => {
  const password = "correct horse battery staple";

  it("uses argon2id with OWASP parameters (19 MiB, 2 iterations, 1 lane)", async () => {
    const phc = await hashPassword(password);
    const parsed = parsePhc(phc);
    expect(parsed.algorithm).toBe("argon2id");
    expect(parsed.version).toBe(19);
    expect(parsed.m).toBe(19_456);
    expect(parsed.t).toBe(2);
    expect(parsed.p).toBe(1);
    expect(parsed.salt.byteLength).toBeGreaterThanOrEqual(16);
    expect(parsed.hash.byteLength).toBeGreaterThanOrEqual(32);
    expect(phc).not.toContain(password);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword(password), hashPassword(password)]);
    expect(a).not.toBe(b);
    expect(parsePhc(a).salt.equals(parsePhc(b).salt)).toBe(false);
    expect(await verifyPassword(a, password)).toBe(true);
    expect(await verifyPassword(b, password)).toBe(true);
  });

  it("verifies the right password and rejects wrong ones", async () => {
    const phc = await hashPassword(password);
    expect(await verifyPassword(phc, password)).toBe(true);
    expect(await verifyPassword(phc, "correct horse battery stapl")).toBe(false);
    expect(await verifyPassword(phc, "Correct horse battery staple")).toBe(false);
    expect(await verifyPassword(phc, `${password} `)).toBe(false);
    expect(await verifyPassword(phc, "")).toBe(false);
  });

  it("handles non-ASCII passwords", async () => {
    const phc = await hashPassword("šđčćž lozinka 🔑 2026");
    expect(await verifyPassword(phc, "šđčćž lozinka 🔑 2026")).toBe(true);
    expect(await verifyPassword(phc, "sdccz lozinka 🔑 2026")).toBe(false);
  });

  it("returns false (does not throw) for a malformed stored hash", async () => {
    expect(await verifyPassword("not-a-hash", password)).toBe(false);
    expect(await verifyPassword("", password)).toBe(false);
    expect(await verifyPassword("$argon2id$v=19$m=19456,t=2,p=1$broken", password)).toBe(false);
  });

  it("burns a comparable amount of time for unknown accounts", async () => {
    await expect(burnPasswordCheck("whatever-password")).resolves.toBeUndefined();
  });
});

describe("passwordProblem", () => {
  it("states the documented limits", () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBe(256);
  });

  it.each([
    ["empty", ""],
    ["short", "short"],
    ["one under the minimum", "a1b2c3d4e5f"],
  ])("rejects a too-short password (%s)", (_label, pw) => {
    expect(passwordProblem(pw)).toMatch(/at least 12 characters/);
  });

  it("rejects a too-long password", () => {
    expect(passwordProblem("x1".repeat(129))).toMatch(/at most 256 characters/);
  });

  it.each([
    // On the list as they are (case ignored).
    "qazwsxedcrfv",
    "1qaz2wsx3edc",
    "Q1W2E3R4T5Y6",
    "sonyericsson",
    "qaz123wsx456",
    // A listed password stretched to the length rule with digits or symbols around it.
    "iloveyou1234",
    "password1234",
    "Password1234",
    "PASSWORD12345",
    "dragon12345678",
    "Sunshine!!2024",
    "2024-football-!",
    "monkey_1234567",
    "xplorium1234",
    "Xplorium-2026!",
    // Repeated.
    "qwertyqwerty",
    "passwordpassword",
    "aaaaaaaaaaaa",
    "abcabcabcabc",
    "ababababab12",
  ])("rejects the common password %s", (pw) => {
    expect(passwordProblem(pw)).toMatch(/too common/);
  });

  it.each(["123456789012", "111111111111111", "8301-5521-9966", "!!!!????####"])(
    "asks for letters in %s",
    (pw) => {
      expect(passwordProblem(pw)).toMatch(/letters/);
    },
  );

  it("loads the committed list once: tens of thousands of entries, the most common first", () => {
    expect(isCommonPassword("123456")).toBe(true);
    expect(isCommonPassword("trustno1")).toBe(true);
    // Deep in the list (rank in the tens of thousands), not just its head.
    expect(isCommonPassword("qaz123wsx456")).toBe(true);
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) isCommonPassword(`not-on-any-list-${i}-zz`);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it.each([
    "a1b2c3d4e5f6",
    "correct horse battery staple",
    "Tr0ub4dor&3-extended",
    "Ćevapi u lepinji, molim",
    "monkey-business-at-noon",
    Array.from({ length: 256 }, (_, i) => "abcdefghijklmnopqrstuvwxyz"[(i * 7) % 26]).join(""),
  ])("accepts %s", (pw) => {
    expect(passwordProblem(pw)).toBeNull();
  });
});
