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
  list: staffProcedure("read:marketing").query(({ ctx }) => listSegments(ctx.db)),

  get: staffProcedure("read:marketing")
    .input(segmentIdInput)
    .query(({ ctx, input }) => getSegment(ctx.db, input.id)),

  create: staffProcedure("write:marketing")
    .input(segmentCreateInput)
    .mutation(({ ctx, input }) => createSegment(ctx.db, ctx.actor, ctx.meta, input)),

  update: staffProcedure("write:marketing")
    .input(segmentUpdateInput)
    .mutation(({ ctx, input }) => updateSegment(ctx.db, ctx.actor, ctx.meta, input)),

  duplicate: staffProcedure("write:marketing")
    .input(segmentIdInput)
    .mutation(({ ctx, input }) => duplicateSegment(ctx.db, ctx.actor, ctx.meta, input)),

  delete: staffProcedure("write:marketing")
    .input(segmentIdInput)
    .mutation(({ ctx, input }) => deleteSegment(ctx.db, ctx.actor, ctx.meta, input)),

  /**
   * How many customers an (unsaved) filter matches, for the builder's live count. The input is
   * the filter itself, so validation errors name its fields.
   */
  count: staffProcedure("read:marketing")
    .input(segmentFilter)
    .query(async ({ ctx, input }) => ({
      count: await segmentCount(ctx.db, input, { timeZone: ctx.env.TIME_ZONE }),
    })),

  preview: staffProcedure("read:marketing")
    .input(segmentPreviewInput)
    .query(({ ctx, input }) => segmentPreview(ctx.db, input, { timeZone: ctx.env.TIME_ZONE })),
});

export const marketingRouter = createTRPCRouter({
  /**
   * The marketing list (seed getMarketingList): a segment's (or filter's) customers who opted in
   * to email, not erased, not suppressed; email, name, tier, keyset-paginated, with the count.
   */
  list: staffProcedure("read:marketing")
    .input(marketingListInput)
    .query(({ ctx, input }) => marketingList(ctx.db, input, { timeZone: ctx.env.TIME_ZONE })),
});
