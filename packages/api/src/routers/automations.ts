import * as marketing from "@xplorium/core/marketing";
import { createTRPCRouter, staffProcedure } from "../trpc";

/**
 * Marketing automations (Marketing → Automations): birthday, win-back and tier-upgrade emails,
 * each on/off with its own template and send log. The worker runs them hourly.
 */
export const automationsRouter = createTRPCRouter({
  list: staffProcedure("read:marketing").query(({ ctx }) => marketing.listAutomations(ctx.deps)),

  /** A draft template rendered with sample values, for the editor's live preview. */
  preview: staffProcedure("read:marketing")
    .input(marketing.automationPreviewInput)
    .query(({ input }) => marketing.previewAutomationMessage(input)),

  update: staffProcedure("write:marketing")
    .input(marketing.automationUpdateInput)
    .mutation(({ ctx, input }) => marketing.updateAutomation(ctx.deps, input)),

  setEnabled: staffProcedure("write:marketing")
    .input(marketing.automationSetEnabledInput)
    .mutation(({ ctx, input }) => marketing.setAutomationEnabled(ctx.deps, input)),

  /** Queues a run at once instead of waiting for the hourly one: managers and owners. */
  runNow: staffProcedure("run:automation")
    .input(marketing.automationKindInput)
    .mutation(({ ctx, input }) => marketing.requestAutomationRun(ctx.deps, input)),

  log: staffProcedure("read:marketing")
    .input(marketing.automationLogInput)
    .query(({ ctx, input }) => marketing.automationLog(ctx.deps, input)),
});
