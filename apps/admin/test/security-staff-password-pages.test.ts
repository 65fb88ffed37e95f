import {
  createSession,
  hashPassword,
  type StaffRole,
  sessionCookieName,
  validateStaffSession,
  verifyPassword,
} from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { insertStaff, unique } from "@xplorium/db/testing";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { WRONG_CURRENT_PASSWORD } from "../../../packages/core/src/auth/staff-password";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as accountPage from "../app/routes/_app.account";
import * as forgotPage from "../app/routes/forgot-password";
import * as resetPage from "../app/routes/reset-password";
import * as resetLink from "../app/routes/reset-password_.$token";
import * as signInPage from "../app/routes/sign-in";
import { page, rootPage, useAdminPages } from "./admin-pages";

/**
 * The staff password pages over real HTTP (Remix + the real route modules + tRPC in-process + a
 * real database): "Your account" (any role changes their own password), "Forgot password?" on
 * the sign-in page, and the emailed link, whose token leaves the address bar for a short-lived
 * cookie before the form is shown, on pages nobody caches and no Referer carries.
 */

const p = useAdminPages({
  routes: [
    page("_app.account", "account", accountPage),
    rootPage("sign-in", "sign-in", signInPage),
    rootPage("forgot-password", "forgot-password", forgotPage),
    rootPage("reset-password", "reset-password", resetPage),
    rootPage("reset-password_.$token", "reset-password/:token", resetLink),
  ],
  env: { ADMIN_URL: "http://admin.test" },
});
const PASSWORD = "correct horse battery staple";
/** The dead-link page's heading (RESET_LINK_INVALID in @xplorium/core, as a title). */
const DEAD_LINK = "This link has expired or was already used";
const NEW_PASSWORD = "a new and rather long passphrase";

const staffCookie = (token: string) => `${sessionCookieName("STAFF", { secure: false })}=${token}`;

async function member(role: StaffRole = "FRONT_DESK") {
  const email = `member-${unique()}@example.com`;
  const staff = await insertStaff(p.t.db, {
    role,
    email,
    name: "Mila Jovanović",
    passwordHash: await hashPassword(PASSWORD),
  });
  const { token } = await createSession(p.t.db, { kind: "STAFF", staffUserId: staff.id });
  return { ...staff, email, token, cookie: staffCookie(token) };
}

async function passwordHashOf(id: string) {
  const [row] = await p.t.db
    .select({ hash: schema.staffUsers.passwordHash })
    .from(schema.staffUsers)
    .where(eq(schema.staffUsers.id, id));
  return row!.hash;
}

async function latestToken(to: string): Promise<string> {
  const [email] = await p.t.db
    .select({ text: schema.emailMessages.text })
    .from(schema.emailMessages)
    .where(
      and(
        eq(schema.emailMessages.template, "staff-password-reset"),
        eq(schema.emailMessages.toEmail, to),
      ),
    )
    .orderBy(desc(schema.emailMessages.createdAt))
    .limit(1);
  const token = /\/reset-password\/([a-z0-9]+\.[a-z0-9]+)/.exec(email?.text ?? "")?.[1];
  if (!token) throw new Error(`no reset link for ${to}`);
  return token;
}

/** The Set-Cookie of the reset cookie, parsed into its value and attributes. */
function resetCookieOf(res: Response) {
  const raw = res.headers.getSetCookie().find((c) => c.startsWith("xp_password_reset="));
  if (!raw) return null;
  const [pair, ...attrs] = raw.split(";").map((s) => s.trim());
  return { value: pair!.slice("xp_password_reset=".length), attrs, raw };
}

