import { hashPassword } from "@xplorium/auth";
import { insertStaff } from "@xplorium/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { lookalikeNext } from "../../../packages/api/test/open-redirect-payloads";
import * as signIn from "../app/routes/sign-in";
import { rootPage, useAdminPages } from "./admin-pages";

/**
 * Issue 14, finding 2, through the admin's real sign-in action over HTTP: after the password,
 * an unsafe `next` lands on the dashboard and a path on the admin is kept. The whole payload
 * table is the unit test's (packages/api/test/security-open-redirect.test.ts).
 */

/** The admin's own address (ADMIN_URL): its absolute URLs are its own, lookalikes are not. */
const base = "http://admin.test";
const pages = useAdminPages({
  routes: [rootPage("sign-in", "sign-in", signIn)],
  env: { ADMIN_URL: base },
  // A client address per request, so the sign-in rate limits of one case never touch another.
  clientIp: () => `10.78.${Math.floor(++requests / 250)}.${requests % 250}`,
});
let requests = 0;
const PASSWORD = "open-redirect-test-passphrase";
let passwordHash: string;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

const UNSAFE = [
  "/\t/evil.example",
  "/\r/evil.example",
  "/\n/evil.example",
  "/\u00a0/evil.example",
  "/\\evil.example",
  "/\\/evil.example",
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

/** Signs in a new staff member (so no per-address limit is reached) with `next`. */
async function signInWith(next: string) {
  const staff = await insertStaff(pages.t.db, { passwordHash });
  return pages.post("/sign-in", "", { email: staff.email, password: PASSWORD, next });
}

describe("?next= on the admin sign-in", () => {
  it("signs in and goes to the dashboard for every unsafe value", async () => {
    for (const next of [...UNSAFE, ...lookalikeNext(base)]) {
      const res = await signInWith(next);
      expect(res.status, JSON.stringify(next)).toBe(302);
      expect(res.headers.get("set-cookie"), JSON.stringify(next)).toContain("xp_staff_session=");
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/");
    }
  });

  it("goes on to a path on the admin, and turns its own absolute URL into a path", async () => {
    const kept = await signInWith("/customers/42?tab=loyalty");
    expect(kept.headers.get("location")).toBe("/customers/42?tab=loyalty");
    const own = await signInWith(`${base}/marketing/campaigns?page=2`);
    expect(own.headers.get("location")).toBe("/marketing/campaigns?page=2");
  });
});
