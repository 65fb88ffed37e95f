import { createSession, hashPassword, type StaffRole, sessionCookieName } from "@xplorium/auth";
import type { Database } from "@xplorium/db";
import { type Env, loadEnv } from "@xplorium/db/env";
import { insertCustomer, insertStaff as insertStaffRow, unique } from "@xplorium/db/testing";

export { insertCustomer, unique };

export function testEnv(url: string, extra: Record<string, string> = {}): Env {
  return loadEnv({ NODE_ENV: "test", DATABASE_URL: url, ...extra });
}

/** A staff row with a real argon2 hash when a password is given (sign-in tests). */
export async function insertStaff(
  db: Database,
  opts: { role?: StaffRole; password?: string; email?: string; disabled?: boolean } = {},
) {
  const { password, ...rest } = opts;
  return insertStaffRow(db, {
    ...rest,
    ...(password ? { passwordHash: await hashPassword(password) } : {}),
  });
}

/** `Cookie:` header value carrying a freshly created real session for the subject. */
export async function staffCookie(
  db: Database,
  staffUserId: string,
): Promise<{ token: string; cookie: string }> {
  const { token } = await createSession(db, { kind: "STAFF", staffUserId });
  return { token, cookie: `${sessionCookieName("STAFF", { secure: false })}=${token}` };
}

export async function customerCookie(
  db: Database,
  customerId: string,
): Promise<{ token: string; cookie: string }> {
  const { token } = await createSession(db, { kind: "CUSTOMER", customerId });
  return { token, cookie: `${sessionCookieName("CUSTOMER", { secure: false })}=${token}` };
}
