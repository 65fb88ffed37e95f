import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { seedDemoData } from "@xplorium/core/seed";
import { checkReadiness, createDb } from "@xplorium/db";
import { findPgTool } from "@xplorium/db/backup";
import { migrateDatabase } from "@xplorium/db/migrate";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DumpableServer, startDumpableServer } from "./support/dumpable-postgres";

/**
 * `pnpm db:backup` and `pnpm db:restore`, run as the commands they are (tsx, the real scripts,
 * pg_dump / pg_restore), on a migrated database with the demo data: the restored copy holds the
 * same rows in every table, passes readiness, and still enforces the ledger guard.
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const tsx = path.join(root, "node_modules/.bin/tsx");

let server: DumpableServer | null;
let sourceUrl: string;
let dir: string;

function script(name: "backup" | "restore", args: string[], databaseUrl: string) {
  return run(tsx, [path.join(root, `packages/db/scripts/${name}.ts`), ...args], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", DATABASE_URL: databaseUrl },
  });
}

/** Row count and a checksum of every row, per table, in every schema the app owns. */
async function fingerprint(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ schema: string; name: string }[]>`
      select schemaname as schema, tablename as name from pg_tables
      where schemaname in ('public', 'drizzle', 'graphile_worker')
      order by 1, 2`;
    const out: Record<string, { rows: number; md5: string | null }> = {};
    for (const t of tables) {
      const id = `"${t.schema}"."${t.name}"`;
      const [row] = await sql.unsafe<{ rows: number; md5: string | null }[]>(
        `select count(*)::int as rows, md5(string_agg(x::text, '|' order by x::text)) as md5 from ${id} x`,
      );
      out[`${t.schema}.${t.name}`] = row!;
    }
    return out;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

beforeAll(async () => {
  server = await startDumpableServer();
  if (!server) return;
  dir = mkdtempSync(path.join(tmpdir(), "xplorium-backup-"));
  sourceUrl = await server.database(`backup_src_${Date.now()}`);
  await migrateDatabase(sourceUrl);
  const handle = createDb(sourceUrl, { max: 2 });
  try {
    await seedDemoData(handle.db, { currency: "EUR" });
  } finally {
    await handle.close();
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("pnpm db:backup / db:restore", () => {
  it("round-trips every row into an empty database, which is then ready and guarded", async (ctx) => {
    if (!server) {
      ctx.skip(
        "no pg_dump new enough for the test cluster and no PostgreSQL server package to fall back on",
      );
      return;
    }
    const file = path.join(dir, "round-trip.dump");
    const backup = await script("backup", [file], sourceUrl);
    expect(backup.stdout).toContain(`Backup written to ${file}`);
    expect(existsSync(file)).toBe(true);

    const targetUrl = await server.database(`backup_dst_${Date.now()}`);
    const restore = await script("restore", [file], targetUrl);
    expect(restore.stdout).toContain("Restored");

    const [before, after] = await Promise.all([fingerprint(sourceUrl), fingerprint(targetUrl)]);
    expect(Object.keys(before).length).toBeGreaterThan(20);
    expect(before["public.customers"]!.rows).toBeGreaterThan(0);
    expect(before["public.loyalty_ledger"]!.rows).toBeGreaterThan(0);
    expect(after).toEqual(before);

    const restored = createDb(targetUrl, { max: 1 });
    try {
      expect(await checkReadiness(restored.db)).toEqual({
        ready: true,
        checks: { database: "ok", migrations: "ok" },
      });
      // The ledger guard (a deferred constraint trigger) came back with the schema.
      await expect(
        restored.sql`update customers set loyalty_points = loyalty_points + 1 where id = (select id from customers limit 1)`,
      ).rejects.toThrow(/does not match its ledger sum/);
    } finally {
      await restored.close();
    }
  });

  it("refuses to restore over a database with tables unless --replace, which then restores it", async (ctx) => {
    if (!server) {
      ctx.skip("no usable pg_dump / PostgreSQL server");
      return;
    }
    const file = path.join(dir, "replace.dump");
    await script("backup", [file], sourceUrl);
    const targetUrl = await server.database(`backup_dst2_${Date.now()}`);
    await script("restore", [file], targetUrl);

    // Someone changes data after the backup…
    const sql = postgres(targetUrl, { max: 1, onnotice: () => {} });
    try {
      await sql`delete from audit_log`;
    } finally {
      await sql.end({ timeout: 1 });
    }
    const refused = await script("restore", [file], targetUrl).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/already has \d+ tables.*--replace/);

    await script("restore", [file, "--replace"], targetUrl);
    expect(await fingerprint(targetUrl)).toEqual(await fingerprint(sourceUrl));
  });

  it("explains a missing backup file and a missing argument", async (ctx) => {
    if (!server) {
      ctx.skip("no usable pg_dump / PostgreSQL server");
      return;
    }
    const targetUrl = await server.database(`backup_dst3_${Date.now()}`);
    const missing = await script("restore", [path.join(dir, "nope.dump")], targetUrl).catch(
      (e: { stderr: string }) => e,
    );
    expect((missing as { stderr: string }).stderr).toContain("No backup file at");
    const usage = await script("restore", [], targetUrl).catch((e: { stderr: string }) => e);
    expect((usage as { stderr: string }).stderr).toContain("Usage: pnpm db:restore");
  });

  it("names the versions it found when no pg_dump is new enough for the server", async () => {
    await expect(findPgTool("pg_dump", 999)).rejects.toThrow(
      /No pg_dump for PostgreSQL 999 or newer was found.*set PG_BIN_DIR/,
    );
  });
});
