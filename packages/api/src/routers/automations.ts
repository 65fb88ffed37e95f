import {
  automationKindInput,
  automationLog,
  automationLogInput,
  automationPreviewInput,
  automationSetEnabledInput,
  automationUpdateInput,
  listAutomations,
  previewAutomationMessage,
  requestAutomationRun,
  setAutomationEnabled,
  updateAutomation,
} from "@xplorium/core/marketing";
import { createTRPCRouter, staffProcedure } from "../trpc";

/**
 * Marketing automations (Marketing → Automations): birthday, win-back and tier-upgrade emails,
 * each on/off with its own template and send log. The worker runs them hourly.
 */
export const automationsRouter = createTRPCRouter({
  list: staffProcedure("read:marketing").query(({ ctx }) => listAutomations(ctx.deps)),

  /** A draft template rendered with sample values, for the editor's live preview. */
  preview: staffProcedure("read:marketing")
    .input(automationPreviewInput)
    .query(({ input }) => previewAutomationMessage(input)),

  update: staffProcedure("write:marketing")
    .input(automationUpdateInput)
    .mutation(({ ctx, input }) => updateAutomation(ctx.deps, input)),

  setEnabled: staffProcedure("write:marketing")
    .input(automationSetEnabledInput)
    .mutation(({ ctx, input }) => setAutomationEnabled(ctx.deps, input)),

  /** Queues a run at once instead of waiting for the hourly one: managers and owners. */
  runNow: staffProcedure("run:automation")
    .input(automationKindInput)
    .mutation(({ ctx, input }) => requestAutomationRun(ctx.deps, input)),

  log: staffProcedure("read:marketing")
    .input(automationLogInput)
    .query(({ ctx, input }) => automationLog(ctx.deps, input)),
});
