import type { Env } from "@xplorium/config";
import { runAutomations } from "@xplorium/core/marketing";
import type { Database } from "@xplorium/db";
import { AUTOMATION_KINDS, JOBS } from "@xplorium/domain";
import type { Task } from "graphile-worker";
import { z } from "zod";
import { jobTask } from "./job-deps";

/** From the crontab: no payload (every automation); from "Run now": `{ kind }`. */
const payload = z.object({ kind: z.enum(AUTOMATION_KINDS).optional() }).nullish();

/**
 * Hourly, and on "Run now": the marketing automations that are on (birthday, win-back, tier
 * upgrade). Safe to run any number of times and from two workers at once: each customer's
 * period is claimed once.
 */
export function runAutomationsTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, raw, helpers) => {
    const kind = payload.parse(raw)?.kind;
    const results = await runAutomations(deps, kind ? { only: kind } : {});
    const summary = results
      .map((r) => `${r.kind} ${r.enabled ? `${r.sent} sent` : "off"}`)
      .join(", ");
    helpers.logger.info(`${JOBS.runAutomations}: ${summary}`);
  });
}
