import { createSession, hashPassword, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { insertStaff, unique } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it } from "vitest";
import { decodeQrSvg } from "../../../tests/support/qr-code";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as accountPage from "../app/routes/_app.account";
import * as twoFactorPage from "../app/routes/_app.account_.two-factor";
import * as securityPage from "../app/routes/_app.settings.security";
import * as signInPage from "../app/routes/sign-in";
import * as signOutPage from "../app/routes/sign-out";
import { page, rootPage, useAdminPages } from "./admin-pages";

/**
 * Two-factor sign-in in the admin's pages over real HTTP (Remix + the real route modules +
 * tRPC in-process + a real database): a member sets it up on /account/two-factor reading the
 * secret from the page (and the QR code, decoded as a phone would), the sign-in page asks for
 * the code after the password (the challenge in an HttpOnly cookie), and the owner's rule sends
 * a member without it to the setup before any other page.
 */

const p = useAdminPages({
  routes: [
    page("_app.account", "account", accountPage),
    page("_app.account_.two-factor", "account/two-factor", twoFactorPage),
    page("_app.settings.security", "settings/security", securityPage),
    rootPage("sign-in", "sign-in", signInPage),
    rootPage("sign-out", "sign-out", signOutPage),
  ],
  env: { ADMIN_URL: "http://admin.test" },
});
const PASSWORD = "correct horse battery staple";
const STAFF_COOKIE = sessionCookieName("STAFF", { secure: false });

beforeEach(async () => {
  await p.t.db.update(schema.securitySettings).set({ requireStaffTwoFactor: false });
  await p.t.db
    .update(schema.staffUsers)
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null })
    .where(eq(schema.staffUsers.role, "OWNER"));
});

async function member(role: StaffRole = "FRONT_DESK") {
  const email = `member-${unique()}@example.com`;
  const staff = await insertStaff(p.t.db, {
    role,
    email,
    name: "Mila Jovanović",
    passwordHash: await hashPassword(PASSWORD),
  });
  const { token } = await createSession(p.t.db, { kind: "STAFF", staffUserId: staff.id });
  return { ...staff, email, cookie: `${STAFF_COOKIE}=${token}` };
}

const codeFor = (secret: string, steps = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + steps * 30_000 });
function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => codeFor(secret, s)));
  for (let n = 0; ; n++) {
    const candidate = String((654321 + n * 7919) % 1_000_000).padStart(6, "0");
    if (!valid.has(candidate)) return candidate;
  }
}

/** The setup key as the page shows it (groups of four), without the spaces. */
const secretOn = (html: string) =>
  /data-testid="totp-secret"[^>]*>([^<]+)</.exec(html)?.[1]?.replace(/\s/g, "") ?? null;
const recoveryCodesOn = (html: string) =>
  [...html.matchAll(/data-testid="recovery-code"[^>]*>([^<]+)</g)].map((m) => m[1]!);

/** Sets up two-factor sign-in through the page, as a member would. */
async function enrolOnPage(cookie: string) {
  expect((await p.post("/account/two-factor", cookie, { intent: "start" })).status).toBe(200);
  const secret = secretOn(await (await p.get("/account/two-factor", cookie)).text());
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const done = await p.post("/account/two-factor", cookie, {
    intent: "confirm",
    code: codeFor(secret!),
  });
  expect(done.status).toBe(200);
  return { secret: secret!, recoveryCodes: recoveryCodesOn(await done.text()) };
}

/** Cookies a response sets, by name (value and attributes). */
function setCookies(res: Response) {
  return Object.fromEntries(
    res.headers.getSetCookie().map((raw) => {
      const [pair, ...attrs] = raw.split(";").map((s) => s.trim());
      const eq = pair!.indexOf("=");
      return [pair!.slice(0, eq), { value: pair!.slice(eq + 1), attrs }];
    }),
  );
}

