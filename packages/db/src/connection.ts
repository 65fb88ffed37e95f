import { type DatabaseEnv, env } from "@xplorium/config";
import postgres from "postgres";
import {
  DEV_DATABASE,
  devClusterOptions,
  EMBEDDED_DEV_PORT,
  embeddedUrl,
  isReachable,
  startEmbeddedPostgres,
} from "./embedded";

export interface ResolvedDatabase {
  url: string;
  /** Set when this process started the embedded cluster and so must stop it. */
  stop?: () => Promise<void>;
  embedded: boolean;
}

/**
 * DATABASE_URL when set; otherwise the shared embedded cluster under `.data/`, started here
 * only if no other process (normally `pnpm dev`) already runs it.
 */
export async function resolveDatabase(
  log: (line: string) => void = () => {},
  config: Pick<DatabaseEnv, "DATABASE_URL"> = env(),
): Promise<ResolvedDatabase> {
  const configured = config.DATABASE_URL;
  if (configured) return { url: configured, embedded: false };

  const url = embeddedUrl(EMBEDDED_DEV_PORT, DEV_DATABASE);
  let stop: (() => Promise<void>) | undefined;
  if (!(await isReachable(embeddedUrl(EMBEDDED_DEV_PORT)))) {
    log(`Starting embedded PostgreSQL on 127.0.0.1:${EMBEDDED_DEV_PORT} (data in .data/postgres)`);
    const started = await startEmbeddedPostgres(devClusterOptions());
    stop = started.stop;
  }
  await ensureDatabaseExists(embeddedUrl(EMBEDDED_DEV_PORT), DEV_DATABASE);
  return stop ? { url, stop, embedded: true } : { url, embedded: true };
}

export async function ensureDatabaseExists(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two processes racing to create it: the loser sees duplicate_database.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
