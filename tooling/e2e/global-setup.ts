import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedDemoData } from "@xplorium/core/seed";
import { createDb, ensureDatabaseExists } from "@xplorium/db";
import { startEmbeddedPostgres } from "@xplorium/db/embedded";
import { migrateDatabase } from "@xplorium/db/migrate";
import { withDatabase } from "@xplorium/db/testing";
import {
  type ProductionProcess,
  productionBuildExists,
  productionCommand,
  waitFor,
} from "../scripts/production";

const root = path.resolve(import.meta.dirname, "../..");
export const E2E_ADMIN_PORT = 3200;
export const E2E_PORTAL_PORT = 3201;
const PG_PORT = 54349;
/** The Resend webhook signing secret of the e2e servers; the campaign journey signs with it. */
export const E2E_WEBHOOK_SECRET = `whsec_${Buffer.from("e2e-webhook-secret-0123456789").toString("base64")}`;

/**
 * Browser journeys run against the production build: a fresh embedded PostgreSQL with demo
 * data, both apps built and started with NODE_ENV=production (CSP, Secure __Host- cookies), and
 * the worker delivering email into the outbox (EMAIL_TRANSPORT=outbox).
 */
async function assertPortFree(port: number) {
  const answered = await fetch(`http://localhost:${port}/`).then(
    () => true,
    () => false,
  );
  if (answered) throw new Error(`Port ${port} is already in use: stop whatever runs there first.`);
}

export default async function setup() {
  await assertPortFree(E2E_ADMIN_PORT);
  await assertPortFree(E2E_PORTAL_PORT);
  const dir = mkdtempSync(path.join(tmpdir(), "xplorium-e2e-pg-"));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, "data"),
    port: PG_PORT,
    flags: ["-c", "fsync=off", "-c", "synchronous_commit=off"],
  });
  await ensureDatabaseExists(pg.url, "xplorium_e2e");
  const url = withDatabase(pg.url, "xplorium_e2e");
  await migrateDatabase(url);
  const handle = createDb(url, { max: 2 });
  await seedDemoData(handle.db, { currency: "EUR" });
  await handle.close();

  if (!process.env.E2E_SKIP_BUILD || !productionBuildExists()) {
    // vitest sets NODE_ENV=test; the build must be a real production build.
    execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=./apps/*"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
  }

  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: url,
    SESSION_SECRET: "e2e-session-secret-0123456789abcdefghijklmnop",
    ADMIN_PORT: String(E2E_ADMIN_PORT),
    PORTAL_PORT: String(E2E_PORTAL_PORT),
    ADMIN_URL: `http://localhost:${E2E_ADMIN_PORT}`,
    PORTAL_URL: `http://localhost:${E2E_PORTAL_PORT}`,
    RESEND_API_KEY: "",
    // Nothing leaves the machine: the outbox, chosen (production refuses to start otherwise).
    // Sign-in codes keep no body there; journeys read them from their own mailbox (mailbox.ts).
    EMAIL_TRANSPORT: "outbox",
    RESEND_WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
    // Warnings and errors only (one JSON line per request drowned the test output);
    // E2E_LOG_LEVEL=info to see every request.
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
  };
  delete (env as Record<string, string | undefined>).RESEND_API_KEY;
  // Each in its own process group, so teardown stops it and anything it started. Node itself
  // on the built bundle, as the apps' start scripts run it (tooling/scripts/production.ts), not
  // through pnpm or the tsx CLI, which relay signals and could cut the graceful stop.
  const start = (app: ProductionProcess) => {
    const command = productionCommand(app);
    return spawn(process.execPath, command.args, {
      cwd: command.cwd,
      env: { ...env, ...command.env } as NodeJS.ProcessEnv,
      stdio: "inherit",
      detached: true,
    });
  };
  const procs: ChildProcess[] = [start("admin"), start("portal"), start("worker")];
  // /readyz answers 503 until the app can serve (database reachable, migrations applied).
  await Promise.all([
    waitFor(`http://localhost:${E2E_ADMIN_PORT}/readyz`, 90_000),
    waitFor(`http://localhost:${E2E_PORTAL_PORT}/readyz`, 90_000),
  ]);
  process.env.E2E_ADMIN_URL = env.ADMIN_URL;
  process.env.E2E_PORTAL_URL = env.PORTAL_URL;
  process.env.E2E_DATABASE_URL = url;

  return async () => {
    for (const p of procs) if (p.pid) process.kill(-p.pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    for (const p of procs) {
      try {
        if (p.pid) process.kill(-p.pid, "SIGKILL");
      } catch {}
    }
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
