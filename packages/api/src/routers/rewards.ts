import { AppError } from "@xplorium/core/errors";
import {
  createReward,
  listRewards,
  redeemReward,
  redeemRewardInput,
  rewardCreateInput,
  rewardUpdateInput,
  updateReward,
} from "@xplorium/core/loyalty";
import { createTRPCRouter, customerOrStaffProcedure, staffProcedure } from "../trpc";

export const rewardsRouter = createTRPCRouter({
  /**
   * The catalogue. Staff (read:customer) see every reward, inactive ones last; a signed-in
   * customer on the portal sees only the active ones.
   */
  list: customerOrStaffProcedure("read:customer").query(async ({ ctx }) => {
    const rewards = await listRewards(ctx.deps, {
      includeInactive: ctx.self === null,
      countIssued: ctx.self === null,
    });
    // How many vouchers each reward issued is the venue's business, not the customer's.
    return ctx.self ? rewards.map((r) => ({ ...r, vouchersIssued: null })) : rewards;
  }),

  create: staffProcedure("write:reward")
    .input(rewardCreateInput)
    .mutation(({ ctx, input }) => createReward(ctx.deps, input)),

  /** Edit, deactivate (`active: false`) or bring back a reward. */
  update: staffProcedure("write:reward")
    .input(rewardUpdateInput)
    .mutation(({ ctx, input }) => updateReward(ctx.deps, input)),

  /**
   * Spends points on a reward and issues a voucher. A customer on the portal redeems for
   * themselves: the customer is the session's, and any customerId in the input is ignored.
   * Staff with redeem:voucher redeem on behalf of `customerId`.
   */
  redeem: customerOrStaffProcedure("redeem:voucher")
    .input(redeemRewardInput.partial({ customerId: true }))
    .mutation(({ ctx, input }) => {
      const customerId = ctx.self ?? input.customerId;
      if (!customerId) {
        throw new AppError("BAD_REQUEST", "Choose the customer to redeem for.", {
          fieldErrors: { customerId: ["Choose the customer to redeem for."] },
        });
      }
      return redeemReward(ctx.deps, { ...input, customerId });
    }),
});
