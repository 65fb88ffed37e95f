import { customerListInput, listCustomers } from "@xplorium/core";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const customersRouter = createTRPCRouter({
  /** Search, filters, sort and keyset pagination over non-erased customers, with the total. */
  list: staffProcedure("read:customer")
    .input(customerListInput)
    .query(({ ctx, input }) => listCustomers(ctx.db, input)),
});
