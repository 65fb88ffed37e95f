import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import {
  generateRecoveryCode,
  generateTotpSecret,
  groupTotpSecret,
  matchTotp,
  normalizeRecoveryCode,
  openSecret,
  recoveryCodeHash,
  sealSecret,
  totpStep,
  totpUri,
} from "../src/two-factor";

/** RFC 6238 Appendix B's SHA-1 key ("12345678901234567890"), in Base32. */
const RFC_SECRET = Secret.fromLatin1("12345678901234567890").base32;

const code = (secret: string, at: Date) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });

describe("TOTP", () => {
  it("matches RFC 6238's SHA-1 test vectors (6 digits: the last six of the RFC's eight)", () => {
    const vectors: [number, string][] = [
      [59, "287082"],
      [1111111109, "081804"],
      [1111111111, "050471"],
      [1234567890, "005924"],
      [2000000000, "279037"],
    ];
    for (const [seconds, expected] of vectors) {
      const at = new Date(seconds * 1000);
      expect(matchTotp(RFC_SECRET, expected, at)).toBe(totpStep(at));
    }
  });

  it("accepts the step before and after (drift), not two away, and says which step matched", () => {
    const secret = generateTotpSecret();
    const now = new Date("2026-03-01T10:00:15Z");
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) {
      const at = new Date(now.getTime() + offset * 30_000);
      expect(matchTotp(secret, code(secret, at), now)).toBe(step + offset);
    }
    for (const offset of [-2, 2]) {
      const at = new Date(now.getTime() + offset * 30_000);
      expect(matchTotp(secret, code(secret, at), now)).toBeNull();
    }
  });

  it("refuses anything but six digits, and another secret's code", () => {
    const secret = generateTotpSecret();
    const now = new Date();
    const right = code(secret, now);
    for (const wrong of ["", "12345", "1234567", `${right} `, "abcdef", "١٢٣٤٥٦"]) {
      expect(matchTotp(secret, wrong, now)).toBeNull();
    }
    expect(matchTotp(generateTotpSecret(), right, now)).toBeNull();
  });

  it("makes 160-bit Base32 secrets and an otpauth:// URI an authenticator app reads", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, "ana@xplorium.example");
    expect(uri).toBe(
      `otpauth://totp/Xplorium%20CRM:ana%40xplorium.example?issuer=Xplorium%20CRM&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(groupTotpSecret("ABCDEFGHIJ")).toBe("ABCD EFGH IJ");
  });
});

describe("sealed secrets", () => {
  const opts = { rootSecret: "x".repeat(40), purpose: "totp-secret", binding: "staff-1" };

  it("open with the same key, purpose and binding only", () => {
    const sealed = sealSecret("JBSWY3DPEHPK3PXP", opts);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(sealSecret("JBSWY3DPEHPK3PXP", opts)).not.toBe(sealed);
    expect(openSecret(sealed, opts)).toBe("JBSWY3DPEHPK3PXP");
    expect(openSecret(sealed, { ...opts, rootSecret: "y".repeat(40) })).toBeNull();
    expect(openSecret(sealed, { ...opts, purpose: "other" })).toBeNull();
    expect(openSecret(sealed, { ...opts, binding: "staff-2" })).toBeNull();
  });

  it("refuse a tampered or malformed value instead of throwing", () => {
    const sealed = sealSecret("JBSWY3DPEHPK3PXP", opts);
    const [v, iv, ct, tag] = sealed.split(".") as [string, string, string, string];
    const flipped = Buffer.from(ct, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    for (const bad of [
      `${v}.${iv}.${flipped.toString("base64url")}.${tag}`,
      `v2.${iv}.${ct}.${tag}`,
      `${v}.${iv}.${ct}`,
      `${v}.AAAA.${ct}.${tag}`,
      "JBSWY3DPEHPK3PXP",
      "",
    ]) {
      expect(openSecret(bad, opts)).toBeNull();
    }
  });
});

describe("recovery codes", () => {
  it("are ten unambiguous characters in two groups, hashed in their canonical form", () => {
    const codes = Array.from({ length: 50 }, generateRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[a-km-np-z2-9]{5}-[a-km-np-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
    const c = codes[0]!;
    expect(normalizeRecoveryCode(` ${c.toUpperCase().replace("-", " - ")} `)).toBe(
      c.replace("-", ""),
    );
    expect(recoveryCodeHash(c.toUpperCase())).toEqual(recoveryCodeHash(c.replace("-", "")));
    expect(normalizeRecoveryCode("123456")).toBeNull();
    expect(normalizeRecoveryCode(`${c}x`)).toBeNull();
  });
});
