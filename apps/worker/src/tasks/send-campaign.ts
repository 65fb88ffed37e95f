import type { Env } from "@xplorium/config";
import {
  type CampaignSender,
  failCampaign,
  resumeStalledCampaigns,
  runCampaignSend,
} from "@xplorium/core/marketing";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import { batchTransportFor, createRequestPacer, type RequestPacer } from "@xplorium/email";
import type { Task } from "graphile-worker";
import { z } from "zod";
import { jobTask } from "./job-deps";

const payload = z.object({ campaignId: z.uuid() });

/** One pacer per process: Resend's request limit is per account, whatever sends. */
export function campaignPacer(env: Pick<Env, "RESEND_MAX_REQUESTS_PER_SECOND">): RequestPacer {
  return createRequestPacer({ requestsPerSecond: env.RESEND_MAX_REQUESTS_PER_SECOND });
}

/**
 * Sends a campaign (snapshot, then batches through `resend.batch.send`; see
 * packages/core/src/marketing/campaign-send.ts). Throws on what may pass (the provider down, the
 * worker stopping), so graphile-worker retries and the next run continues where this one
 * stopped; on the last attempt the campaign is marked FAILED for staff to see.
 */
export function sendCampaignTask(
  db: Database,
  env: Env,
  parts: Partial<Pick<CampaignSender, "transport" | "pacer" | "retry" | "hooks">> = {},
): Task {
  const transport = parts.transport ?? batchTransportFor(env);
  const pacer = parts.pacer ?? campaignPacer(env);
  return jobTask(db, env, async (deps, raw, helpers) => {
    const { campaignId } = payload.parse(raw);
    try {
      const result = await runCampaignSend(deps, {
        campaignId,
        sender: {
          transport,
          pacer,
          signal: helpers.abortSignal,
          log: (m) => helpers.logger.info(`${JOBS.sendCampaign} ${campaignId}: ${m}`),
          ...(parts.retry ? { retry: parts.retry } : {}),
          ...(parts.hooks ? { hooks: parts.hooks } : {}),
        },
      });
      helpers.logger.info(`${JOBS.sendCampaign} ${campaignId}: ${JSON.stringify(result)}`);
    } catch (error) {
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        const message = error instanceof Error ? error.message : String(error);
        await failCampaign(deps, {
          campaignId,
          error: `Sending stopped after repeated errors: ${message}`,
        });
      }
      throw error;
    }
  });
}

/** Every minute: restarts campaigns whose worker died mid-send (see resumeStalledCampaigns). */
export function resumeCampaignsTask(db: Database, env: Env): Task {
  return jobTask(db, env, async (deps, _payload, helpers) => {
    const restarted = await resumeStalledCampaigns(deps);
    if (restarted.length > 0) {
      helpers.logger.warn(`${JOBS.resumeCampaigns}: restarted ${restarted.join(", ")}`);
    }
  });
}
