import { randomUUID } from "node:crypto";
import { sessionCookieName } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { insertCustomer, unique } from "@xplorium/db/testing";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_WORDING } from "../../../packages/core/src/consent/consent";
import { ledgerDrift, postPoints } from "../../../packages/core/src/loyalty/ledger";
import { buildPortalFamily, insertCatalogue } from "../../../tests/support/portal-fixture";
import { decodeQrSvg } from "../../../tests/support/qr-code";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as home from "../app/routes/_account._index";
import * as history from "../app/routes/_account.history";
import * as referrals from "../app/routes/_account.referrals";
import * as rewards from "../app/routes/_account.rewards";
import * as voucherPage from "../app/routes/_account.rewards_.vouchers.$code";
import * as join from "../app/routes/join";
import * as signIn from "../app/routes/sign-in";
import * as signUp from "../app/routes/sign-up";
import { accountPage, fieldValue, rootPage, usePortalPages } from "./portal-pages";

/**
 * The portal's pages over real HTTP: Express and Remix's request handler in front of the real
 * route modules (no Vite build), tRPC in-process, a real database. Forms are posted the way a
 * browser without JavaScript posts them.
 */

const pages = usePortalPages({
  routes: [
    accountPage("_account._index", null, home),
    accountPage("_account.history", "history", history),
    accountPage("_account.rewards", "rewards", rewards),
    accountPage("_account.rewards_.vouchers.$code", "rewards/vouchers/:code", voucherPage),
    accountPage("_account.referrals", "referrals", referrals),
    rootPage("join", "join", join),
    rootPage("sign-in", "sign-in", signIn),
    rootPage("sign-up", "sign-up", signUp),
  ],
});
let catalogue: Awaited<ReturnType<typeof insertCatalogue>>;
let fixture: Awaited<ReturnType<typeof buildPortalFamily>>;
let familyCookie: string;

beforeAll(async () => {
  catalogue = await insertCatalogue(pages.t.db);
  fixture = await buildPortalFamily(pages.t.db, pages.env, catalogue);
  familyCookie = await cookieFor(fixture.family.id);
});
afterEach(async () => {
  expect(await ledgerDrift(pages.t.db)).toEqual([]);
});

/** What a person reads: React's text-joining comments dropped first. */
const textOf = (html: string) => visibleText(html.replaceAll("<!-- -->", ""));

const cookieFor = (customerId: string) => pages.cookieFor(customerId);
const { get } = pages;
const post = (path: string, fields: Record<string, string>, cookie?: string) =>
  pages.post(path, fields, cookie);

const balanceOf = async (id: string) =>
  (
    await pages.t.db
      .select({ points: schema.customers.loyaltyPoints })
      .from(schema.customers)
      .where(eq(schema.customers.id, id))
  )[0]!.points;

async function customerWithPoints(points: number) {
  const c = await insertCustomer(pages.t.db);
  await pages.t.db.transaction((tx) =>
    postPoints(tx, {
      customerId: c.id,
      delta: points,
      reason: "MANUAL_ADJUSTMENT",
      note: "test",
      idempotencyKey: `pages:${c.id}`,
    }),
  );
  return { ...c, cookie: await cookieFor(c.id) };
}

describe("home", () => {
  it("server-renders tier, balance and progress from TIER_THRESHOLDS", async () => {
    const res = await get("/", familyCookie);
    expect(res.status).toBe(200);
    const text = textOf(await res.text());
    expect(text).toContain("Hi Ana!");
    expect(text).toContain("Your points 1,250");
    expect(text).toContain("Your tier: Silver");
    expect(text).toContain("650 points to Gold");
    expect(text).toContain("Lifetime points: 2,350");
    expect(text).toContain("You have 1 voucher ready to use");
    expect(text).toContain("Next: Party add-on");
    expect(text).toContain("in 1,250 more points");
    expect(text).toContain("Birthday month");
    expect(text).toContain("Adjustment by the Xplorium team Goodwill for the broken slide");
    expect(text).toContain(`Reward: ${catalogue.discount.name} Voucher ${fixture.voucher.code}`);
  });

  it("sends a visitor without a session to sign in, and back afterwards", async () => {
    const res = await get("/rewards?redeem=x");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `/sign-in?next=${encodeURIComponent("/rewards?redeem=x")}`,
    );
  });
});

