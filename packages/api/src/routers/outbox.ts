import { listOutbox } from "@xplorium/core/messaging";
import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "../trpc";

export const outboxRouter = createTRPCRouter({
  /**
   * Emails kept instead of sent (EMAIL_TRANSPORT=outbox): Marketing → Outbox. Sign-in and
   * sign-up codes show only in development, until they expire (listOutbox); a staff
   * password-reset link only to the member it was sent to.
   */
  list: staffProcedure("read:outbox")
    .input(
      z.object({
        limit: z.number().int().min(1).max(100).default(25),
        cursor: z.object({ createdAt: z.date(), id: z.uuid() }).optional(),
        to: z.string().trim().toLowerCase().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      // A staff password-reset link shows only to the member it was sent to.
      listOutbox(ctx.db, input, ctx.env, new Date(), {
        viewerEmail: ctx.principal.staff.email,
      }),
    ),
});
