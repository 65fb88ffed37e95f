import {
  adjustPoints,
  adjustPointsInput,
  loyaltyRulesSummary,
  setVip,
  setVipInput,
  tierHistory,
  tierHistoryInput,
} from "@xplorium/core/loyalty";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const loyaltyRouter = createTRPCRouter({
  /** The seed's updateLoyaltyPoints: +/− with a required reason, through the ledger. */
  adjustPoints: staffProcedure("adjust:points")
    .input(adjustPointsInput)
    .mutation(({ ctx, input }) => adjustPoints(ctx.deps, input)),

  setVip: staffProcedure("write:vip")
    .input(setVipInput)
    .mutation(({ ctx, input }) => setVip(ctx.deps, input)),

  /** Earning rules, tier scale, expiry setting and the last ledger check (points-rules page). */
  rules: staffProcedure("read:customer").query(({ ctx }) => loyaltyRulesSummary(ctx.deps)),

  /** The tier scale and a customer's tier changes (customer page, tier progress). */
  tierHistory: staffProcedure("read:customer")
    .input(tierHistoryInput)
    .query(({ ctx, input }) => tierHistory(ctx.deps, input)),
});
