import {
  burnPasswordCheck,
  hashPassword,
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
    "password1234",
    "Password1234",
    "PASSWORD12345",
    "123456789012",
    "qwertyuiop12",
    "xplorium1234",
    "aaaaaaaaaaaa",
    "111111111111111",
  ])("rejects the common password %s", (pw) => {
    expect(passwordProblem(pw)).toMatch(/too common/);
  });

  it.each([
    "a1b2c3d4e5f6",
    "correct horse battery staple",
    "Tr0ub4dor&3-extended",
    `${"ab".repeat(128)}`,
  ])("accepts %s", (pw) => {
    expect(passwordProblem(pw)).toBeNull();
  });
});
