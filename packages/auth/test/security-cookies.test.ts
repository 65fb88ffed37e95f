import { readCookie, readSessionCookie } from "@xplorium/auth";
import { describe, expect, it } from "vitest";

/**
 * Issue 14, finding 6: a cookie the server cannot read is no cookie (the request is anonymous),
 * never an exception that becomes a 500. The apps' pages and tRPC are fuzzed over HTTP in
 * apps/*\/test/security-cookies.test.ts.
 */
describe("reading cookies", () => {
  it("reads a value that cannot be percent-decoded as no cookie", () => {
    for (const value of ["%E0%A4", "%", "%zz", "abc%E0", "%ED%A0%80"]) {
      expect(readCookie(`xp_staff_session=${value}`, "xp_staff_session"), value).toBeNull();
    }
    // Other cookies of the header are still read.
    expect(readCookie("broken=%E0%A4; theme=dark%20blue", "theme")).toBe("dark blue");
  });

  it("takes a session token only in the shape createSession gives it", () => {
    const settings = { secure: false };
    const read = (value: string) =>
      readSessionCookie(`a=1; xp_customer_session=${value}`, "CUSTOMER", settings);
    expect(read("abcdefghijk23456789mnpqr.stuvwxyz23456789abcdefgh")).toBe(
      "abcdefghijk23456789mnpqr.stuvwxyz23456789abcdefgh",
    );
    for (const value of [
      "%E0%A4",
      "%00abc.def",
      "abc.%00def",
      "abc",
      "abc.def.ghi",
      ".def",
      "abc.",
      "ABC.DEF",
      "abc.def%20",
      `${"a".repeat(65)}.def`,
      "' or 1=1 --.x",
    ]) {
      expect(read(value), value).toBeNull();
    }
    // The staff cookie is never read as the customer's, nor the other way round.
    expect(readSessionCookie("xp_staff_session=abc.def", "CUSTOMER", settings)).toBeNull();
    expect(readSessionCookie("__Host-xp_staff_session=abc.def", "STAFF", settings)).toBeNull();
    expect(readSessionCookie("__Host-xp_staff_session=abc.def", "STAFF", { secure: true })).toBe(
      "abc.def",
    );
  });
});
