import { AppError } from "@xplorium/core/errors";
import {
  cancelVoucher,
  cancelVoucherInput,
  listRecentVouchers,
  listVouchersForCustomer,
  lookupVoucher,
  markVoucherUsed,
  voucherCodeInput,
  voucherIdInput,
  voucherListInput,
} from "@xplorium/core/loyalty";
import { z } from "zod";
import { createTRPCRouter, customerOrStaffProcedure, staffProcedure } from "../trpc";

/*
 * Who may do what at the counter: looking a code up and the recent list need read:voucher;
 * marking used and cancelling (which refunds points) need redeem:voucher. Both are front-desk
 * work (FRONT_DESK, MANAGER, OWNER hold them); MARKETING holds neither.
 */
export const vouchersRouter = createTRPCRouter({
  /** A code as typed or pasted (case, spaces and dashes ignored), with whose it is and its state. */
  lookup: staffProcedure("read:voucher")
    .input(voucherCodeInput)
    .query(({ ctx, input }) => lookupVoucher(ctx.deps, input)),

  /** The latest vouchers issued. */
  recent: staffProcedure("read:voucher")
    .input(voucherListInput.partial().optional())
    .query(({ ctx, input }) => listRecentVouchers(ctx.deps, { limit: input?.limit ?? 20 })),

  /** Once: of concurrent presses exactly one succeeds, the rest get CONFLICT "Already used on …". */
  markUsed: staffProcedure("redeem:voucher")
    .input(voucherIdInput)
    .mutation(({ ctx, input }) => markVoucherUsed(ctx.deps, input)),

  /** Cancels an unused, unexpired voucher and refunds its points once. */
  cancel: staffProcedure("redeem:voucher")
    .input(cancelVoucherInput)
    .mutation(({ ctx, input }) => cancelVoucher(ctx.deps, input)),

  /**
   * A customer's vouchers, newest first: staff (read:voucher) name the customer; a customer on
   * the portal gets their own (the input's customerId is ignored).
   */
  listForCustomer: customerOrStaffProcedure("read:voucher")
    .input(
      voucherListInput
        .partial()
        .extend({ customerId: z.uuid({ message: "Unknown customer." }).optional() }),
    )
    .query(async ({ ctx, input }) => {
      const customerId = ctx.self ?? input.customerId;
      if (!customerId) {
        throw new AppError("BAD_REQUEST", "Choose a customer.", {
          fieldErrors: { customerId: ["Choose a customer."] },
        });
      }
      const rows = await listVouchersForCustomer(ctx.deps, {
        customerId,
        limit: input.limit ?? 50,
      });
      // Customers do not need to know which staff member served them.
      return ctx.self ? rows.map((r) => ({ ...r, usedByStaffName: null })) : rows;
    }),
});
