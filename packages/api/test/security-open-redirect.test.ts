import { MAX_NEXT_LENGTH, safeNext } from "@xplorium/api";
import { describe, expect, it } from "vitest";
import { lookalikeNext, safeNextCases, UNSAFE_NEXT } from "./open-redirect-payloads";

/**
 * Issue 14, finding 2: `?next=` is resolved as a browser would resolve it against the app's own
 * origin and taken only when it stays there, without control characters, backslashes or
 * whitespace (raw or percent-decoded). The apps' sign-in, code, sign-up and admin sign-in
 * routes replay the same table through their real actions (security-open-redirect tests in
 * apps/*\/test).
 */
const ORIGINS = ["https://portal.xplorium.example", "http://localhost:3000"];

describe.each(ORIGINS)("safeNext on %s", (origin) => {
  it.each(UNSAFE_NEXT.map((v) => [JSON.stringify(v).slice(0, 80), v]))(
    "refuses %s",
    (_label, value) => {
      expect(safeNext(value, origin)).toBeNull();
    },
  );

  it("refuses absolute URLs of look-alike origins", () => {
    for (const value of lookalikeNext(origin)) expect(safeNext(value, origin), value).toBeNull();
  });

  it("keeps paths on the app, normalised, and turns its own absolute URLs into paths", () => {
    for (const [value, expected] of safeNextCases(origin)) {
      expect(safeNext(value, origin), value).toBe(expected);
    }
  });

  it("refuses what is not a non-empty string", () => {
    for (const value of [undefined, null, "", 42, {}, ["/"], new Blob(["/"])]) {
      expect(safeNext(value, origin)).toBeNull();
    }
  });

  it("never answers anything but a path of at most MAX_NEXT_LENGTH that a browser keeps on the origin", () => {
    // Every answer, resolved by the URL parser as the browser does, stays on the origin.
    const candidates = [
      ...UNSAFE_NEXT,
      ...lookalikeNext(origin),
      ...safeNextCases(origin).map(([v]) => v),
      "rewards",
      "?x=1",
      "#top",
      "https:evil.example",
      "http:evil.example",
      "/%252F%252Fevil.example",
    ];
    for (const value of candidates) {
      const answer = safeNext(value, origin);
      if (answer === null) continue;
      expect(answer, value).toMatch(/^\/(?!\/)/);
      expect(answer.length).toBeLessThanOrEqual(MAX_NEXT_LENGTH);
      expect(new URL(answer, "https://elsewhere.example").host, value).toBe("elsewhere.example");
      expect(new URL(answer, origin).origin, value).toBe(new URL(origin).origin);
    }
  });
});
