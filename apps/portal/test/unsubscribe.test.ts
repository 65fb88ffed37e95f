import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { type Env, loadEnv } from "@xplorium/config";
import { listUnsubscribeHeaders, setConsentByStaff } from "@xplorium/core/consent";
import { mergeCustomers } from "@xplorium/core/customers";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor, testDeps, testMeta } from "@xplorium/db/testing";
import { ONE_CLICK_UNSUBSCRIBE } from "@xplorium/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordConsentChange } from "../../../packages/core/src/consent/consent";
import { UNSUBSCRIBE_LIMITS, unsubscribeUrl } from "../../../packages/core/src/consent/unsubscribe";
import { visibleText as textOf } from "../../../tests/support/remix-route-server";
import * as confirmRoute from "../app/routes/consent.confirm.$token";
import * as unsubscribeRoute from "../app/routes/unsubscribe.$token";
import { type PortalPages, rootPage, startPortalPages } from "./portal-pages";

/**
 * The unsubscribe link over real HTTP, through the portal's real edge (`applyAppEdge`: the
 * same-origin check with its one-click exemption, trust proxy) and the app server's Remix
 * handler, in front of the real root and route modules; tRPC in-process; a real database.
 * Each test sends its own X-Forwarded-For so the per-IP limits of one do not touch another.
 */

let pages: PortalPages;
let t: PortalPages["t"];
let env: Env;
let baseUrl: string;

beforeAll(async () => {
  pages = await startPortalPages({
    routes: [
      rootPage("unsubscribe.$token", "unsubscribe/:token", unsubscribeRoute),
      rootPage("consent.confirm.$token", "consent/confirm/:token", confirmRoute),
    ],
    edgeOrigin: "http://portal.example",
  });
  ({ t, env, url: baseUrl } = pages);
});
afterAll(async () => {
  await pages?.close();
});

