import { DEMO_STAFF } from "@xplorium/core/seed";
import { describe, expect, it } from "vitest";
import { adminUrl, portalUrl } from "../../tooling/e2e/browser";

// The production HTTP edge both apps share (packages/server/src/app-server.ts).
const owner = DEMO_STAFF.find((s) => s.role === "OWNER")!;
const signInBody = JSON.stringify({ json: { email: owner.email, password: owner.password } });

describe("HTTP edge", () => {
  it("refuses cross-site state changes on /api/trpc and on Remix actions", async () => {
    const trpc = await fetch(adminUrl("/api/trpc/auth.staff.signIn"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: signInBody,
    });
    expect(trpc.status).toBe(403);
    expect(trpc.headers.get("set-cookie")).toBeNull();

    const action = await fetch(portalUrl("/sign-in"), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "cross-site",
      },
      body: "intent=request&email=parent%40example.com",
    });
    expect(action.status).toBe(403);

    // A browser-less POST with no Origin and no API key is refused too.
    const bare = await fetch(adminUrl("/api/trpc/auth.staff.signIn"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: signInBody,
    });
    expect(bare.status).toBe(403);
  });

  it("accepts the same request from the app's own origin", async () => {
    const res = await fetch(adminUrl("/api/trpc/auth.staff.signIn"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: new URL(adminUrl()).origin },
      body: signInBody,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(
      /^__Host-xp_staff_session=[a-z2-9]{24}\.[a-z2-9]{24}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/,
    );
  });

  it("sends a CSP whose nonce is on every inline script, and the usual headers", async () => {
    const res = await fetch(portalUrl("/sign-in"));
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce per request.
    const again = (await fetch(portalUrl("/sign-in"))).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
  });

  it("answers unknown pages with a calm 404 and no stack trace", async () => {
    const res = await fetch(adminUrl("/no-such-page"));
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("We could not find that page.");
    expect(html).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it("answers /healthz and /readyz on both apps", async () => {
    for (const url of [adminUrl, portalUrl]) {
      const health = await fetch(url("/healthz"));
      expect(health.status).toBe(200);
      const ready = await fetch(url("/readyz"));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({
        status: "ready",
        checks: { database: "ok", migrations: "ok" },
      });
    }
  });
});
