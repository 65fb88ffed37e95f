import { type Database, schema } from "@xplorium/db";
import { desc, eq, sql } from "drizzle-orm";
import type { DepsWith } from "../deps";
import { ledgerDrift } from "./ledger";

const { jobRuns } = schema;

/** The `job_runs.kind` of the daily check (the worker runs it as `JOBS.checkLedger`). */
export const LEDGER_CHECK_KIND = "ledger-check";

export interface LedgerCheckResult {
  jobRunId: string;
  /** Customers whose balance differs from their ledger sum (at most 100 listed). */
  drift: { customerId: string; balance: number; ledgerSum: number }[];
}

/**
 * The second line of defence behind the commit-time trigger (migration 0001): runs the
 * set-based `ledgerDrift` and records the outcome as a `job_runs` row — SUCCEEDED when every
 * balance equals its ledger sum, FAILED with the customers' ids when any does not — so the admin
 * can show when the ledger was last proved consistent.
 */
export async function checkLedger({ db }: DepsWith<"db">): Promise<LedgerCheckResult> {
  const drift = [...(await ledgerDrift(db))].map((r) => ({
    customerId: r.customer_id,
    balance: r.balance,
    ledgerSum: r.ledger_sum,
  }));
  const ok = drift.length === 0;
  const [run] = await db
    .insert(jobRuns)
    .values({
      kind: LEDGER_CHECK_KIND,
      status: ok ? "SUCCEEDED" : "FAILED",
      result: { driftCount: drift.length, drift },
      error: ok ? null : `Points balance differs from the ledger for ${drift.length} customer(s)`,
      startedAt: sql`now()`,
      finishedAt: sql`now()`,
    })
    .returning({ id: jobRuns.id });
  return { jobRunId: run!.id, drift };
}

/** The latest ledger check, for the rules page; null before the first. */
export async function lastLedgerCheck(db: Database) {
  const [row] = await db
    .select({ status: jobRuns.status, result: jobRuns.result, finishedAt: jobRuns.finishedAt })
    .from(jobRuns)
    .where(eq(jobRuns.kind, LEDGER_CHECK_KIND))
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(1);
  if (!row) return null;
  return {
    ok: row.status === "SUCCEEDED",
    driftCount: Number((row.result as { driftCount?: number } | null)?.driftCount ?? 0),
    checkedAt: row.finishedAt,
  };
}
