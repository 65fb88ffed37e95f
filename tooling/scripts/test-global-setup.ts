import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ensureDatabaseExists } from "@xplorium/db";
import { startEmbeddedPostgres } from "@xplorium/db/embedded";
import { migrateDatabase } from "@xplorium/db/migrate";
import { TEMPLATE_DATABASE, withDatabase } from "@xplorium/db/testing";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

/**
 * One throwaway PostgreSQL cluster per test run (or TEST_DATABASE_URL's server), with a migrated
 * template database; each test file copies it (packages/db/src/testing).
 */
export default async function setup() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = mkdtempSync(path.join(tmpdir(), "xplorium-test-pg-"));
    // mkdtemp makes it 0700; as root, PostgreSQL runs as the postgres user and must get in.
    chmodSync(dir, 0o755);
    const started = await startEmbeddedPostgres({
      dataDir: path.join(dir, "data"),
      port: await freePort(),
      // A throwaway cluster: durability buys nothing here.
      flags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    });
    adminUrl = started.url;
    stop = started.stop;
  }
  const admin = (await import("postgres")).default(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${TEMPLATE_DATABASE}" with (force)`);
  await admin.end();
  await ensureDatabaseExists(adminUrl, TEMPLATE_DATABASE);
  await migrateDatabase(withDatabase(adminUrl, TEMPLATE_DATABASE));
  process.env.XPLORIUM_TEST_PG_URL = adminUrl;

  return async () => {
    await stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
