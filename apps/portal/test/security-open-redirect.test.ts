import { issueLoginCode } from "@xplorium/auth";
import { insertCustomer, unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { lookalikeNext, UNSAFE_NEXT } from "../../../packages/api/test/open-redirect-payloads";
import { signSignUpTicket } from "../../../packages/core/src/auth/sign-up-codes";
import * as signIn from "../app/routes/sign-in";
import * as signUp from "../app/routes/sign-up";
import { fieldValue, rootPage, usePortalPages } from "./portal-pages";

/**
 * Issue 14, finding 2, through the portal's real routes over HTTP: `?next=` on the sign-in page
 * (a signed-in visitor is sent on at once), the code check and the sign-up form never sends
 * anyone off the portal. Every unsafe value lands on the default page instead; a path on the
 * portal is kept. The whole payload table is the unit test's (packages/api/test).
 */

const pages = usePortalPages({
  routes: [rootPage("sign-in", "sign-in", signIn), rootPage("sign-up", "sign-up", signUp)],
  // A client address per request, so the sign-in rate limits of one case never touch another.
  clientIp: () => `10.77.${Math.floor(++requests / 250)}.${requests % 250}`,
});
let requests = 0;

/** The values replayed through the actions: one of every kind in the table, and look-alikes. */
const REPRESENTATIVE = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\u00a0/evil.example",
  "/\\evil.example",
  "//evil.example",
  "/.//evil.example",
  "/%09/evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "https://evil.example/",
  `/${"a".repeat(2000)}`,
];

const post = (path: string, fields: Record<string, string>) => pages.post(path, fields);
const customerCookie = (customerId: string) => pages.cookieFor(customerId);

describe("?next= on the portal", () => {
  it("the sign-in page sends a signed-in customer home for every unsafe value, and on for a portal path", async () => {
    const customer = await insertCustomer(pages.t.db);
    const cookie = await customerCookie(customer.id);
    const open = (next: string) =>
      fetch(`${pages.url}/sign-in?next=${encodeURIComponent(next)}`, {
        headers: { cookie },
        redirect: "manual",
      });
    for (const next of [...UNSAFE_NEXT, ...lookalikeNext(pages.url)]) {
      const res = await open(next);
      expect(res.status, JSON.stringify(next)).toBe(302);
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/");
    }
    const kept = await open("/rewards?redeem=x");
    expect(kept.headers.get("location")).toBe("/rewards?redeem=x");
    const own = await open(`${pages.url}/history?page=2`);
    expect(own.headers.get("location")).toBe("/history?page=2");
  });

  it("the sign-in form carries no unsafe value along, and a portal path as a path", async () => {
    for (const next of REPRESENTATIVE) {
      const res = await fetch(`${pages.url}/sign-in?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(200);
      expect(fieldValue(await res.text(), "next"), JSON.stringify(next)).toBeNull();
    }
    const res = await fetch(
      `${pages.url}/sign-in?next=${encodeURIComponent(`${pages.url}/history`)}`,
    );
    expect(fieldValue(await res.text(), "next")).toBe("/history");
  });

  it("the code check signs in and goes home for every unsafe value, and on for a portal path", async () => {
    const verify = async (next: string) => {
      // A customer per case, so no code-check limit of one address is reached.
      const customer = await insertCustomer(pages.t.db);
      const { code } = await issueLoginCode(pages.t.db, customer.id, pages.env.SESSION_SECRET);
      return post("/sign-in", { intent: "verify", email: customer.email!, code, next });
    };
    for (const next of [...REPRESENTATIVE, ...lookalikeNext(pages.url)]) {
      const res = await verify(next);
      expect(res.status, JSON.stringify(next)).toBe(302);
      expect(res.headers.get("set-cookie"), JSON.stringify(next)).toContain("xp_customer_session=");
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/");
    }
    expect((await verify("/rewards?redeem=x")).headers.get("location")).toBe("/rewards?redeem=x");
  });

  it("the sign-up form creates the account and goes to the welcome page for every unsafe value", async () => {
    const create = (next: string) => {
      const email = `next-${unique()}@example.com`;
      const { ticket } = signSignUpTicket(pages.env.SESSION_SECRET, "form", email);
      return post("/sign-up", { email, ticket, name: "Ana", referralCode: "", next });
    };
    for (const next of [...REPRESENTATIVE, ...lookalikeNext(pages.url)]) {
      const res = await create(next);
      expect(res.status, JSON.stringify(next)).toBe(302);
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/?welcome=1");
    }
    expect((await create("/referrals")).headers.get("location")).toBe("/referrals");
  });
});
