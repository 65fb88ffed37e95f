import {
  campaignCreateInput,
  campaignIdInput,
  campaignPreviewInput,
  campaignProgress,
  campaignScheduleInput,
  campaignTestSendInput,
  campaignUpdateInput,
  cancelCampaign,
  createCampaign,
  getCampaign,
  listCampaigns,
  previewCampaign,
  scheduleCampaign,
  sendCampaignNow,
  sendCampaignTest,
  updateCampaign,
} from "@xplorium/core/marketing";
import { createTRPCRouter, staffProcedure } from "../trpc";

/**
 * Campaigns (Marketing → Campaigns): drafts edited with `write:marketing`, anything that mails
 * someone (test sends, scheduling, sending, cancelling) with `send:campaign`. Sending itself
 * happens in the worker (`campaign:send`).
 */
export const campaignsRouter = createTRPCRouter({
  list: staffProcedure("read:marketing").query(({ ctx }) => listCampaigns(ctx.deps)),

  byId: staffProcedure("read:marketing")
    .input(campaignIdInput)
    .query(({ ctx, input }) => getCampaign(ctx.deps, input)),

  create: staffProcedure("write:marketing")
    .input(campaignCreateInput)
    .mutation(({ ctx, input }) => createCampaign(ctx.deps, input)),

  update: staffProcedure("write:marketing")
    .input(campaignUpdateInput)
    .mutation(({ ctx, input }) => updateCampaign(ctx.deps, input)),

  /** The editor's live preview, from unsaved text, with a real customer's values or samples. */
  preview: staffProcedure("read:marketing")
    .input(campaignPreviewInput)
    .query(({ ctx, input }) => previewCampaign(ctx.deps, input)),

  sendTest: staffProcedure("send:campaign")
    .input(campaignTestSendInput)
    .mutation(({ ctx, input }) => sendCampaignTest(ctx.deps, input)),

  schedule: staffProcedure("send:campaign")
    .input(campaignScheduleInput)
    .mutation(({ ctx, input }) => scheduleCampaign(ctx.deps, input)),

  sendNow: staffProcedure("send:campaign")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => sendCampaignNow(ctx.deps, input)),

  cancel: staffProcedure("send:campaign")
    .input(campaignIdInput)
    .mutation(({ ctx, input }) => cancelCampaign(ctx.deps, input)),

  /** Polled by the admin while a campaign sends. */
  progress: staffProcedure("read:marketing")
    .input(campaignIdInput)
    .query(({ ctx, input }) => campaignProgress(ctx.deps, input)),
});
