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
    .query(({ ctx, input }) => campaignReport(ctx.deps, input)),

  settings: staffProcedure("read:marketing").query(({ ctx }) => trackingSettings(ctx.deps)),

  /** Open/click tracking on or off (audited). */
  updateSettings: staffProcedure("write:marketing")
    .input(trackingSettingsInput)
    .mutation(({ ctx, input }) => updateTrackingSettings(ctx.deps, input)),
});
