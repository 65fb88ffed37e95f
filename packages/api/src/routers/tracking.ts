import {
  campaignReport,
  campaignReportInput,
  trackingSettings,
  trackingSettingsInput,
  updateTrackingSettings,
} from "@xplorium/core/tracking";
import { createTRPCRouter, staffProcedure } from "../trpc";

/** Email tracking: campaign reports from Resend's webhooks, and whether opens/clicks are kept. */
export const trackingRouter = createTRPCRouter({
  /** A campaign's sent, delivered, opens, clicks, bounces, complaints and unsubscribes. */
  report: staffProcedure("read:marketing")
    .input(campaignReportInput)
    .query(({ ctx, input }) =>
      campaignReport(ctx.db, input.campaignId, { timeZone: ctx.env.TIME_ZONE }),
    ),

  settings: staffProcedure("read:marketing").query(({ ctx }) => trackingSettings(ctx.db)),

  /** Open/click tracking on or off (audited). */
  updateSettings: staffProcedure("write:marketing")
    .input(trackingSettingsInput)
    .mutation(({ ctx, input }) => updateTrackingSettings(ctx.db, ctx.actor, ctx.meta, input)),
});
