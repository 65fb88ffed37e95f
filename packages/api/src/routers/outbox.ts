import { listOutbox } from "@xplorium/core";
import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const outboxRouter = createTRPCRouter({
  /** Development emails (no RESEND_API_KEY): Marketing → Outbox. */
  list: staffProcedure("read:outbox")
    .input(
      z.object({
        limit: z.number().int().min(1).max(100).default(25),
        cursor: z.object({ createdAt: z.date(), id: z.uuid() }).optional(),
        to: z.string().trim().toLowerCase().optional(),
      }),
    )
    .query(({ ctx, input }) => listOutbox(ctx.db, input, ctx.env)),
});
