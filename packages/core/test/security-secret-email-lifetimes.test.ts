import { LOGIN_CODE_TTL_SECONDS } from "@xplorium/auth";
import { SECRET_TEMPLATES } from "@xplorium/email";
import { describe, expect, it } from "vitest";
import { checkSignUpCode, signUpCode } from "../src/auth/sign-up-codes";

/**
 * Issue 14, finding 1: the development outbox shows a secret email's body, and the hourly purge
 * keeps it, for `validForSeconds` (TemplateDef.secret), which must be how long its code works:
 * no shorter (a developer could not sign in), no longer (a dead code's body kept for nothing).
 */
describe("secret email lifetimes", () => {
  it("a sign-in code email is kept as long as a login code lives", () => {
    expect(SECRET_TEMPLATES.get("sign-in-code")?.validForSeconds).toBe(LOGIN_CODE_TTL_SECONDS);
  });

  it("a sign-up code email is kept as long as the longest-lived sign-up code works", () => {
    const ttl = SECRET_TEMPLATES.get("sign-up-code")!.validForSeconds * 1000;
    const secret = "x".repeat(40);
    const email = "new@example.com";
    // Made at the very start of its 5-minute window, a code lives longest.
    const start = new Date(Math.ceil(Date.now() / 300_000) * 300_000);
    const code = signUpCode(secret, email, start);
    expect(checkSignUpCode(secret, email, code, new Date(start.getTime() + ttl - 1))).toBe(true);
    expect(checkSignUpCode(secret, email, code, new Date(start.getTime() + ttl))).toBe(false);
  });
});