let ipCounter = 0;
const nextIp = () => `10.77.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

/** A customer who opted in themselves in the portal (confirmed at once). */
async function subscribed(channels: ("EMAIL" | "SMS")[] = ["EMAIL"]) {
  const customer = await insertCustomer(t.db);
  await t.db.transaction(async (tx) => {
    for (const channel of channels) {
      await recordConsentChange(tx, env, {
        customerId: customer.id,
        channel,
        granted: true,
        source: "PORTAL",
        confirmed: true,
      });
    }
  });
  return customer;
}

const linkOf = (customerId: string, channel: "EMAIL" | "SMS" = "EMAIL") =>
  unsubscribeUrl(env, { customerId, channel });

async function flags(customerId: string) {
  const [row] = await t.db
    .select({ email: schema.customers.marketingOptIn, sms: schema.customers.smsOptIn })
    .from(schema.customers)
    .where(eq(schema.customers.id, customerId));
  return row;
}

const withdrawals = (customerId: string) =>
  t.db
    .select()
    .from(schema.consentEvents)
    .where(
      and(
        eq(schema.consentEvents.customerId, customerId),
        eq(schema.consentEvents.action, "WITHDRAWN"),
      ),
    );

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request with exactly the given headers (fetch would add its own) and the path as written,
 * not normalised: what a mailbox provider's one-click POST, or an attacker, can send.
 */
function raw(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; ip?: string } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = opts.body ?? "";
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          "x-forwarded-for": opts.ip ?? nextIp(),
          ...(method === "GET" ? {} : { "content-length": String(Buffer.byteLength(body)) }),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(method === "GET" ? undefined : body);
  });
}

const pathOf = (link: string) => new URL(link).pathname;
const get = (link: string, ip?: string) => raw("GET", pathOf(link), { ip });
/** RFC 8058: what a mailbox provider sends. No Origin, no Sec-Fetch-*, no cookie. */
const oneClick = (link: string, ip?: string) =>
  raw("POST", pathOf(link), {
    ip,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
/** The page's own button, as a browser submits it. */
const buttonPost = (link: string, ip?: string) =>
  raw("POST", pathOf(link), {
    ip,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: baseUrl,
      "sec-fetch-site": "same-origin",
    },
  });

describe("GET /unsubscribe/:token", () => {
  it("shows whose subscription it is and one button, and never unsubscribes", async () => {
    const customer = await subscribed();
    const link = linkOf(customer.id);
    for (let i = 0; i < 2; i++) {
      const res = await get(link);
      expect(res.status).toBe(200);
      const text = textOf(res.body);
      expect(text).toContain("Unsubscribe from Xplorium emails?");
      expect(text).toContain("c***@example.com");
      expect(text).not.toContain(customer.email!);
      expect(text).toContain("sign-in codes and vouchers, still arrive");
      expect(res.body.match(/<form[^>]*method="post"/g)).toHaveLength(1);
      expect(res.body.match(/<button/g)).toHaveLength(1);
      expect(res.body).toContain('href="/privacy"');
      expect(res.headers["x-request-id"]).toBeTruthy();
    }
    expect(await flags(customer.id)).toEqual({ email: true, sms: false });
    expect(await withdrawals(customer.id)).toHaveLength(0);
  });
});

describe("POST /unsubscribe/:token", () => {
  it("the page's button unsubscribes, and records one UNSUBSCRIBE_LINK event", async () => {
    const customer = await subscribed(["EMAIL", "SMS"]);
    const res = await buttonPost(linkOf(customer.id));
    expect(res.status).toBe(200);
    expect(textOf(res.body)).toContain("You're unsubscribed");
    expect(await flags(customer.id)).toEqual({ email: false, sms: true });
    const events = await withdrawals(customer.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      channel: "EMAIL",
      source: "UNSUBSCRIBE_LINK",
      state: "CONFIRMED",
    });
    expect(events[0]!.confirmedAt).toBeInstanceOf(Date);
    // A later GET tells them it is done.
    const later = await get(linkOf(customer.id));
    expect(later.status).toBe(200);
    expect(textOf(later.body)).toContain("You're already unsubscribed");
  });

  it("RFC 8058 one-click from the List-Unsubscribe header: no Origin, no cookie → 200; again → 200 already", async () => {
    const customer = await subscribed();
    const headers = listUnsubscribeHeaders(env, { customerId: customer.id, channel: "EMAIL" });
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = /^<(.+)>$/.exec(headers["List-Unsubscribe"])![1]!;
    expect(link).toBe(linkOf(customer.id));

    const first = await oneClick(link);
    expect(first.status).toBe(200);
    expect(textOf(first.body)).toContain("You're unsubscribed");
    expect(first.headers["set-cookie"]).toBeUndefined();
    expect(await flags(customer.id)).toEqual({ email: false, sms: false });

    const second = await oneClick(link);
    expect(second.status).toBe(200);
    expect(textOf(second.body)).toContain("You're already unsubscribed");

    const events = await withdrawals(customer.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.source).toBe("UNSUBSCRIBE_LINK");
    const audits = await t.db
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.action, "customer.unsubscribed"),
          eq(schema.auditLog.entityId, customer.id),
        ),
      );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "CUSTOMER", actorId: customer.id });
  });

  it("works from a webmail page on another origin too (the exemption does not look at Origin)", async () => {
    const customer = await subscribed();
    const res = await raw("POST", pathOf(linkOf(customer.id)), {
      headers: {
        origin: "https://webmail.example",
        "sec-fetch-site": "cross-site",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "List-Unsubscribe=One-Click",
    });
    expect(res.status).toBe(200);
    expect(await flags(customer.id)).toEqual({ email: false, sms: false });
  });

  it("an SMS link stops SMS only", async () => {
    const customer = await subscribed(["EMAIL", "SMS"]);
    const page = await get(linkOf(customer.id, "SMS"));
    expect(textOf(page.body)).toContain("Unsubscribe from Xplorium SMS messages?");
    expect((await oneClick(linkOf(customer.id, "SMS"))).status).toBe(200);
    expect(await flags(customer.id)).toEqual({ email: true, sms: false });
  });

  it("withdraws a grant still awaiting its double opt-in", async () => {
    const customer = await insertCustomer(t.db);
    const staff = await insertStaffActor(t.db);
    await setConsentByStaff(testDeps(t.db, staff, { config: env }), {
      customerId: customer.id,
      channel: "EMAIL",
      granted: true,
    });
    const page = await get(linkOf(customer.id));
    expect(textOf(page.body)).toContain("Unsubscribe from Xplorium emails?");
    expect((await oneClick(linkOf(customer.id))).status).toBe(200);
    expect(await withdrawals(customer.id)).toHaveLength(1);
    expect(await flags(customer.id)).toEqual({ email: false, sms: false });
  });

  it("an erased customer's link answers 'already unsubscribed' and shows nothing of them", async () => {
    const customer = await subscribed();
    const link = linkOf(customer.id);
    // Erasure as DESIGN.md "Privacy" leaves the row without identity and without consent.
    await t.sql`update customers set email = null, name = null, phone = null,
      marketing_opt_in = false, erased_at = now() where id = ${customer.id}`;
    const page = await get(link);
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain("You're already unsubscribed");
    expect(page.body).not.toContain("***@");
    const post = await oneClick(link);
    expect(post.status).toBe(200);
    expect(textOf(post.body)).toContain("You're already unsubscribed");
    expect(post.body).not.toContain("***@");
    expect(await withdrawals(customer.id)).toHaveLength(0);
  });

  it("a merged-away customer's old link unsubscribes the customer they were merged into", async () => {
    const survivor = await subscribed();
    const merged = await subscribed();
    const oldLink = linkOf(merged.id);
    const staff = await insertStaffActor(t.db, { role: "MANAGER" });
    await mergeCustomers(
      { db: t.db, actor: staff, meta: testMeta },
      { survivorId: survivor.id, mergedId: merged.id },
    );
    expect(await flags(survivor.id)).toEqual({ email: true, sms: false });

    expect((await oneClick(oldLink)).status).toBe(200);
    expect(await flags(survivor.id)).toEqual({ email: false, sms: false });
    const events = await withdrawals(survivor.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.source).toBe("UNSUBSCRIBE_LINK");
  });
});

describe("tampered links", () => {
  it("are refused with a clear page on GET and POST, and record nothing", async () => {
    const a = await subscribed(["EMAIL"]);
    const b = await subscribed(["EMAIL", "SMS"]);
    const tokenA = pathOf(linkOf(a.id)).split("/")[2]!;
    const tokenB = pathOf(linkOf(b.id)).split("/")[2]!;
    const [idA, , macA] = tokenA.split(".") as [string, string, string];
    const [idB, , macB] = tokenB.split(".") as [string, string, string];
    const flip = (s: string, i: number) =>
      `${s.slice(0, i)}${s[i] === "A" ? "B" : "A"}${s.slice(i + 1)}`;

    const forged = [
      `${idA}.email.${flip(macA, 5)}`, // one character of the signature changed
      `${idA}.email.${flip(macA, macA.length - 1)}`,
      `${idA}.email.${macB}`, // another customer's signature
      `${idB}.email.${macA}`,
      `${idB}.sms.${macB}`, // the EMAIL signature presented for SMS
      `${idA}.email.${macA}A`, // one character too many
      `${idA}.email`,
      "not-a-token",
    ];
    for (const token of forged) {
      const link = `${baseUrl}/unsubscribe/${token}`;
      const page = await get(link);
      expect(page.status, token).toBe(404);
      expect(textOf(page.body)).toContain("This link does not work");
      expect(textOf(page.body)).toContain("This unsubscribe link is not valid");
      expect(page.body).toContain('href="/privacy"');
      const post = await oneClick(link);
      expect(post.status, token).toBe(404);
      expect(textOf(post.body)).toContain("This unsubscribe link is not valid");
    }
    expect(await flags(a.id)).toEqual({ email: true, sms: false });
    expect(await flags(b.id)).toEqual({ email: true, sms: true });
    expect(await withdrawals(a.id)).toHaveLength(0);
    expect(await withdrawals(b.id)).toHaveLength(0);
    // Too long for the API's input: still a clear page, not a 500.
    expect((await get(`${baseUrl}/unsubscribe/${"x".repeat(400)}`)).status).toBe(404);
  });

  it("a secret rotation revokes every link", async () => {
    const customer = await subscribed();
    const rotated = loadEnv({
      NODE_ENV: "test",
      DATABASE_URL: t.url,
      PORTAL_URL: baseUrl,
      SESSION_SECRET: "a-rotated-secret-of-at-least-32-characters",
    });
    const old = unsubscribeUrl(rotated, { customerId: customer.id, channel: "EMAIL" });
    expect((await oneClick(old)).status).toBe(404);
    expect(await flags(customer.id)).toEqual({ email: true, sms: false });
  });
});

describe("rate limits (PostgreSQL, per IP)", () => {
  it("bad tokens from one IP get 429 with Retry-After after the limit; valid links still work", async () => {
    const ip = nextIp();
    const bad = `${baseUrl}/unsubscribe/${randomUUID()}.email.${"A".repeat(43)}`;
    for (let i = 0; i < UNSUBSCRIBE_LIMITS.invalidPerIp.limit; i++) {
      expect((await get(bad, ip)).status).toBe(404);
    }
    const limited = await get(bad, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(textOf(limited.body)).toContain("Too many attempts");
    const post = await oneClick(bad, ip);
    expect(post.status).toBe(429);
    expect(Number(post.headers["retry-after"])).toBeGreaterThan(0);

    const customer = await subscribed();
    expect((await oneClick(linkOf(customer.id), ip)).status).toBe(200);
    expect(await flags(customer.id)).toEqual({ email: false, sms: false });
  });

  it("every request counts towards the IP's overall limit: then 429, and nothing changes", async () => {
    const ip = nextIp();
    const customer = await subscribed();
    // The window as if this IP had already made its allowance of requests.
    await t.db.insert(schema.rateLimitBuckets).values({
      key: `unsubscribe:ip:${ip}`,
      count: UNSUBSCRIBE_LIMITS.perIp.limit,
      resetAt: new Date(Date.now() + 60_000),
    });
    const page = await get(linkOf(customer.id), ip);
    expect(page.status).toBe(429);
    expect(Number(page.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(page.headers["retry-after"])).toBeLessThanOrEqual(60);
    const post = await oneClick(linkOf(customer.id), ip);
    expect(post.status).toBe(429);
    expect(Number(post.headers["retry-after"])).toBeGreaterThan(0);
    expect(await flags(customer.id)).toEqual({ email: true, sms: false });
    // Another address is not affected.
    expect((await oneClick(linkOf(customer.id))).status).toBe(200);
  });
});

describe("the same-origin exemption is narrow", () => {
  it("covers every link the product makes", () => {
    for (let i = 0; i < 200; i++) {
      for (const channel of ["EMAIL", "SMS"] as const) {
        const path = pathOf(unsubscribeUrl(env, { customerId: randomUUID(), channel }));
        expect(ONE_CLICK_UNSUBSCRIBE.path.test(path), path).toBe(true);
      }
    }
  });

  it("refuses cross-site and header-less POSTs to any other portal path", async () => {
    const customer = await subscribed();
    const token = pathOf(linkOf(customer.id)).split("/")[2]!;
    const crossSite = { origin: "https://evil.example", "content-type": "text/plain" };
    const attempts: [string, Record<string, string>][] = [
      [`/consent/confirm/${token}`, crossSite],
      [`/consent/confirm/${token}`, {}],
      ["/sign-out", crossSite],
      ["/", {}],
      ["/unsubscribe", {}],
      [`/unsubscribe/${token}/extra`, {}],
      // Would be normalised to "/" (or elsewhere) by the URL parser behind the check.
      ["/unsubscribe/..", {}],
      [`/unsubscribe/${token}/../../sign-out`, crossSite],
      ["/unsubscribe/%2e%2e", {}],
      [`/unsubscribe/..%2fsign-out`, {}],
      [`/UNSUBSCRIBE/${token}`, {}],
    ];
    for (const [path, headers] of attempts) {
      const res = await raw("POST", path, { headers, body: "List-Unsubscribe=One-Click" });
      expect(res.status, path).toBe(403);
      expect(res.body).toBe("Cross-site request refused.");
    }
    // Other methods on the unsubscribe path get no exemption either.
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const res = await raw(method, `/unsubscribe/${token}`, { body: "x" });
      expect(res.status, method).toBe(403);
    }
    expect(await flags(customer.id)).toEqual({ email: true, sms: false });
  });
});