describe("Your account", () => {
  it("shows every role their name, email and role, the password form and the two-factor link", async () => {
    for (const role of ["FRONT_DESK", "MARKETING", "MANAGER", "OWNER"] as const) {
      const m = await member(role);
      const res = await p.get("/account", m.cookie);
      expect(res.status, role).toBe(200);
      const html = await res.text();
      const text = visibleText(html);
      expect(text).toContain("Your account");
      expect(text).toContain("Mila Jovanović");
      expect(text).toContain(m.email);
      expect(text).toContain(
        { FRONT_DESK: "Front desk", MARKETING: "Marketing", MANAGER: "Manager", OWNER: "Owner" }[
          role
        ],
      );
      for (const label of ["Current password", "New password", "Confirm new password"]) {
        expect(text).toContain(label);
      }
      expect(html).toMatch(/<a[^>]*href="\/account\/two-factor"[^>]*>Two-factor sign-in<\/a>/);
      // The layout links here from the signed-in user's corner, marked as the current page.
      expect(html).toMatch(/<a[^>]*aria-current="page"[^>]*href="\/account"[^>]*>Your account/);
    }
  });

  it("sends anyone signed out to sign in first", async () => {
    const res = await p.get("/account", "");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Faccount");
  });

  it("refuses a wrong current password, a mismatch and a weak password inline; changes nothing", async () => {
    const m = await member();
    const cases: [Record<string, string>, string, string][] = [
      [
        { currentPassword: "not my password", newPassword: NEW_PASSWORD },
        "currentPassword",
        WRONG_CURRENT_PASSWORD,
      ],
      [
        { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: "something else" },
        "confirmPassword",
        "The two new passwords do not match.",
      ],
      [{ currentPassword: PASSWORD, newPassword: "short" }, "newPassword", "Use at least 12"],
    ];
    for (const [fields, field, message] of cases) {
      const res = await p.post("/account", m.cookie, {
        intent: "password",
        confirmPassword: fields.newPassword!,
        ...fields,
      });
      expect(res.status, message).toBe(400);
      const html = await res.text();
      // The message under its field, the field marked invalid.
      expect(html).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"`));
      expect(visibleText(html)).toContain(message);
    }
    expect(await verifyPassword(await passwordHashOf(m.id), PASSWORD)).toBe(true);
  });

  it("changes the password: other sessions end, this one stays", async () => {
    const m = await member();
    const { token: other } = await createSession(p.t.db, { kind: "STAFF", staffUserId: m.id });
    const res = await p.post("/account", m.cookie, {
      intent: "password",
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(await verifyPassword(await passwordHashOf(m.id), NEW_PASSWORD)).toBe(true);
    expect(await validateStaffSession(p.t.db, other)).toBeNull();
    expect((await p.get("/account", m.cookie)).status).toBe(200);
  });
});

describe("Forgot password", () => {
  it("is linked from the sign-in page, which confirms a reset afterwards", async () => {
    const html = await (await p.get("/sign-in", "")).text();
    expect(html).toMatch(/<a[^>]*href="\/forgot-password"[^>]*>Forgot password\?<\/a>/);
    expect(visibleText(html)).not.toContain("new password is set");
    const after = visibleText(await (await p.get("/sign-in?reset=done", "")).text());
    expect(after).toContain("Your new password is set. Sign in with it.");
  });

  it("answers a member and an unknown address with the same page; mails the member only", async () => {
    const m = await member();
    const unknown = `nobody-${unique()}@example.com`;
    const pages: string[] = [];
    for (const email of [m.email, unknown]) {
      const res = await p.post("/forgot-password", "", { email });
      expect(res.status).toBe(200);
      const text = visibleText(await res.text());
      expect(text).toContain(
        `If ${email} belongs to a staff account, we've sent a link to choose a new password.`,
      );
      pages.push(text.replace(email, "ADDRESS"));
    }
    expect(pages[0]).toBe(pages[1]);
    expect(await latestToken(m.email)).toMatch(/\./);
    await expect(latestToken(unknown)).rejects.toThrow();
  });

  it("asks for a valid address inline", async () => {
    const res = await p.post("/forgot-password", "", { email: "not an address" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/name="email"[^>]*aria-invalid="true"/);
  });
});

describe("the reset link", () => {
  it("moves the token into a cookie, sets the password once, ends every session, sends to sign-in", async () => {
    const m = await member();
    await p.post("/forgot-password", "", { email: m.email });
    const token = await latestToken(m.email);
    const secret = token.split(".")[1]!;

    // The emailed address: no page, just the cookie and a redirect to the address without it.
    const opened = await p.get(`/reset-password/${token}`, "");
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe("/reset-password");
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    expect(opened.headers.get("cache-control")).toBe("no-store");
    const cookie = resetCookieOf(opened);
    expect(cookie?.value).toBe(token);
    expect(cookie?.attrs).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=3600"]),
    );
    const jar = `xp_password_reset=${token}`;

    const form = await p.get("/reset-password", jar);
    expect(form.status).toBe(200);
    expect(form.headers.get("referrer-policy")).toBe("no-referrer");
    expect(form.headers.get("cache-control")).toBe("no-store");
    const html = await form.text();
    expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
    expect(html).not.toContain(secret);
    const text = visibleText(html);
    expect(text).toContain("Choose a new password");
    expect(text).toContain(m.email);

    const mismatch = await p.post("/reset-password", jar, {
      password: NEW_PASSWORD,
      confirmPassword: "something else entirely",
    });
    expect(mismatch.status).toBe(400);
    expect(visibleText(await mismatch.text())).toContain("The two passwords do not match.");
    const weak = await p.post("/reset-password", jar, {
      password: "password1234",
      confirmPassword: "password1234",
    });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toMatch(/name="password"[^>]*aria-invalid="true"/);

    const done = await p.post("/reset-password", jar, {
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/sign-in?reset=done");
    expect(resetCookieOf(done)?.attrs).toContain("Max-Age=0");
    // Nobody is signed in by the reset, and the member's own session is gone.
    expect(done.headers.getSetCookie().some((c) => c.includes("xp_staff_session="))).toBe(false);
    expect(await validateStaffSession(p.t.db, m.token)).toBeNull();
    expect(await verifyPassword(await passwordHashOf(m.id), NEW_PASSWORD)).toBe(true);

    // The same link again: the dead-link page, which offers a new one.
    await p.get(`/reset-password/${token}`, "");
    const again = await p.get("/reset-password", jar);
    const againHtml = await again.text();
    expect(visibleText(againHtml)).toContain(DEAD_LINK);
    expect(againHtml).toMatch(/href="\/forgot-password"/);
    expect(resetCookieOf(again)?.attrs).toContain("Max-Age=0");
    const replay = await p.post("/reset-password", jar, {
      password: "yet another long passphrase",
      confirmPassword: "yet another long passphrase",
    });
    expect(replay.status).toBe(400);
    expect(visibleText(await replay.text())).toContain(DEAD_LINK);
    expect(await verifyPassword(await passwordHashOf(m.id), NEW_PASSWORD)).toBe(true);
  });

  it("without a cookie, or with a malformed link, shows the dead-link page", async () => {
    const bare = await p.get("/reset-password", "");
    expect(bare.status).toBe(200);
    expect(visibleText(await bare.text())).toContain(DEAD_LINK);
    const junk = await p.get("/reset-password/not-a-token", "");
    expect(junk.status).toBe(303);
    expect(resetCookieOf(junk)?.attrs).toContain("Max-Age=0");
    const unknown = await p.get(
      "/reset-password",
      `xp_password_reset=${"a".repeat(24)}.${"b".repeat(32)}`,
    );
    expect(visibleText(await unknown.text())).toContain(DEAD_LINK);
  });
});
