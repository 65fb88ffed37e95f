import {
  createSegment,
  deleteSegment,
  duplicateSegment,
  getSegment,
  listSegments,
  marketingList,
  marketingListInput,
  segmentCount,
  segmentCreateInput,
  segmentFilter,
  segmentIdInput,
  segmentPreview,
  segmentPreviewInput,
  segmentUpdateInput,
  updateSegment,
} from "@xplorium/core/marketing";
import { createTRPCRouter, staffProcedure } from "../trpc";

/** Saved segments (Marketing → Segments): filters over customers, counted and previewed live. */
export const segmentsRouter = createTRPCRouter({
  list: staffProcedure("read:marketing").query(({ ctx }) => listSegments(ctx.deps)),

  get: staffProcedure("read:marketing")
    .input(segmentIdInput)
    .query(({ ctx, input }) => getSegment(ctx.deps, input)),

  create: staffProcedure("write:marketing")
    .input(segmentCreateInput)
    .mutation(({ ctx, input }) => createSegment(ctx.deps, input)),

  update: staffProcedure("write:marketing")
    .input(segmentUpdateInput)
    .mutation(({ ctx, input }) => updateSegment(ctx.deps, input)),

  duplicate: staffProcedure("write:marketing")
    .input(segmentIdInput)
    .mutation(({ ctx, input }) => duplicateSegment(ctx.deps, input)),

  delete: staffProcedure("write:marketing")
    .input(segmentIdInput)
    .mutation(({ ctx, input }) => deleteSegment(ctx.deps, input)),

  /**
   * How many customers an (unsaved) filter matches, for the builder's live count. The input is
   * the filter itself, so validation errors name its fields.
   */
  count: staffProcedure("read:marketing")
    .input(segmentFilter)
    .query(async ({ ctx, input }) => ({ count: await segmentCount(ctx.deps, input) })),

  preview: staffProcedure("read:marketing")
    .input(segmentPreviewInput)
    .query(({ ctx, input }) => segmentPreview(ctx.deps, input)),
});

export const marketingRouter = createTRPCRouter({
  /**
   * The marketing list (seed getMarketingList): a segment's (or filter's) customers who opted in
   * to email, not erased, not suppressed; email, name, tier, keyset-paginated, with the count.
   */
  list: staffProcedure("read:marketing")
    .input(marketingListInput)
    .query(({ ctx, input }) => marketingList(ctx.deps, input)),
});
