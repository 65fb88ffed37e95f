import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDb, type DbHandle } from "../client";

export const TEMPLATE_DATABASE = "xplorium_template";

/** The admin URL of the test cluster, provided by the vitest global setup. */
export function testClusterUrl(): string {
  // Set by the vitest global setup; tests only, so outside the validated app environment.
  // biome-ignore lint/style/noProcessEnv: test harness wiring, not app configuration
  const url = process.env.XPLORIUM_TEST_PG_URL;
  if (!url) throw new Error("XPLORIUM_TEST_PG_URL is not set: run tests through `pnpm test`");
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase extends DbHandle {
  name: string;
  drop: () => Promise<void>;
}

/** A fresh database copied from the migrated template: cheap (a file copy), fully isolated. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testClusterUrl();
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = withDatabase(adminUrl, name);
  const handle = createDb(url, { max: 5 });
  return {
    ...handle,
    name,
    drop: async () => {
      await handle.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        // Clients a test started (graphile-worker's pg pool) may still be closing their
        // connections: forcing those would hand them an error nobody listens for any more.
        // Give them a moment to go; then force whatever is left.
        for (let i = 0; i < 20; i++) {
          const [row] =
            await a`select count(*)::int as n from pg_stat_activity where datname = ${name}`;
          if (!row || row.n === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end({ timeout: 1 });
      }
    },
  };
}

export {
  insertCustomer,
  insertStaff,
  insertStaffActor,
  testDeps,
  testMeta,
  unique,
} from "./factories";
export { withDatabase };
