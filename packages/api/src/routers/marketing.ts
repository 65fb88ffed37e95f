import * as marketing from "@xplorium/core/marketing";
import { createTRPCRouter, staffProcedure } from "../trpc";

/** Saved segments (Marketing → Segments): filters over customers, counted and previewed live. */
export const segmentsRouter = createTRPCRouter({
  list: staffProcedure("read:marketing").query(({ ctx }) => marketing.listSegments(ctx.deps)),

  get: staffProcedure("read:marketing")
    .input(marketing.segmentIdInput)
    .query(({ ctx, input }) => marketing.getSegment(ctx.deps, input)),

  create: staffProcedure("write:marketing")
    .input(marketing.segmentCreateInput)
    .mutation(({ ctx, input }) => marketing.createSegment(ctx.deps, input)),

  update: staffProcedure("write:marketing")
    .input(marketing.segmentUpdateInput)
    .mutation(({ ctx, input }) => marketing.updateSegment(ctx.deps, input)),

  duplicate: staffProcedure("write:marketing")
    .input(marketing.segmentIdInput)
    .mutation(({ ctx, input }) => marketing.duplicateSegment(ctx.deps, input)),

  delete: staffProcedure("write:marketing")
    .input(marketing.segmentIdInput)
    .mutation(({ ctx, input }) => marketing.deleteSegment(ctx.deps, input)),

  /**
   * How many customers an (unsaved) filter matches, for the builder's live count. The input is
   * the filter itself, so validation errors name its fields.
   */
  count: staffProcedure("read:marketing")
    .input(marketing.segmentFilter)
    .query(async ({ ctx, input }) => ({ count: await marketing.segmentCount(ctx.deps, input) })),

  preview: staffProcedure("read:marketing")
    .input(marketing.segmentPreviewInput)
    .query(({ ctx, input }) => marketing.segmentPreview(ctx.deps, input)),
});

export const marketingRouter = createTRPCRouter({
  /**
   * The marketing list (seed getMarketingList): a segment's (or filter's) customers who opted in
   * to email, not erased, not suppressed; email, name, tier, keyset-paginated, with the count.
   */
  list: staffProcedure("read:marketing")
    .input(marketing.marketingListInput)
    .query(({ ctx, input }) => marketing.marketingList(ctx.deps, input)),
});
