import * as marketing from "@xplorium/core/marketing";
import { createTRPCRouter, staffProcedure } from "../trpc";

/**
 * Campaigns (Marketing → Campaigns): drafts edited with `write:marketing`, anything that mails
 * someone (test sends, scheduling, sending, cancelling) with `send:campaign`. Sending itself
 * happens in the worker (`campaign:send`).
 */
export const campaignsRouter = createTRPCRouter({
  list: staffProcedure("read:marketing").query(({ ctx }) => marketing.listCampaigns(ctx.deps)),

  byId: staffProcedure("read:marketing")
    .input(marketing.campaignIdInput)
    .query(({ ctx, input }) => marketing.getCampaign(ctx.deps, input)),

  create: staffProcedure("write:marketing")
    .input(marketing.campaignCreateInput)
    .mutation(({ ctx, input }) => marketing.createCampaign(ctx.deps, input)),

  update: staffProcedure("write:marketing")
    .input(marketing.campaignUpdateInput)
    .mutation(({ ctx, input }) => marketing.updateCampaign(ctx.deps, input)),

  /** The editor's live preview, from unsaved text, with a real customer's values or samples. */
  preview: staffProcedure("read:marketing")
    .input(marketing.campaignPreviewInput)
    .query(({ ctx, input }) => marketing.previewCampaign(ctx.deps, input)),

  sendTest: staffProcedure("send:campaign")
    .input(marketing.campaignTestSendInput)
    .mutation(({ ctx, input }) => marketing.sendCampaignTest(ctx.deps, input)),

  schedule: staffProcedure("send:campaign")
    .input(marketing.campaignScheduleInput)
    .mutation(({ ctx, input }) => marketing.scheduleCampaign(ctx.deps, input)),

  sendNow: staffProcedure("send:campaign")
    .input(marketing.campaignIdInput)
    .mutation(({ ctx, input }) => marketing.sendCampaignNow(ctx.deps, input)),

  cancel: staffProcedure("send:campaign")
    .input(marketing.campaignIdInput)
    .mutation(({ ctx, input }) => marketing.cancelCampaign(ctx.deps, input)),

  /** Polled by the admin while a campaign sends. */
  progress: staffProcedure("read:marketing")
    .input(marketing.campaignIdInput)
    .query(({ ctx, input }) => marketing.campaignProgress(ctx.deps, input)),
});
