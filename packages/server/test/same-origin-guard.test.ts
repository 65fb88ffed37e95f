import type { Server } from "node:http";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { AppName } from "@xplorium/api";
import {
  ONE_CLICK_UNSUBSCRIBE,
  RESEND_WEBHOOK,
  SAME_ORIGIN_EXEMPTIONS,
  sameOriginGuard,
} from "@xplorium/server";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The same-origin guard's exemptions: only the portal has one (RFC 8058 one-click unsubscribe),
 * for POST to `/unsubscribe/<token>` exactly. Paths are sent as written (node:http, not fetch,
 * which would normalise `..`), because the guard must hold for what reaches Remix after the URL
 * parser normalises it.
 */

const APP_ORIGIN = "http://portal.example";
const servers: Record<AppName, { url: string; close: () => Promise<void> }> = {} as never;

async function start(app: AppName) {
  const server = express();
  server.use(sameOriginGuard(APP_ORIGIN, SAME_ORIGIN_EXEMPTIONS[app]));
  server.use((req, res) => {
    res.json({ reached: req.path, origin: req.get("origin") ?? null });
  });
  const listener = await new Promise<Server>((resolve) => {
    const l = server.listen(0, "127.0.0.1", () => resolve(l));
  });
  return {
    url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => listener.close(() => resolve())),
  };
}

beforeAll(async () => {
  servers.admin = await start("admin");
  servers.portal = await start("portal");
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

function send(app: AppName, method: string, path: string, headers: Record<string, string> = {}) {
  const url = new URL(servers[app].url);
  const body = method === "GET" ? "" : "List-Unsubscribe=One-Click";
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: false,
        headers: { "content-length": String(body.length), ...headers },
      },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString("utf8");
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const TOKEN =
  "0b6f9a5e-3c52-4d7e-9a41-2f0e8c1d7b63.email.Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg";

describe("same-origin exemptions", () => {
  it("the one-click pattern matches a token path and nothing that could reach another route", () => {
    const yes = [`/unsubscribe/${TOKEN}`, "/unsubscribe/abc", `/unsubscribe/${TOKEN}.data`];
    const no = [
      "/unsubscribe",
      "/unsubscribe/",
      `/unsubscribe/${TOKEN}/`,
      `/unsubscribe/${TOKEN}/x`,
      "/unsubscribe/..",
      "/unsubscribe/.",
      "/unsubscribe/a..b",
      "/unsubscribe/.hidden",
      "/unsubscribe/a.",
      "/unsubscribe/%2e%2e",
      "/unsubscribe/a%2fb",
      "/unsubscribe/a\\..",
      "//unsubscribe/abc",
      "/x/unsubscribe/abc",
      "/UNSUBSCRIBE/abc",
    ];
    for (const p of yes) expect(ONE_CLICK_UNSUBSCRIBE.path.test(p), p).toBe(true);
    for (const p of no) expect(ONE_CLICK_UNSUBSCRIBE.path.test(p), p).toBe(false);
    expect(ONE_CLICK_UNSUBSCRIBE.method).toBe("POST");
    expect(SAME_ORIGIN_EXEMPTIONS.admin).toEqual([RESEND_WEBHOOK]);
  });

  it("the portal lets a header-less or cross-site POST reach /unsubscribe/<token>, Origin dropped", async () => {
    for (const headers of [
      {} as Record<string, string>,
      { origin: "https://webmail.example", "sec-fetch-site": "cross-site" },
      { origin: "null" },
    ]) {
      const res = await send("portal", "POST", `/unsubscribe/${TOKEN}`, headers);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ reached: `/unsubscribe/${TOKEN}`, origin: null });
    }
  });

  it("the portal still refuses cross-site and header-less writes everywhere else", async () => {
    const paths = [
      "/",
      "/sign-out",
      "/api/trpc/auth.signOut",
      `/consent/confirm/${TOKEN}`,
      "/unsubscribe/..",
      `/unsubscribe/${TOKEN}/../../sign-out`,
      "/unsubscribe/%2e%2e",
    ];
    for (const path of paths) {
      for (const headers of [{}, { origin: "https://evil.example" }] as Record<string, string>[]) {
        const res = await send("portal", "POST", path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect((await send("portal", method, `/unsubscribe/${TOKEN}`)).status, method).toBe(403);
    }
    // Same-origin writes are untouched, Origin kept.
    const own = await send("portal", "POST", "/sign-out", { origin: APP_ORIGIN });
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body).origin).toBe(APP_ORIGIN);
  });

  it("the admin's only exemption is POST /api/webhooks/resend exactly", async () => {
    expect((await send("admin", "POST", `/unsubscribe/${TOKEN}`)).status).toBe(403);
    expect(
      (await send("admin", "POST", `/unsubscribe/${TOKEN}`, { origin: "https://evil.example" }))
        .status,
    ).toBe(403);
    const hook = await send("admin", "POST", "/api/webhooks/resend");
    expect(hook.status).toBe(200);
    expect(JSON.parse(hook.body).reached).toBe("/api/webhooks/resend");
    for (const path of [
      "/api/webhooks/resend/",
      "/api/webhooks/resend/x",
      "/API/webhooks/resend",
      "/api/webhooks/resend/..",
      "/api/webhooks",
      "/api/trpc/tracking.updateSettings",
    ]) {
      expect((await send("admin", "POST", path)).status, path).toBe(403);
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      expect((await send("admin", method, "/api/webhooks/resend")).status, method).toBe(403);
    }
    expect((await send("portal", "POST", "/api/webhooks/resend")).status).toBe(403);
  });
});
