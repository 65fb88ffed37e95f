import {
  applyReferralCode,
  referralApplyForInput,
  referralApplyInput,
  referralSummary,
} from "@xplorium/core/loyalty";
import { createTRPCRouter, customerProcedure, staffProcedure } from "../trpc";

export const referralsRouter = createTRPCRouter({
  /** The signed-in customer's code, share link and friends; the id comes from the session. */
  mine: customerProcedure.query(({ ctx }) =>
    referralSummary(ctx.deps, { customerId: ctx.principal.customer.id }),
  ),

  /**
   * The signed-in customer enters a friend's code (only while genuinely new). The issue's
   * `referrals.apply`: tRPC reserves `apply` (and `call`, `then`) as procedure names.
   */
  applyCode: customerProcedure.input(referralApplyInput).mutation(({ ctx, input }) =>
    applyReferralCode(ctx.deps, {
      customerId: ctx.principal.customer.id,
      code: input.code,
    }),
  ),

  /**
   * Staff enter a code on a customer's behalf ("my friend sent me" at the counter), with the
   * same rules as the customer's own `apply`.
   */
  applyCodeFor: staffProcedure("write:customer")
    .input(referralApplyForInput)
    .mutation(({ ctx, input }) => applyReferralCode(ctx.deps, input)),
});
