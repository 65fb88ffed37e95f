import { adjustPoints, adjustPointsInput, setVip, setVipInput } from "@xplorium/core";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const loyaltyRouter = createTRPCRouter({
  /** The seed's updateLoyaltyPoints: +/− with a required reason, through the ledger. */
  adjustPoints: staffProcedure("adjust:points")
    .input(adjustPointsInput)
    .mutation(({ ctx, input }) => adjustPoints(ctx.db, ctx.actor, ctx.meta, input)),

  setVip: staffProcedure("write:vip")
    .input(setVipInput)
    .mutation(({ ctx, input }) => setVip(ctx.db, ctx.actor, ctx.meta, input)),
});
