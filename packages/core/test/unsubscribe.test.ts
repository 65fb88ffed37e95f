import { randomUUID } from "node:crypto";
import { type Env, loadEnv } from "@xplorium/config";
import { listUnsubscribeHeaders, previewUnsubscribe, unsubscribe } from "@xplorium/core/consent";
import { AppError } from "@xplorium/core/errors";
import { schema } from "@xplorium/db";
import { insertCustomer } from "@xplorium/db/testing";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { recordConsentChange } from "../src/consent/consent";
import {
  maskEmail,
  readUnsubscribeToken,
  UNSUBSCRIBE_LIMITS,
  unsubscribeToken,
  unsubscribeUrl,
} from "../src/consent/unsubscribe";
import { useTestDatabase } from "./support";

let env: Env;
let ipCounter = 0;
const meta = () => ({ ip: `10.66.0.${++ipCounter}`, userAgent: "vitest", requestId: "unsub" });

const t = useTestDatabase(async () => {
  env = loadEnv({
    NODE_ENV: "test",
    DATABASE_URL: t.url,
    PORTAL_URL: "https://my.xplorium.example/",
  });
});

async function optedIn() {
  const customer = await insertCustomer(t.db);
  await t.db.transaction((tx) =>
    recordConsentChange(tx, env, {
      customerId: customer.id,
      channel: "EMAIL",
      granted: true,
      source: "PORTAL",
      confirmed: true,
    }),
  );
  return customer;
}

describe("unsubscribe tokens", () => {
  it("are stable, one per customer and channel, and read back to exactly that", () => {
    const a = randomUUID();
    const b = randomUUID();
    const token = unsubscribeToken(env, { customerId: a, channel: "EMAIL" });
    expect(unsubscribeToken(env, { customerId: a, channel: "EMAIL" })).toBe(token);
    expect(token).toMatch(/^[0-9a-f-]{36}\.email\.[A-Za-z0-9_-]{43}$/);
    const others = [
      unsubscribeToken(env, { customerId: a, channel: "SMS" }),
      unsubscribeToken(env, { customerId: b, channel: "EMAIL" }),
    ];
    expect(new Set([token, ...others]).size).toBe(3);
    expect(readUnsubscribeToken(env, token)).toEqual({ customerId: a, channel: "EMAIL" });
    expect(readUnsubscribeToken(env, others[0]!)).toEqual({ customerId: a, channel: "SMS" });
    // A mail client that upper-cases the id still lands on the same customer.
    const [id, slug, mac] = token.split(".");
    expect(readUnsubscribeToken(env, `${id!.toUpperCase()}.${slug}.${mac}`)).toEqual({
      customerId: a,
      channel: "EMAIL",
    });
  });

  it("refuse anything not signed for that customer and channel, or under another secret", () => {
    const a = randomUUID();
    const token = unsubscribeToken(env, { customerId: a, channel: "EMAIL" });
    const [id, , mac] = token.split(".") as [string, string, string];
    const otherMac = unsubscribeToken(env, { customerId: randomUUID(), channel: "EMAIL" }).split(
      ".",
    )[2];
    const rotated = { SESSION_SECRET: "another-secret-that-is-at-least-32-chars" };
    for (const bad of [
      `${id}.sms.${mac}`,
      `${id}.email.${otherMac}`,
      `${id}.email.${mac.slice(0, -1)}`,
      `${id}.email.${mac}=`,
      `${id}.EMAIL.${mac}`,
      `${id}.email.${mac}.x`,
      `${id}..${mac}`,
      `not-a-uuid.email.${mac}`,
      "",
    ]) {
      expect(readUnsubscribeToken(env, bad), bad).toBeNull();
    }
    expect(readUnsubscribeToken(rotated, token)).toBeNull();
  });

  it("make the portal URL and the RFC 8058 headers", () => {
    const customerId = randomUUID();
    const url = unsubscribeUrl(env, { customerId, channel: "EMAIL" });
    expect(url).toBe(
      `https://my.xplorium.example/unsubscribe/${unsubscribeToken(env, { customerId, channel: "EMAIL" })}`,
    );
    expect(listUnsubscribeHeaders(env, { customerId, channel: "EMAIL" })).toEqual({
      "List-Unsubscribe": `<${url}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("mask the address shown on the page", () => {
    expect(maskEmail("ana.petrovic@example.com")).toBe("a***@example.com");
    expect(maskEmail("a@b.rs")).toBe("a***@b.rs");
    expect(maskEmail(null)).toBeNull();
  });
});

describe("unsubscribe", () => {
  it("records one withdrawal however many clicks arrive at once", async () => {
    const customer = await optedIn();
    const token = unsubscribeToken(env, { customerId: customer.id, channel: "EMAIL" });
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        unsubscribe({ db: t.db, meta: meta(), config: env }, { token }),
      ),
    );
    expect(results.filter((r) => r.status === "unsubscribed")).toHaveLength(1);
    expect(results.filter((r) => r.status === "already_unsubscribed")).toHaveLength(4);
    for (const r of results) expect(r.maskedEmail).toBe("c***@example.com");
    const events = await t.db
      .select()
      .from(schema.consentEvents)
      .where(
        and(
          eq(schema.consentEvents.customerId, customer.id),
          eq(schema.consentEvents.action, "WITHDRAWN"),
        ),
      );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: "UNSUBSCRIBE_LINK", ip: expect.any(String) });
    expect(await previewUnsubscribe({ db: t.db, meta: meta(), config: env }, { token })).toEqual({
      status: "already_unsubscribed",
      channel: "EMAIL",
      maskedEmail: "c***@example.com",
    });
  });

  it("a valid link for a customer who is gone answers 'already unsubscribed', showing nothing", async () => {
    const token = unsubscribeToken(env, { customerId: randomUUID(), channel: "SMS" });
    expect(await previewUnsubscribe({ db: t.db, meta: meta(), config: env }, { token })).toEqual({
      status: "already_unsubscribed",
      channel: "SMS",
      maskedEmail: null,
    });
    expect(await unsubscribe({ db: t.db, meta: meta(), config: env }, { token })).toEqual({
      status: "already_unsubscribed",
      channel: "SMS",
      maskedEmail: null,
    });
  });

  it("a forged link is NOT_FOUND, and too many of them from one IP are TOO_MANY_REQUESTS", async () => {
    const m = meta();
    const forged = `${randomUUID()}.email.${"x".repeat(43)}`;
    await expect(
      unsubscribe({ db: t.db, meta: m, config: env }, { token: forged }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    for (let i = 1; i < UNSUBSCRIBE_LIMITS.invalidPerIp.limit; i++) {
      expect(
        await previewUnsubscribe({ db: t.db, meta: m, config: env }, { token: forged }),
      ).toMatchObject({ status: "invalid" });
    }
    const limited = await previewUnsubscribe(
      { db: t.db, meta: m, config: env },
      { token: forged },
    ).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(AppError);
    expect(limited).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect((limited as AppError).retryAfterSeconds).toBeGreaterThan(0);
    // The same IP's good links are not held up by its bad ones.
    const customer = await optedIn();
    const token = unsubscribeToken(env, { customerId: customer.id, channel: "EMAIL" });
    expect((await unsubscribe({ db: t.db, meta: m, config: env }, { token })).status).toBe(
      "unsubscribed",
    );
  });
});
