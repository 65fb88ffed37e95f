import { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { isLocalDevelopment, loadEnv as load } from "@xplorium/config";
import { memoryLogger } from "@xplorium/logger";
import { serveApp } from "@xplorium/server";
import express from "express";
import { describe, expect, it } from "vitest";
import { runEntry } from "../../../tests/support/run-entry";

/**
 * Issue 14, finding 7: the development defaults (above all the public, fixed SESSION_SECRET)
 * only ever serve this machine. The web servers listen on 127.0.0.1 unless HOST says otherwise,
 * and the configuration is refused, naming the variable, when the built-in secret would serve
 * another address (HOST), a public origin (ADMIN_URL / PORTAL_URL outside tests) or production.
 */

/** The configuration of a process started with exactly these variables. */
const loadEnv = (vars: Record<string, string | undefined>) => load(vars as NodeJS.ProcessEnv);

const _repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const DEV_SECRET = "development-only-secret-change-me-0123456789";
const REAL_SECRET = "a-real-secret-for-this-test-0123456789abcdef";

describe("HOST", () => {
  it("defaults to 127.0.0.1 and takes an IP address or a host name", () => {
    expect(loadEnv({}).HOST).toBe("127.0.0.1");
    for (const host of [
      "0.0.0.0",
      "::",
      "::1",
      "10.0.0.5",
      "localhost",
      "app.internal",
      "fe80::1",
    ]) {
      expect(loadEnv({ HOST: host, SESSION_SECRET: REAL_SECRET }).HOST, host).toBe(host);
    }
    for (const host of ["", "http://0.0.0.0", "0.0.0.0:3000", "not a host", "-x.example", "a/b"]) {
      expect(() => loadEnv({ HOST: host, SESSION_SECRET: REAL_SECRET }), host).toThrow(
        /HOST must be an IP address or a host name/,
      );
    }
  });
});

describe("the built-in SESSION_SECRET", () => {
  it("serves loopback addresses with NODE_ENV unset, development or test", () => {
    for (const NODE_ENV of [undefined, "development", "test"]) {
      for (const HOST of [undefined, "127.0.0.1", "127.0.0.2", "::1", "localhost"]) {
        const env = loadEnv({ ...(NODE_ENV ? { NODE_ENV } : {}), ...(HOST ? { HOST } : {}) });
        expect(env.SESSION_SECRET).toBe(DEV_SECRET);
      }
    }
  });

  it("is refused on any other address, naming SESSION_SECRET and HOST", () => {
    for (const NODE_ENV of [undefined, "development", "test"]) {
      for (const HOST of ["0.0.0.0", "::", "192.168.1.20", "venue-crm.lan"]) {
        expect(() => loadEnv({ ...(NODE_ENV ? { NODE_ENV } : {}), HOST }), HOST).toThrow(
          new RegExp(
            `SESSION_SECRET: SESSION_SECRET must be set \\(32\\+ random characters\\) when HOST is not a loopback address \\(HOST=${HOST.replaceAll(".", "\\.")}\\)`,
          ),
        );
        // Written out by hand, the public value is still the built-in secret.
        expect(() => loadEnv({ HOST, SESSION_SECRET: DEV_SECRET }), HOST).toThrow(/SESSION_SECRET/);
        expect(loadEnv({ HOST, SESSION_SECRET: REAL_SECRET }).SESSION_SECRET).toBe(REAL_SECRET);
      }
    }
  });

  it("is refused when the apps' public origins are not this machine (development)", () => {
    for (const [name, value] of [
      ["PORTAL_URL", "https://portal.venue.example"],
      ["ADMIN_URL", "http://192.168.1.20:3000"],
    ] as const) {
      expect(() => loadEnv({ [name]: value }), name).toThrow(
        new RegExp(
          `SESSION_SECRET: SESSION_SECRET must be set .* when ${name} is not on this machine`,
        ),
      );
      expect(loadEnv({ [name]: value, SESSION_SECRET: REAL_SECRET })[name]).toBe(value);
    }
    for (const value of ["http://localhost:3001", "http://127.0.0.1:3201", "http://[::1]:3001"]) {
      expect(loadEnv({ PORTAL_URL: value }).SESSION_SECRET).toBe(DEV_SECRET);
    }
  });

  it("is refused in production, also when written out by hand", () => {
    const production = { NODE_ENV: "production", EMAIL_TRANSPORT: "outbox" };
    expect(() => loadEnv(production)).toThrow(/SESSION_SECRET is required in production/);
    expect(() => loadEnv({ ...production, SESSION_SECRET: DEV_SECRET })).toThrow(
      /SESSION_SECRET is required in production/,
    );
    expect(loadEnv({ ...production, SESSION_SECRET: REAL_SECRET }).production).toBe(true);
  });
});

describe("the development outbox's live codes", () => {
  // Only development on this machine shows staff a live sign-in code (issue 14, finding 1): a
  // deployment that forgot NODE_ENV but serves others must not.
  const secret = { SESSION_SECRET: "s".repeat(40) };
  it("are for development on this machine only", () => {
    expect(isLocalDevelopment(loadEnv({}))).toBe(true);
    expect(isLocalDevelopment(loadEnv({ NODE_ENV: "development" }))).toBe(true);
  });
  it("are not shown with NODE_ENV unset on a public address or behind a public URL", () => {
    expect(isLocalDevelopment(loadEnv({ HOST: "0.0.0.0", ...secret }))).toBe(false);
    expect(isLocalDevelopment(loadEnv({ HOST: "::", ...secret }))).toBe(false);
    expect(isLocalDevelopment(loadEnv({ ADMIN_URL: "https://crm.example.com", ...secret }))).toBe(
      false,
    );
    expect(isLocalDevelopment(loadEnv({ PORTAL_URL: "https://moj.example.rs", ...secret }))).toBe(
      false,
    );
  });
  it("are never shown in tests or production", () => {
    expect(isLocalDevelopment(loadEnv({ NODE_ENV: "test" }))).toBe(false);
    expect(
      isLocalDevelopment(loadEnv({ NODE_ENV: "production", EMAIL_TRANSPORT: "outbox", ...secret })),
    ).toBe(false);
  });
});

describe("the web servers", () => {
  it("listen on 127.0.0.1 unless told otherwise", async () => {
    const served = await serveApp(express(), {
      port: 0,
      log: memoryLogger().logger,
      lifecycle: { draining: false },
      signals: new EventEmitter(),
      exit: () => {},
    });
    try {
      expect((served.listener.address() as AddressInfo).address).toBe("127.0.0.1");
    } finally {
      await served.shutdown("test over");
    }
  });

  it("refuse to start on a public address with the built-in secret, saying which variable to set", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOST: "0.0.0.0",
      // Were the refusal ever lost, the server would fail fast here instead of serving.
      ADMIN_PORT: "3991",
      PORTAL_PORT: "3992",
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/nothing",
    };
    for (const key of ["NODE_ENV", "SESSION_SECRET", "VITEST", "ADMIN_URL", "PORTAL_URL"]) {
      delete env[key];
    }
    const entries = ["apps/admin/server.ts", "apps/portal/server.ts"];
    const runs = await Promise.all(entries.map((entry) => runEntry(entry, env)));
    for (const [i, entry] of entries.entries()) {
      const { code, output } = runs[i]!;
      expect(code, entry).not.toBe(0);
      expect(output, entry).toMatch(
        /SESSION_SECRET must be set \(32\+ random characters\) when HOST is not a loopback address \(HOST=0\.0\.0\.0\)/,
      );
      // It stopped at the configuration: no database was started, nothing listened.
      expect(output, entry).not.toMatch(/listening|embedded PostgreSQL/i);
    }
  }, 120_000);
});