describe("history", () => {
  it("pages with a plain 'Show more' link: every row once", async () => {
    const c = await insertCustomer(pages.t.db);
    await pages.t.db.transaction(async (tx) => {
      for (let i = 0; i < 27; i++) {
        await postPoints(tx, {
          customerId: c.id,
          delta: 5,
          reason: "MANUAL_ADJUSTMENT",
          note: `entry-${i}`,
          idempotencyKey: `history:${c.id}:${i}`,
        });
      }
    });
    const cookie = await cookieFor(c.id);
    const first = await (await get("/history", cookie)).text();
    const more = /<a[^>]*href="([^"]*points=[^"]*)"[^>]*>Show more/.exec(first)?.[1];
    expect(more).toBeDefined();
    const second = await (await get(more!.replaceAll("&amp;", "&"), cookie)).text();
    const entries = (html: string) => [...textOf(html).matchAll(/entry-(\d+)/g)].map((m) => m[1]);
    const seen = [...entries(first), ...entries(second)];
    expect(entries(first)).toHaveLength(20);
    expect(new Set(seen).size).toBe(27);
    expect(seen).toHaveLength(27);
    expect(second).not.toMatch(/Show more<span[^>]*> points/);
    expect(textOf(second)).toContain("Back to the newest");
  });

  it("lists bookings with date, type, status and amount", async () => {
    const text = textOf(await (await get("/history", familyCookie)).text());
    expect(text).toContain("Party booking");
    expect(text).toContain("€250.00");
    expect(text).toContain("Party booking · Birthday month ×2");
    expect(text).toContain("Referral bonus Welcome! You joined through a friend.");
    expect(text).toContain("Completed");
    expect(text).toContain("Playground visit");
    expect(text).toContain("Requested");
  });
});

