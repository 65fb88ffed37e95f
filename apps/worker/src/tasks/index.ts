import type { Env } from "@xplorium/config";
import { CUSTOMER_SYNC_TASK } from "@xplorium/core/customers";
import { SEND_EMAIL_TASK } from "@xplorium/core/messaging";
import type { Database } from "@xplorium/db";
import type { TaskList } from "graphile-worker";
import { checkLedgerTask, LEDGER_CHECK_TASK } from "./check-ledger";
import {
  DROP_EXPIRED_SECRET_BODIES_TASK,
  dropExpiredSecretBodiesTask,
} from "./drop-expired-secret-bodies";
import { expirePointsTask, POINTS_EXPIRY_TASK } from "./expire-points";
import { EXPIRE_VOUCHERS_TASK, expireVouchersTask } from "./expire-vouchers";
import { PURGE_EXPIRED_AUTH_TASK, purgeExpiredAuthTask } from "./purge-expired-auth";
import { ANALYTICS_REFRESH_TASK, refreshAnalyticsTask } from "./refresh-analytics";
import { AUTOMATIONS_TASK, runAutomationsTask } from "./run-automations";
import {
  CAMPAIGN_RESUME_TASK,
  CAMPAIGN_SEND_TASK,
  resumeCampaignsTask,
  sendCampaignTask,
} from "./send-campaign";
import { sendEmailTask } from "./send-email";
import { syncCustomersTask } from "./sync-customers";

/** Every job the worker runs. Later features add theirs here. */
export function createTaskList(db: Database, env: Env): TaskList {
  return {
    [SEND_EMAIL_TASK]: sendEmailTask(db, env),
    [PURGE_EXPIRED_AUTH_TASK]: purgeExpiredAuthTask(db, env),
    [DROP_EXPIRED_SECRET_BODIES_TASK]: dropExpiredSecretBodiesTask(db),
    [CUSTOMER_SYNC_TASK]: syncCustomersTask(db, env),
    [POINTS_EXPIRY_TASK]: expirePointsTask(db, env),
    [LEDGER_CHECK_TASK]: checkLedgerTask(db, env),
    [EXPIRE_VOUCHERS_TASK]: expireVouchersTask(db, env),
    [AUTOMATIONS_TASK]: runAutomationsTask(db, env),
    [CAMPAIGN_SEND_TASK]: sendCampaignTask(db, env),
    [CAMPAIGN_RESUME_TASK]: resumeCampaignsTask(db, env),
    [ANALYTICS_REFRESH_TASK]: refreshAnalyticsTask(db, env),
  };
}

/** Recurring jobs (graphile-worker crontab syntax). */
export const CRONTAB = [
  `0 * * * * ${PURGE_EXPIRED_AUTH_TASK}`,
  // A code email's body (the development outbox's) outlives its code by under a minute.
  `* * * * * ${DROP_EXPIRED_SECRET_BODIES_TASK}`,
  // A campaign whose worker died mid-send continues within a few minutes, not hours.
  `* * * * * ${CAMPAIGN_RESUME_TASK}`,
  // Daily, in UTC (graphile-worker's crontab): voucher expiry, the ledger check, points expiry.
  `5 0 * * * ${EXPIRE_VOUCHERS_TASK}`,
  `30 2 * * * ${LEDGER_CHECK_TASK}`,
  `0 3 * * * ${POINTS_EXPIRY_TASK}`,
  // Hourly: marketing automations (each customer once per period, however often it runs).
  `15 * * * * ${AUTOMATIONS_TASK}`,
  // The dashboard's snapshot; also queued after each sync and when the worker starts.
  `*/30 * * * * ${ANALYTICS_REFRESH_TASK} ?jobKey=${ANALYTICS_REFRESH_TASK}`,
].join("\n");

export { dropExpiredSecretBodiesTask } from "./drop-expired-secret-bodies";
export { resumeCampaignsTask, sendCampaignTask } from "./send-campaign";
export {
  ANALYTICS_REFRESH_TASK,
  AUTOMATIONS_TASK,
  CAMPAIGN_RESUME_TASK,
  CAMPAIGN_SEND_TASK,
  CUSTOMER_SYNC_TASK,
  DROP_EXPIRED_SECRET_BODIES_TASK,
  EXPIRE_VOUCHERS_TASK,
  LEDGER_CHECK_TASK,
  POINTS_EXPIRY_TASK,
  PURGE_EXPIRED_AUTH_TASK,
  SEND_EMAIL_TASK,
};
