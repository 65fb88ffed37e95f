import { auditListInput, listAudit } from "@xplorium/core/audit";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: staffProcedure("read:audit")
    .input(auditListInput)
    .query(({ ctx, input }) => listAudit(ctx.deps, input)),
});
