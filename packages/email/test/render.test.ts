import { renderEmail, transportFor } from "@xplorium/email";
import { describe, expect, it } from "vitest";

const props = (code = "042913") => ({
  name: "Ana Petrović",
  code,
  magicLink: "http://portal.test/auth/link?token=abc.def",
  expiresInMinutes: 10,
});

describe("renderEmail", () => {
  it("renders the sign-in code email with the code, link and expiry in html and text", async () => {
    const r = await renderEmail("sign-in-code", props());
    // The code is in the body only (issue 14): subjects show in inbox previews and are kept.
    expect(r.subject).toBe("Your Xplorium sign-in code");
    expect(r.html).toContain("042913");
    expect(r.html).toContain('href="http://portal.test/auth/link?token=abc.def"');
    expect(r.html).toContain("Hi Ana,");
    expect(r.text).toContain("042913");
    expect(r.text).toContain("http://portal.test/auth/link?token=abc.def");
    expect(r.text).toMatch(/expire in 10 minutes/);
    expect(r.text).not.toMatch(/<[a-z]/i);
  });

  it("greets without a name and escapes names", async () => {
    expect((await renderEmail("sign-in-code", { ...props(), name: null })).html).toContain("Hi,");
    const hostile = await renderEmail("sign-in-code", {
      ...props(),
      name: "<script>alert(1)</script> X",
    });
    expect(hostile.html).not.toContain("<script>alert(1)</script>");
  });
});

describe("the erasure confirmation", () => {
  it("renders without NUL characters (React 18 leaves some at this preview length)", async () => {
    const r = await renderEmail("account-erased", {
      erasedOn: "24 November 2026",
      requestedBy: "STAFF",
    });
    expect(r.html).not.toContain("\u0000");
    expect(r.text).not.toContain("\u0000");
    expect(r.subject).toBe("Your Xplorium account has been deleted");
  });
});

describe("transportFor", () => {
  it("uses the outbox without an API key and Resend with one", () => {
    expect(transportFor({}).name).toBe("OUTBOX");
    expect(transportFor({ RESEND_API_KEY: undefined }).name).toBe("OUTBOX");
    expect(transportFor({ RESEND_API_KEY: "re_123" }).name).toBe("RESEND");
  });
});
