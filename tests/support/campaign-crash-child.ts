/**
 * A worker process that sends a campaign and kills itself with SIGKILL right after the provider
 * accepted batch CRASH_AFTER_SEND_BATCH, before recording it: no `finally`, no unlock, no
 * graceful anything (tests/campaign-sending.test.ts). Run with `node --import tsx`.
 */

import { loadEnv } from "@xplorium/config";
import { runCampaignSend } from "@xplorium/core/marketing";
import { createDb } from "@xplorium/db";
import { createRequestPacer, resendBatchTransport } from "@xplorium/email";

// biome-ignore lint/style/noProcessEnv: a test harness's child process, configured by its parent
const vars = process.env;
const env = loadEnv({
  NODE_ENV: "test",
  DATABASE_URL: vars.CRASH_DATABASE_URL,
  RESEND_API_KEY: "re_test_campaigns",
  RESEND_BASE_URL: vars.CRASH_RESEND_URL,
  PORTAL_URL: "http://portal.test:3001",
});
const crashAt = Number(vars.CRASH_AFTER_SEND_BATCH);
const { db } = createDb(env.DATABASE_URL!, { max: 3 });
await runCampaignSend(
  { db, config: env },
  {
    campaignId: vars.CRASH_CAMPAIGN_ID!,
    sender: {
      transport: resendBatchTransport("re_test_campaigns"),
      pacer: createRequestPacer({ requestsPerSecond: 0 }),
      hooks: {
        afterSend: (n) => {
          if (n === crashAt) process.kill(process.pid, "SIGKILL");
        },
      },
    },
  },
);
console.error("campaign-crash-child: finished without crashing");
process.exit(1);
