/**
 * `pnpm dev` (and `pnpm start` with --production): one command for the whole product.
 * Starts (or reuses) the database, migrates, seeds an empty database with demo data, then runs
 * admin, portal and worker through turbo against that one database, and prints the sign-ins.
 */
import { spawn } from "node:child_process";
import { env as loadEnv } from "@xplorium/config";
import { isEmptyDatabase, seedDemoData, signInDetails } from "@xplorium/core/seed";
import { createDb, resolveDatabase } from "@xplorium/db";
import { migrateDatabase } from "@xplorium/db/migrate";

const production = process.argv.includes("--production");
if (production) process.env.NODE_ENV = "production";
const env = loadEnv();

const database = await resolveDatabase((line) => console.log(`[db] ${line}`));
console.log("[db] applying migrations");
await migrateDatabase(database.url);
const handle = createDb(database.url, { max: 2 });
if (await isEmptyDatabase(handle.db)) {
  console.log("[db] empty database: adding demo data");
  const s = await seedDemoData(handle.db, { currency: env.CURRENCY, timeZone: env.TIME_ZONE });
  console.log(
    `[db] seeded ${s.customers} customers, ${s.bookings} bookings, ${s.ledgerRows} ledger rows`,
  );
}
await handle.close();

function run(args: string[]) {
  return spawn("pnpm", args, {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      ...(production ? { NODE_ENV: "production" } : {}),
    },
  });
}

if (production) {
  const build = run(["exec", "turbo", "run", "build", "--filter=./apps/*"]);
  const code: number = await new Promise((r) => build.on("exit", (c) => r(c ?? 1)));
  if (code !== 0) process.exit(code);
}
const apps = run([
  "exec",
  "turbo",
  "run",
  production ? "start" : "dev",
  "--filter=./apps/*",
  "--concurrency=4",
]);

async function waitFor(url: string, timeoutMs = 120_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { redirect: "manual" });
      if (res.status < 500) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
void Promise.all([waitFor(`${env.ADMIN_URL}/sign-in`), waitFor(`${env.PORTAL_URL}/sign-in`)]).then(
  ([a, p]) => {
    const line = "─".repeat(72);
    console.log(
      `\n${line}\nXplorium CRM is ${a && p ? "running" : "starting (slowly)"}.\n\n${signInDetails(env.ADMIN_URL, env.PORTAL_URL)}\n${line}\n`,
    );
  },
);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  apps.kill("SIGINT");
  await new Promise((r) => setTimeout(r, 1500));
  await database.stop?.();
  process.exit(code);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
apps.on("exit", (code) => void stop(code ?? 0));
