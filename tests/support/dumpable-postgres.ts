import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ensureDatabaseExists } from "@xplorium/db";
import { findPgTool, pgBinCandidates, serverMajorVersion } from "@xplorium/db/backup";
import { testClusterUrl, withDatabase } from "@xplorium/db/testing";

const run = promisify(execFile);

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

export interface DumpableServer {
  /** Admin URL (database `postgres`) of a server that this machine's pg_dump can dump. */
  url: string;
  describe: string;
  /** A fresh empty database on it. */
  database: (name: string) => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * A PostgreSQL server whose version the available pg_dump accepts (pg_dump refuses servers newer
 * than itself). The test cluster when a new enough pg_dump exists (e.g. postgresql-client-18);
 * otherwise a throwaway cluster of the newest Debian server whose own client tools are installed
 * (`/usr/lib/postgresql/<major>/bin`, e.g. Debian 12's PostgreSQL 15), so the real scripts run
 * end to end on any machine with a PostgreSQL server package. Null when there is neither.
 */
export async function startDumpableServer(): Promise<DumpableServer | null> {
  const clusterUrl = testClusterUrl();
  const major = await serverMajorVersion(clusterUrl);
  const database = async (base: string, name: string) => {
    await ensureDatabaseExists(base, name);
    return withDatabase(base, name);
  };
  const usable = await findPgTool("pg_dump", major).then(
    () => true,
    () => false,
  );
  if (usable) {
    return {
      url: clusterUrl,
      describe: `the test cluster (PostgreSQL ${major})`,
      database: (name) => database(clusterUrl, name),
      stop: async () => {},
    };
  }

  const binDir = pgBinCandidates().find(
    (dir) =>
      dir.startsWith("/usr/lib/postgresql/") &&
      ["postgres", "initdb", "pg_ctl", "pg_dump", "pg_restore"].every((b) =>
        existsSync(path.join(dir, b)),
      ),
  );
  if (!binDir) return null;

  const dir = mkdtempSync(path.join(tmpdir(), "xplorium-dump-pg-"));
  chmodSync(dir, 0o755);
  // PostgreSQL will not run as root: as root, the cluster belongs to the postgres user.
  const asRoot = userInfo().uid === 0;
  const as = async (command: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", path.join(binDir, command), ...args])
      : run(path.join(binDir, command), args);
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, "data");
  const port = await freePort();
  await as("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
  await as("pg_ctl", [
    "-D",
    data,
    "-o",
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`,
    "-l",
    path.join(dir, "log"),
    "-w",
    "start",
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    describe: `a throwaway PostgreSQL ${path.basename(path.dirname(binDir))} cluster (${binDir})`,
    database: (name) => database(url, name),
    stop: async () => {
      await as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
