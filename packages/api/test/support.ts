import { randomBytes } from "node:crypto";
import { createSession, hashPassword, type StaffRole, sessionCookieName } from "@xplorium/auth";
import { type Database, schema } from "@xplorium/db";
import { type Env, loadEnv } from "@xplorium/db/env";

let counter = 0;
export const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(3).toString("hex")}`;

export function testEnv(url: string, extra: Record<string, string> = {}): Env {
  return loadEnv({ NODE_ENV: "test", DATABASE_URL: url, ...extra });
}

export async function insertStaff(
  db: Database,
  opts: { role?: StaffRole; password?: string; email?: string; disabled?: boolean } = {},
) {
  const [row] = await db
    .insert(schema.staffUsers)
    .values({
      email: opts.email ?? `staff-${unique()}@example.com`,
      name: `Staff ${opts.role ?? "FRONT_DESK"}`,
      role: opts.role ?? "FRONT_DESK",
      passwordHash: opts.password ? await hashPassword(opts.password) : "not-a-hash",
      disabledAt: opts.disabled ? new Date() : null,
    })
    .returning();
  return row!;
}

export async function insertCustomer(db: Database, opts: { email?: string; name?: string } = {}) {
  const [row] = await db
    .insert(schema.customers)
    .values({
      email: opts.email ?? `customer-${unique()}@example.com`,
      name: opts.name ?? "Test Customer",
      referralCode: `T${unique().toUpperCase()}`,
    })
    .returning();
  return row!;
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
