import { customerSummary } from "@xplorium/core";
import { createTRPCRouter, customerProcedure } from "../trpc";
import { portalPrivacyProcedures } from "./portal-privacy";

export const portalRouter = createTRPCRouter({
  /** The signed-in customer's own summary; the id comes from the session, never the input. */
  me: customerProcedure.query(({ ctx }) => customerSummary(ctx.db, ctx.principal.customer.id)),
  ...portalPrivacyProcedures,
});
