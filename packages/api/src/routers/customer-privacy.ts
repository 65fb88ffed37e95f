import {
  eraseConfirmation,
  eraseCustomer,
  exportPersonalData,
  listGdprRequests,
} from "@xplorium/core/privacy";
import { z } from "zod";
import { recentPasswordStaffProcedure, staffProcedure } from "../trpc";

const customerId = z.uuid({ message: "Unknown customer." });

/**
 * GDPR requests that staff run for a customer who asked in person or by letter (the same
 * export and erasure as the portal's), recorded as `gdpr_requests` with the staff member.
 * Spread into `customersRouter`.
 */
export const customerPrivacyProcedures = {
  /** The customer's GDPR requests (exports and erasures), newest first. */
  privacyRequests: staffProcedure("read:customer")
    .input(z.object({ customerId }))
    .query(({ ctx, input }) => listGdprRequests(ctx.deps, input)),

  /** Everything held about the customer, as JSON; /customers/:id/data-export zips it. */
  exportData: staffProcedure("export:personal-data")
    .input(z.object({ customerId }))
    .mutation(({ ctx, input }) =>
      exportPersonalData(ctx.deps, { customerId: input.customerId, source: "STAFF" }),
    ),

  /**
   * Erases the customer, confirmed by typing their email address or DELETE. Owner-level: the
   * password must have been entered recently too (reauth.ts).
   */
  erase: recentPasswordStaffProcedure("erase:customer")
    .input(z.object({ customerId, confirmation: eraseConfirmation }))
    .mutation(({ ctx, input }) => eraseCustomer(ctx.deps, { ...input, source: "STAFF" })),
};