describe("the two-factor page", () => {
  it("sets it up: the QR code and the text key carry the same secret, a wrong first code is an inline error, the right one shows ten recovery codes once", async () => {
    const m = await member();
    const first = await p.get("/account/two-factor", m.cookie);
    expect(first.status).toBe(200);
    expect(visibleText(await first.text())).toContain("Set up two-factor sign-in");

    expect((await p.post("/account/two-factor", m.cookie, { intent: "start" })).status).toBe(200);
    const shown = await p.get("/account/two-factor", m.cookie);
    expect(shown.headers.get("cache-control")).toBe("no-store");
    const html = await shown.text();
    const secret = secretOn(html)!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const qr = /<img[^>]*src="data:image\/svg\+xml;base64,([^"]+)"[^>]*data-testid="totp-qr"/.exec(
      html,
    )?.[1];
    const uri = decodeQrSvg(Buffer.from(qr!, "base64").toString("utf8"));
    expect(uri).toBe(
      `otpauth://totp/Xplorium%20CRM:${encodeURIComponent(m.email)}?issuer=Xplorium%20CRM&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(html).toMatch(/<img[^>]*alt="QR code that adds Xplorium CRM to an authenticator app"/);
    // The code field: a numeric keypad and one-time-code autofill, labelled.
    const field = /<input[^>]*name="code"[^>]*>/.exec(html)?.[0] ?? "";
    expect(field).toContain('inputMode="numeric"');
    expect(field).toContain('autoComplete="one-time-code"');

    const wrong = await p.post("/account/two-factor", m.cookie, {
      intent: "confirm",
      code: wrongCode(secret),
    });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toMatch(/name="code"[^>]*aria-invalid="true"/);
    expect(visibleText(wrongHtml)).toContain("That code is not right.");

    const right = await p.post("/account/two-factor", m.cookie, {
      intent: "confirm",
      code: codeFor(secret),
    });
    expect(right.status).toBe(200);
    expect(right.headers.get("cache-control")).toBe("no-store");
    const codes = recoveryCodesOn(await right.text());
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);

    // Shown once: the page afterwards says it is on and how many are left, never the codes.
    const after = await (await p.get("/account/two-factor", m.cookie)).text();
    expect(recoveryCodesOn(after)).toEqual([]);
    for (const c of codes) expect(after).not.toContain(c);
    expect(after).not.toContain(secret);
    const text = visibleText(after);
    expect(text).toContain("Two-factor sign-in is on");
    expect(text).toContain("You have 10 of 10 recovery codes left.");
  });

  it("asks for the password before starting the setup once it was entered long ago, and one submit does both", async () => {
    const m = await member();
    const [sessionId] = m.cookie.slice(STAFF_COOKIE.length + 1).split(".") as [string];
    await p.t.db
      .update(schema.sessions)
      .set({ passwordConfirmedAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(schema.sessions.id, sessionId));
    expect(await (await p.get("/account/two-factor", m.cookie)).text()).toMatch(
      /name="yourPassword"/,
    );
    const refused = await p.post("/account/two-factor", m.cookie, { intent: "start" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/name="yourPassword"/);
    const wrong = await p.post("/account/two-factor", m.cookie, {
      intent: "start",
      yourPassword: "not the password",
    });
    expect(wrong.status).toBe(400);
    expect(visibleText(await wrong.text())).toContain("That password is not right.");
    const started = await p.post("/account/two-factor", m.cookie, {
      intent: "start",
      yourPassword: PASSWORD,
    });
    expect(started.status).toBe(200);
    expect(secretOn(await (await p.get("/account/two-factor", m.cookie)).text())).toMatch(
      /^[A-Z2-7]{32}$/,
    );
  });

  it("turns it off with the password (refused with a wrong one, inline)", async () => {
    const m = await member();
    await enrolOnPage(m.cookie);
    const wrong = await p.post("/account/two-factor", m.cookie, {
      intent: "disable",
      password: "not the password at all",
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/name="password"[^>]*aria-invalid="true"/);
    const off = await p.post("/account/two-factor", m.cookie, {
      intent: "disable",
      password: PASSWORD,
    });
    expect(off.status).toBe(200);
    expect(visibleText(await (await p.get("/account/two-factor", m.cookie)).text())).toContain(
      "Set up two-factor sign-in",
    );
  });
});

describe("signing in", () => {
  it("asks for the code after the password (challenge in an HttpOnly cookie, no session yet), keeps next, then signs in", async () => {
    const m = await member();
    const { secret } = await enrolOnPage(m.cookie);

    const password = await p.post("/sign-in", "", {
      email: m.email,
      password: PASSWORD,
      next: "/account",
    });
    expect(password.status).toBe(302);
    expect(password.headers.get("location")).toBe("/sign-in?next=%2Faccount");
    const set = setCookies(password);
    expect(set[STAFF_COOKIE]).toBeUndefined();
    const challenge = set.xp_staff_2fa!;
    expect(challenge.value).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);
    expect(challenge.attrs).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=300"]),
    );
    const cookie = `xp_staff_2fa=${challenge.value}`;

    const step = await (await p.get("/sign-in?next=%2Faccount", cookie)).text();
    expect(visibleText(step)).toContain("Two-factor sign-in");
    expect(step).not.toContain(challenge.value);
    expect(/<input[^>]*name="code"[^>]*>/.exec(step)?.[0]).toContain(
      'autoComplete="one-time-code"',
    );
    expect(visibleText(step)).toContain("Lost your phone? Use a recovery code");

    const wrong = await p.post("/sign-in?next=%2Faccount", cookie, {
      intent: "code",
      kind: "totp",
      code: wrongCode(secret),
      next: "/account",
    });
    expect(wrong.status).toBe(401);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toMatch(/name="code"[^>]*aria-invalid="true"/);
    expect(visibleText(wrongHtml)).toContain(
      "That code is not right. Enter the current code from your authenticator app, or one of your recovery codes.",
    );

    const right = await p.post("/sign-in?next=%2Faccount", cookie, {
      intent: "code",
      kind: "totp",
      code: codeFor(secret, 1),
      next: "/account",
    });
    expect(right.status).toBe(302);
    expect(right.headers.get("location")).toBe("/account");
    const done = setCookies(right);
    expect(done.xp_staff_2fa?.value).toBe("");
    const session = done[STAFF_COOKIE]!.value;
    expect((await p.get("/account", `${STAFF_COOKIE}=${session}`)).status).toBe(200);
  });

  it("takes a recovery code from the folded form, once", async () => {
    const m = await member();
    const { recoveryCodes } = await enrolOnPage(m.cookie);
    const challengeCookie = async () => {
      const res = await p.post("/sign-in", "", { email: m.email, password: PASSWORD });
      return `xp_staff_2fa=${setCookies(res).xp_staff_2fa!.value}`;
    };
    const ok = await p.post("/sign-in", await challengeCookie(), {
      intent: "code",
      kind: "recovery",
      code: recoveryCodes[0]!,
      next: "/",
    });
    expect(ok.status).toBe(302);
    expect(setCookies(ok)[STAFF_COOKIE]?.value).toMatch(/\./);
    const again = await p.post("/sign-in", await challengeCookie(), {
      intent: "code",
      kind: "recovery",
      code: recoveryCodes[0]!,
      next: "/",
    });
    expect(again.status).toBe(401);
    const html = await again.text();
    // The recovery form opens again with its error.
    expect(html).toMatch(/<details[^>]*open/);
    expect(visibleText(html)).toContain("That code is not right.");
  });

  it("without the challenge cookie (expired), says so and asks for the password again", async () => {
    const res = await p.post("/sign-in", "", { intent: "code", kind: "totp", code: "123456" });
    expect(res.status).toBe(401);
    const text = visibleText(await res.text());
    expect(text).toContain("This sign-in has expired. Enter your email and password again.");
    expect(text).toContain("Password");
  });
});

describe("the owner's rule", () => {
  it("sends a member without two-factor to the setup before any page, then back", async () => {
    await p.t.db.update(schema.securitySettings).set({ requireStaffTwoFactor: true });
    const m = await member();
    const blocked = await p.get("/account", m.cookie);
    expect(blocked.status).toBe(302);
    expect(blocked.headers.get("location")).toBe("/account/two-factor?next=%2Faccount");

    const setup = await (await p.get("/account/two-factor?next=%2Faccount", m.cookie)).text();
    const text = visibleText(setup);
    expect(text).toContain("Two-factor sign-in is required for all staff here.");
    expect(text).toContain("Set up two-factor sign-in to open the rest of the CRM.");
    // No menu while the setup is owed.
    const menu = /<nav[^>]*aria-label="Main"[^>]*>([\s\S]*?)<\/nav>/.exec(setup)?.[1];
    expect(menu).toBeDefined();
    expect(menu).not.toContain("<a");

    expect(
      (await p.post("/account/two-factor?next=%2Faccount", m.cookie, { intent: "start" })).status,
    ).toBe(200);
    const secret = secretOn(
      await (await p.get("/account/two-factor?next=%2Faccount", m.cookie)).text(),
    )!;
    const done = await p.post("/account/two-factor?next=%2Faccount", m.cookie, {
      intent: "confirm",
      code: codeFor(secret),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(
      /<a[^>]*data-testid="recovery-codes-saved"[^>]*href="\/account"/,
    );
    expect((await p.get("/account", m.cookie)).status).toBe(200);
    // Required: the page offers no way to turn it off.
    const after = visibleText(await (await p.get("/account/two-factor", m.cookie)).text());
    expect(after).toContain("It cannot be turned off.");
    expect(after).not.toContain("Turn off two-factor sign-in");
  });

  it("signs out a member who still owes the setup (the counter's shared computer)", async () => {
    await p.t.db.update(schema.securitySettings).set({ requireStaffTwoFactor: true });
    const m = await member();
    expect((await p.get("/account", m.cookie)).status).toBe(302);
    const out = await p.post("/sign-out", m.cookie, {});
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/sign-in");
    const left = await p.t.db
      .select()
      .from(schema.sessions)
      .where(eq(schema.sessions.staffUserId, m.id));
    expect(left).toEqual([]);
  });

  it("the owner's security page: own two-factor first, then the switch; owners only", async () => {
    const owner = await member("OWNER");
    const before = await (await p.get("/settings/security", owner.cookie)).text();
    expect(visibleText(before)).toContain("turn it on for your own account");
    expect(before).toMatch(/<button[^>]*disabled[^>]*>[^<]*Require two-factor sign-in/);

    await enrolOnPage(owner.cookie);
    const on = await p.post("/settings/security", owner.cookie, { requireTwoFactor: "on" });
    expect(on.status).toBe(200);
    const [row] = await p.t.db.select().from(schema.securitySettings);
    expect(row?.requireStaffTwoFactor).toBe(true);
    expect(row?.updatedByStaffId).toBe(owner.id);
    const text = visibleText(await (await p.get("/settings/security", owner.cookie)).text());
    expect(text).toContain("Required: every staff member signs in with a code");
    expect(text).toContain("Last changed by Mila Jovanović");

    const off = await p.post("/settings/security", owner.cookie, {});
    expect(off.status).toBe(200);
    const [after] = await p.t.db.select().from(schema.securitySettings);
    expect(after?.requireStaffTwoFactor).toBe(false);

    // Owner-level: once the password is old, the form asks for it and one submit does both.
    const [sessionId] = owner.cookie.slice(STAFF_COOKIE.length + 1).split(".") as [string];
    await p.t.db
      .update(schema.sessions)
      .set({ passwordConfirmedAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(schema.sessions.id, sessionId));
    expect(await (await p.get("/settings/security", owner.cookie)).text()).toMatch(
      /name="yourPassword"/,
    );
    const stale = await p.post("/settings/security", owner.cookie, { requireTwoFactor: "on" });
    expect(stale.status).toBe(403);
    const again = await p.post("/settings/security", owner.cookie, {
      requireTwoFactor: "on",
      yourPassword: PASSWORD,
    });
    expect(again.status).toBe(200);
    const [third] = await p.t.db.select().from(schema.securitySettings);
    expect(third?.requireStaffTwoFactor).toBe(true);

    // With the rule on, a manager without two-factor is sent to set it up; with it off, refused.
    const manager = await member("MANAGER");
    expect((await p.get("/settings/security", manager.cookie)).headers.get("location")).toBe(
      "/account/two-factor?next=%2Fsettings%2Fsecurity",
    );
    await p.t.db.update(schema.securitySettings).set({ requireStaffTwoFactor: false });
    expect((await p.get("/settings/security", manager.cookie)).status).toBe(403);
    expect(
      (await p.post("/settings/security", manager.cookie, { requireTwoFactor: "on" })).status,
    ).toBe(403);
  });
});
