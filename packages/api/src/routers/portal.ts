import { customerSummary } from "@xplorium/core/customers";
import { notFound } from "@xplorium/core/errors";
import {
  loyaltyProgramme,
  portalBookings,
  portalPageInput,
  portalPoints,
  portalSummary,
  portalVoucherByCode,
} from "@xplorium/core/portal";
import { z } from "zod";
import { appProcedure, createTRPCRouter, customerProcedure } from "../trpc";
import { portalPrivacyProcedures } from "./portal-privacy";

/*
 * The customer portal. Every customer procedure acts for the session's customer only
 * (`ctx.principal.customer.id`); an id in the input never chooses whose data is read.
 */
export const portalRouter = createTRPCRouter({
  /** The signed-in customer's own summary; the id comes from the session, never the input. */
  me: customerProcedure.query(({ ctx }) =>
    customerSummary(ctx.deps, { customerId: ctx.principal.customer.id }),
  ),
  ...portalPrivacyProcedures,

  /** Everything the home page shows, in one call (server-rendered, no client waterfall). */
  summary: customerProcedure.query(({ ctx }) =>
    portalSummary(ctx.deps, { customerId: ctx.principal.customer.id }),
  ),

  /** My bookings, newest visit first, keyset-paginated. */
  bookings: customerProcedure
    .input(portalPageInput.optional())
    .query(({ ctx, input }) =>
      portalBookings(ctx.deps, { ...input, customerId: ctx.principal.customer.id }),
    ),

  /** My points ledger with readable reasons, newest first, keyset-paginated. */
  points: customerProcedure
    .input(portalPageInput.optional())
    .query(({ ctx, input }) =>
      portalPoints(ctx.deps, { ...input, customerId: ctx.principal.customer.id }),
    ),

  /** One of my vouchers by its code; someone else's code is simply not found. */
  voucher: customerProcedure
    .input(z.object({ code: z.string().trim().min(1).max(40) }))
    .query(async ({ ctx, input }) => {
      const voucher = await portalVoucherByCode(ctx.deps, {
        customerId: ctx.principal.customer.id,
        code: input.code,
      });
      if (!voucher) throw notFound("Voucher");
      return voucher;
    }),

  /** The programme as the public pages tell it (join page): ways to earn, tiers, referral bonus. */
  programme: appProcedure("portal").query(() => loyaltyProgramme()),
});
