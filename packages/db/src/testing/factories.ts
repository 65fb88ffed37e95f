import { randomBytes } from "node:crypto";
import { type Env, loadEnv } from "@xplorium/config";
import type { Database } from "../client";
import * as schema from "../schema";

let counter = 0;
/** Unique enough for emails and codes across parallel test files. */
export const unique = () =>
  `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(3).toString("hex")}`;

type StaffRole = (typeof schema.staffRole.enumValues)[number];

/** A staff row; the password hash is a placeholder unless given (most tests never check it). */
export async function insertStaff(
  db: Database,
  opts: {
    role?: StaffRole;
    disabled?: boolean;
    passwordHash?: string;
    email?: string;
    name?: string;
  } = {},
) {
  const [row] = await db
    .insert(schema.staffUsers)
    .values({
      email: opts.email ?? `staff-${unique()}@example.com`,
      name: opts.name ?? `Staff ${opts.role ?? "FRONT_DESK"}`,
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

/** A staff member in the database and the actor that services take for them. */
export async function insertStaffActor<R extends StaffRole = "FRONT_DESK">(
  db: Database,
  opts: { role?: R; name?: string } = {},
) {
  const row = await insertStaff(db, {
    role: opts.role ?? "FRONT_DESK",
    ...(opts.name ? { name: opts.name } : {}),
  });
  return { type: "staff" as const, id: row.id, role: (opts.role ?? "FRONT_DESK") as R };
}

/** Request metadata for service calls in tests. */
export const testMeta = { ip: "127.0.0.1", userAgent: null, requestId: "test" };

/**
 * What services take first (`doThing(deps, input)`, see packages/core/src/deps.ts) for a test
 * acting as `actor`: test request metadata and the test configuration unless one is given.
 */
export function testDeps<A, C = Env>(
  db: Database,
  actor: A,
  opts: { config?: C; now?: Date } = {},
): { db: Database; actor: A; meta: typeof testMeta; config: C; now?: Date } {
  return {
    db,
    actor,
    meta: testMeta,
    config: opts.config ?? (loadEnv({ NODE_ENV: "test" }) as C),
    ...(opts.now ? { now: opts.now } : {}),
  };
}