describe("rewards: redeem with a confirmation step", () => {
  it("confirms, redeems once on a double submit, and shows the voucher with a QR code", async () => {
    const c = await customerWithPoints(1200);
    const page = await (await get(`/rewards?redeem=${catalogue.beverage.id}`, c.cookie)).text();
    expect(textOf(page)).toContain(`Redeem ${catalogue.beverage.name} for 500 points?`);
    const key = fieldValue(page, "idempotencyKey");
    expect(key).toMatch(/^[0-9a-f-]{36}$/);

    // The same rendered form submitted twice at once (a double tap without JavaScript).
    const fields = { rewardId: catalogue.beverage.id, idempotencyKey: key! };
    const [a, b] = await Promise.all([
      post("/rewards", fields, c.cookie),
      post("/rewards", fields, c.cookie),
    ]);
    expect([a.status, b.status]).toEqual([302, 302]);
    expect(a.headers.get("location")).toBe(b.headers.get("location"));
    const vouchers = await pages.t.db
      .select({ code: schema.vouchers.code })
      .from(schema.vouchers)
      .where(eq(schema.vouchers.customerId, c.id));
    expect(vouchers).toHaveLength(1);
    const code = vouchers[0]!.code;
    expect(a.headers.get("location")).toBe(`/rewards/vouchers/${code}?new=1`);
    expect(await balanceOf(c.id)).toBe(700);

    const html = await (await get(`/rewards/vouchers/${code}?new=1`, c.cookie)).text();
    const text = textOf(html);
    expect(text).toContain(`Voucher code ${code}`);
    expect(text).toContain("Ready to use");
    expect(text).toContain("Valid until");
    expect(text).toContain("Done! 500 points spent");
    const svg = /data-testid="voucher-qr"[^>]*><svg[\s\S]*?<\/svg>/.exec(html)?.[0];
    expect(svg).toBeDefined();
    expect(decodeQrSvg(svg!)).toBe(code);

    // And it is listed under "My vouchers", linking to its page.
    const list = await (await get("/rewards", c.cookie)).text();
    expect(list).toContain(`href="/rewards/vouchers/${code}"`);
  });

  it("says clearly, inline, when points are short or the reward is out of stock", async () => {
    const poor = await customerWithPoints(100);
    const page = textOf(
      await (await get(`/rewards?redeem=${catalogue.beverage.id}`, poor.cookie)).text(),
    );
    expect(page).toContain(`You need 400 more points for ${catalogue.beverage.name}.`);
    // Posting anyway (a stale page) is refused with the reason, and nothing is spent.
    const res = await post(
      "/rewards",
      { rewardId: catalogue.beverage.id, idempotencyKey: randomUUID() },
      poor.cookie,
    );
    expect(res.status).toBe(409);
    const text = textOf(await res.text());
    expect(text).toContain(
      `Not enough points: you have 100, “${catalogue.beverage.name}” needs 500.`,
    );
    expect(await balanceOf(poor.id)).toBe(100);

    const rich = await customerWithPoints(6000);
    const out = await post(
      "/rewards",
      { rewardId: catalogue.privateHour.id, idempotencyKey: randomUUID() },
      rich.cookie,
    );
    expect(out.status).toBe(409);
    expect(textOf(await out.text())).toContain(`“${catalogue.privateHour.name}” is out of stock.`);
    expect(await balanceOf(rich.id)).toBe(6000);
  });

  it("never shows another customer's voucher", async () => {
    const stranger = await customerWithPoints(10);
    const res = await get(`/rewards/vouchers/${fixture.voucher.code}`, stranger.cookie);
    expect(res.status).toBe(404);
    const text = textOf(await res.text());
    expect(text).toContain("We could not find that voucher in your account.");
    expect(text).not.toContain(fixture.voucher.code);
  });
});

