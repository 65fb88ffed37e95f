import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, createWriteStream, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, ensureDatabaseExists } from "@xplorium/db";
import { startEmbeddedPostgres } from "@xplorium/db/embedded";
import { migrateDatabase } from "@xplorium/db/migrate";
import { withDatabase } from "@xplorium/db/testing";
import { productionBuildExists, productionCommand } from "../scripts/production";

export const root = path.resolve(import.meta.dirname, "../..");

/** Ports of this suite only (the dev servers use 3000/3001, the browser journeys 3200/3201). */
export const PORTS = {
  pg: 54361,
  admin: [3410, 3411],
  portal: [3420, 3421],
} as const;

export const ADMIN_URL = `http://127.0.0.1:${PORTS.admin[0]}`;
export const PORTAL_URL = `http://127.0.0.1:${PORTS.portal[0]}`;
export const SESSION_SECRET = "reliability-session-secret-0123456789abcdefgh";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One embedded cluster on its own port and temporary data directory, restartable in place. */
export class Cluster {
  dir = mkdtempSync(path.join(tmpdir(), "xplorium-reliability-"));
  dataDir = path.join(this.dir, "data");
  url = "";
  private handle: { stop: () => Promise<void> } | undefined;

  async start() {
    chmodSync(this.dir, 0o755);
    const pg = await startEmbeddedPostgres({
      dataDir: this.dataDir,
      port: PORTS.pg,
      flags: ["-c", "fsync=off", "-c", "max_connections=200"],
    });
    this.handle = pg;
    this.url = pg.url;
  }

  async stop() {
    await this.handle?.stop();
    this.handle = undefined;
  }
}

export async function prepareDatabase(clusterUrl: string) {
  await ensureDatabaseExists(clusterUrl, "xplorium_reliability");
  const url = withDatabase(clusterUrl, "xplorium_reliability");
  await migrateDatabase(url);
  return url;
}

export function buildApps() {
  if (process.env.RELIABILITY_SKIP_BUILD && productionBuildExists()) return;
  execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=./apps/*"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
}

export interface Proc {
  name: string;
  child: ChildProcess;
}

/**
 * Starts an app instance or a worker as production runs them (plain node on the built bundle with
 * the production flags: tooling/scripts/production.ts), in its own process group, its JSON log
 * lines into `<tmp>/<name>.log`.
 */
export function startProcess(
  name: string,
  app: "admin" | "portal" | "worker",
  databaseUrl: string,
  logDir: string,
  extraEnv: Record<string, string> = {},
): Proc {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    SESSION_SECRET,
    ADMIN_URL,
    PORTAL_URL,
    LOG_LEVEL: "warn",
    ...extraEnv,
  };
  if (!extraEnv.RESEND_API_KEY) {
    delete env.RESEND_API_KEY;
    // Production refuses to start without Resend unless the outbox is chosen.
    env.EMAIL_TRANSPORT ??= "outbox";
  }
  const { cwd, args, env: productionEnv } = productionCommand(app);
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...env, ...productionEnv } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const out = createWriteStream(path.join(logDir, `${name}.log`));
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child };
}

export async function stopProcess(p: Proc, signal: NodeJS.Signals = "SIGTERM") {
  if (!p.child.pid || p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once("exit", r));
  try {
    process.kill(-p.child.pid, signal);
  } catch {}
  await Promise.race([exited, sleep(5000)]);
  try {
    process.kill(-p.child.pid, "SIGKILL");
  } catch {}
}

/** Waits until `url` answers 200 (readiness), returning how long it took. */
export async function waitReady(url: string, timeoutMs = 60_000): Promise<number> {
  const began = Date.now();
  while (Date.now() - began < timeoutMs) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return Date.now() - began;
    } catch {}
    await sleep(200);
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}

export function openDb(url: string) {
  return createDb(url, { max: 4 });
}

/** What one tRPC call over HTTP came back as. */
export type CallResult =
  | { kind: "ok"; status: number; data: unknown; setCookie: string[] }
  | { kind: "error"; status: number; code: string; message: string }
  | { kind: "network"; message: string };

/** One tRPC call as a browser (or the booking site) makes it: superjson envelope, own Origin. */
export async function trpc(
  base: string,
  origin: string,
  procedure: string,
  input: unknown,
  opts: { method?: "GET" | "POST"; cookie?: string; authorization?: string } = {},
): Promise<CallResult> {
  const method = opts.method ?? "POST";
  const headers: Record<string, string> = { origin, "user-agent": "reliability-suite" };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.authorization) headers.authorization = opts.authorization;
  let url = `${base}/api/trpc/${procedure}`;
  let body: string | undefined;
  if (method === "GET") {
    if (input !== undefined) url += `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  } else {
    headers["content-type"] = "application/json";
    body = JSON.stringify({ json: input ?? null });
  }
  try {
    const res = await fetch(url, {
      method,
      headers,
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(15_000),
    });
    const raw = await res.text();
    let json: {
      result?: { data: { json: unknown } };
      error?: { json: { message: string; data?: { code?: string } } };
    };
    try {
      json = JSON.parse(raw);
    } catch {
      return { kind: "error", status: res.status, code: "NON_JSON", message: raw.slice(0, 200) };
    }
    if (res.ok && json.result) {
      return {
        kind: "ok",
        status: res.status,
        data: json.result.data.json,
        setCookie: res.headers.getSetCookie(),
      };
    }
    return {
      kind: "error",
      status: res.status,
      code: json.error?.json.data?.code ?? "UNKNOWN",
      message: json.error?.json.message ?? raw.slice(0, 200),
    };
  } catch (e) {
    return { kind: "network", message: String((e as Error).cause ?? e) };
  }
}

/** `name=value` pairs of Set-Cookie headers, as a Cookie header. */
export function cookieHeader(setCookie: string[]): string {
  return setCookie.map((c) => c.split(";")[0]).join("; ");
}
