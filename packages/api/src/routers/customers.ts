import { customerById, customerListInput, listCustomers } from "@xplorium/core";
import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const customersRouter = createTRPCRouter({
  /** Search, filters, sort and keyset pagination over non-erased customers, with the total. */
  list: staffProcedure("read:customer")
    .input(customerListInput)
    .query(({ ctx, input }) => listCustomers(ctx.db, input)),

  byId: staffProcedure("read:customer")
    .input(z.object({ id: z.uuid({ message: "Unknown customer." }) }))
    .query(({ ctx, input }) => customerById(ctx.db, input.id)),
});
