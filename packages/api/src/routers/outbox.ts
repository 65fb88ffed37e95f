import { listOutbox } from "@xplorium/core";
import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const outboxRouter = createTRPCRouter({
  /**
   * Emails kept instead of sent (EMAIL_TRANSPORT=outbox): Marketing → Outbox. Sign-in and
   * sign-up codes show only in development, until they expire (listOutbox).
   */
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