describe("referrals and the join page", () => {
  it("shows my code, the share link and my friends; a new customer can enter a code", async () => {
    const asReferrer = await cookieFor(fixture.referrer.id);
    const text = textOf(await (await get("/referrals", asReferrer)).text());
    expect(text).toContain(`Your referral code ${fixture.referrer.referralCode}`);
    expect(text).toContain("Ana P.");
    expect(text).toContain("You earned 50 points");
    const html = await (await get("/referrals", asReferrer)).text();
    expect(fieldValue(html, "shareUrl")).toBe(
      `${pages.url}/join?ref=${fixture.referrer.referralCode}`,
    );
    // Already referred, with a completed visit: no form to enter a code.
    const family = await (await get("/referrals", familyCookie)).text();
    expect(family).not.toContain('name="code"');
    expect(textOf(family)).toContain("You joined through a friend's invitation.");

    const newcomer = await insertCustomer(pages.t.db, { name: "Iva Ilić" });
    const cookie = await cookieFor(newcomer.id);
    const prefilled = await (
      await get(`/referrals?code=${fixture.referrer.referralCode}`, cookie)
    ).text();
    expect(fieldValue(prefilled, "code")).toBe(fixture.referrer.referralCode);
    const wrong = await post("/referrals", { code: "NOPE123" }, cookie);
    expect(wrong.status).toBe(400);
    expect(textOf(await wrong.text())).toContain("No customer has that referral code.");
    const ok = await post("/referrals", { code: fixture.referrer.referralCode }, cookie);
    expect(ok.status).toBe(200);
    expect(textOf(await ok.text())).toContain("You joined through Mila M.");
    const [row] = await pages.t.db
      .select({ referredById: schema.customers.referredById })
      .from(schema.customers)
      .where(eq(schema.customers.id, newcomer.id));
    expect(row!.referredById).toBe(fixture.referrer.id);
  });

  it("/join explains the offer and carries the code to sign-up; members go to their invite page", async () => {
    const code = fixture.referrer.referralCode;
    const res = await get(`/join?ref=${code}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(textOf(html)).toContain("You and your friend each get 50 points");
    expect(html).toContain(`href="/sign-in?ref=${code}"`);
    const member = await get(`/join?ref=${code}`, familyCookie);
    expect(member.status).toBe(302);
    expect(member.headers.get("location")).toBe(`/referrals?code=${code}`);
  });
});

describe("sign-up from the sign-in page", () => {
  const emailsTo = (to: string) =>
    pages.t.db
      .select({ html: schema.emailMessages.html, template: schema.emailMessages.template })
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.toEmail, to));

  async function customerByEmail(email: string) {
    const [c] = await pages.t.db
      .select()
      .from(schema.customers)
      .where(eq(schema.customers.email, email));
    return c ?? null;
  }

  it("answers 'request a code' with the same page for a customer and a new address", async () => {
    const known = fixture.family.email!;
    const stranger = `new-${unique()}@example.com`;
    const pages = await Promise.all(
      [known, stranger].map(async (email) => {
        const res = await post("/sign-in", { intent: "request", email });
        // The result's `at` (when it was answered, to tell one toast from the next) says
        // nothing about the address.
        const html = (await res.text()).replaceAll(email, "EMAIL");
        return { status: res.status, html: html.replace(/(\\"at\\",)\d+/, "$1AT") };
      }),
    );
    expect(pages[0]!.status).toBe(200);
    expect(pages[1]).toEqual(pages[0]);
    expect(textOf(pages[0]!.html)).toContain("A 6-digit code is on its way to EMAIL.");
  });

  it("creates the account from the emailed code, with the friend's code applied and no consent", async () => {
    const email = `parent-${unique()}@example.com`;
    const ref = fixture.referrer.referralCode;
    const start = textOf(await (await get(`/sign-in?ref=${ref}`)).text());
    expect(start).toContain(`A friend invited you (code ${ref}`);
    await post("/sign-in", { intent: "request", email, ref });
    const [mail] = await emailsTo(email);
    expect(mail!.template).toBe("sign-up-code");
    const code = /data-testid="sign-up-code"[^>]*>(\d{6})</.exec(mail!.html!)?.[1];
    expect(code).toBeDefined();
    expect(await customerByEmail(email)).toBeNull();

    const step = await post("/sign-in", { intent: "verify", email, code: code!, ref });
    expect(step.status).toBe(200);
    expect(step.headers.getSetCookie()).toEqual([]);
    const html = await step.text();
    expect(textOf(html)).toContain("Create your account");
    expect(textOf(html)).toContain(CONSENT_WORDING.EMAIL.text);
    expect(fieldValue(html, "referralCode")).toBe(ref);
    // Never pre-ticked.
    expect(/<input[^>]*name="marketingEmail"[^>]*>/.exec(html)?.[0]).not.toContain("checked");
    const form = {
      intent: "sign-up",
      ticket: fieldValue(html, "ticket")!,
      email,
      name: "Nina Nikolić",
      referralCode: ref,
    };
    const created = await post("/sign-in", form);
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe("/?welcome=1");
    const session = created.headers
      .getSetCookie()
      .find((c) => c.startsWith(sessionCookieName("CUSTOMER", { secure: false })));
    expect(session).toBeDefined();

    const customer = await customerByEmail(email);
    expect(customer).toMatchObject({
      name: "Nina Nikolić",
      marketingOptIn: false,
      smsOptIn: false,
      referredById: fixture.referrer.id,
    });
    expect(
      await pages.t.db.$count(
        schema.consentEvents,
        eq(schema.consentEvents.customerId, customer!.id),
      ),
    ).toBe(0);
    // The new session opens the account.
    const welcome = await get("/?welcome=1", session!.split(";")[0]!);
    expect(textOf(await welcome.text())).toContain("Welcome to Xplorium!");

    // The same form again (a double submit): the same account, signed in, nothing new.
    const again = await post("/sign-in", form);
    expect(again.status).toBe(302);
    expect(await pages.t.db.$count(schema.customers, eq(schema.customers.email, email))).toBe(1);
    // The sign-up code died with the new account: it now needs a stored sign-in code.
    const reuse = await post("/sign-in", { intent: "verify", email, code: code! });
    expect(reuse.status).toBe(401);
  });

  it("records 'email me offers' as a confirmed PORTAL consent when ticked (emailed link)", async () => {
    const email = `offers-${unique()}@example.com`;
    await post("/sign-in", { intent: "request", email });
    const [mail] = await emailsTo(email);
    const link = /href="([^"]*\/sign-up\?token=[^"]+)"/
      .exec(mail!.html!)?.[1]
      ?.replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    const page = await fetch(link!, { redirect: "manual" });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(textOf(html)).toContain(`There is no Xplorium account for ${email} yet.`);
    // Opening the link (a mail scanner) creates nothing.
    expect(await customerByEmail(email)).toBeNull();

    const res = await post("/sign-up", {
      intent: "sign-up",
      ticket: fieldValue(html, "ticket")!,
      email,
      name: "",
      marketingEmail: "yes",
      referralCode: "",
    });
    expect(res.status).toBe(302);
    const customer = await customerByEmail(email);
    expect(customer).toMatchObject({ marketingOptIn: true, smsOptIn: false, referredById: null });
    const events = await pages.t.db
      .select()
      .from(schema.consentEvents)
      .where(eq(schema.consentEvents.customerId, customer!.id));
    expect(events).toEqual([
      expect.objectContaining({
        channel: "EMAIL",
        action: "GRANTED",
        state: "CONFIRMED",
        source: "PORTAL",
        wording: CONSENT_WORDING.EMAIL.text,
        wordingVersion: CONSENT_WORDING.EMAIL.version,
      }),
    ]);
    expect(events[0]!.confirmedAt).toBeInstanceOf(Date);
    const audit = await pages.t.db
      .select()
      .from(schema.auditLog)
      .where(
        and(
          eq(schema.auditLog.action, "customer.signed_up"),
          eq(schema.auditLog.entityId, customer!.id),
        ),
      );
    expect(audit).toHaveLength(1);
  });

  it("refuses an unknown referral code on the form and creates nothing; a forged ticket neither", async () => {
    const email = `typo-${unique()}@example.com`;
    await post("/sign-in", { intent: "request", email });
    const [mail] = await emailsTo(email);
    const code = /data-testid="sign-up-code"[^>]*>(\d{6})</.exec(mail!.html!)![1]!;
    const html = await (await post("/sign-in", { intent: "verify", email, code })).text();
    const ticket = fieldValue(html, "ticket")!;

    const bad = await post("/sign-in", { intent: "sign-up", ticket, email, referralCode: "ZZZZ9" });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(textOf(page)).toContain("No customer has that referral code.");
    expect(fieldValue(page, "ticket")).toBe(ticket);
    expect(await customerByEmail(email)).toBeNull();

    const forged = `${ticket.slice(0, -3)}${ticket.endsWith("AAA") ? "BBB" : "AAA"}`;
    const refused = await post("/sign-in", { intent: "sign-up", ticket: forged, email });
    expect(refused.status).toBe(401);
    expect(textOf(await refused.text())).toContain("This sign-up has expired");
    expect(await customerByEmail(email)).toBeNull();

    // Fixed: the account is made.
    expect((await post("/sign-in", { intent: "sign-up", ticket, email })).status).toBe(302);
    expect(await customerByEmail(email)).not.toBeNull();
  });
});
