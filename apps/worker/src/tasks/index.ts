import type { Env } from "@xplorium/config";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import type { TaskList } from "graphile-worker";
import { checkLedgerTask } from "./check-ledger";
import { dropExpiredSecretBodiesTask } from "./drop-expired-secret-bodies";
import { expirePointsTask } from "./expire-points";
import { expireVouchersTask } from "./expire-vouchers";
import { purgeExpiredAuthTask } from "./purge-expired-auth";
import { refreshAnalyticsTask } from "./refresh-analytics";
import { runAutomationsTask } from "./run-automations";
import { resumeCampaignsTask, sendCampaignTask } from "./send-campaign";
import { sendEmailTask } from "./send-email";
import { syncCustomersTask } from "./sync-customers";

/** Every job the worker runs, under its name in `JOBS` (@xplorium/domain). */
export function createTaskList(db: Database, env: Env): TaskList {
  return {
    [JOBS.sendEmail]: sendEmailTask(db, env),
    [JOBS.purgeExpiredAuth]: purgeExpiredAuthTask(db, env),
    [JOBS.dropExpiredSecretBodies]: dropExpiredSecretBodiesTask(db),
    [JOBS.syncCustomers]: syncCustomersTask(db, env),
    [JOBS.expirePoints]: expirePointsTask(db, env),
    [JOBS.checkLedger]: checkLedgerTask(db, env),
    [JOBS.expireVouchers]: expireVouchersTask(db, env),
    [JOBS.runAutomations]: runAutomationsTask(db, env),
    [JOBS.sendCampaign]: sendCampaignTask(db, env),
    [JOBS.resumeCampaigns]: resumeCampaignsTask(db, env),
    [JOBS.refreshAnalytics]: refreshAnalyticsTask(db, env),
  };
}

/** Recurring jobs (graphile-worker crontab syntax). */
export const CRONTAB = [
  `0 * * * * ${JOBS.purgeExpiredAuth}`,
  // A code email's body (the development outbox's) outlives its code by under a minute.
  `* * * * * ${JOBS.dropExpiredSecretBodies}`,
  // A campaign whose worker died mid-send continues within a few minutes, not hours.
  `* * * * * ${JOBS.resumeCampaigns}`,
  // Daily, in UTC (graphile-worker's crontab): voucher expiry, the ledger check, points expiry.
  `5 0 * * * ${JOBS.expireVouchers}`,
  `30 2 * * * ${JOBS.checkLedger}`,
  `0 3 * * * ${JOBS.expirePoints}`,
  // Hourly: marketing automations (each customer once per period, however often it runs).
  `15 * * * * ${JOBS.runAutomations}`,
  // The dashboard's snapshot; also queued after each sync and when the worker starts.
  `*/30 * * * * ${JOBS.refreshAnalytics} ?jobKey=${JOBS.refreshAnalytics}`,
].join("\n");

export { dropExpiredSecretBodiesTask } from "./drop-expired-secret-bodies";
export { resumeCampaignsTask, sendCampaignTask } from "./send-campaign";
