import { randomBytes } from "node:crypto";
import type { StaffRole } from "@xplorium/auth";
import { type Database, schema } from "@xplorium/db";

let counter = 0;
const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(3).toString("hex")}`;

/** A staff row; the password hash is a placeholder unless given (session tests never check it). */
export async function insertStaff(
  db: Database,
  opts: { role?: StaffRole; disabled?: boolean; passwordHash?: string; email?: string } = {},
) {
  const [row] = await db
    .insert(schema.staffUsers)
    .values({
      email: opts.email ?? `staff-${unique()}@example.com`,
      name: "Test Staff",
      role: opts.role ?? "FRONT_DESK",
      passwordHash: opts.passwordHash ?? "not-a-hash",
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
