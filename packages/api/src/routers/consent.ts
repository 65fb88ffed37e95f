import { confirmConsent, previewConsentLink } from "@xplorium/core";
import { z } from "zod";
import { appProcedure, createTRPCRouter } from "../trpc";

// Anyone holding the emailed link may use it: no sign-in, the signed token is the authority.
const tokenInput = z.object({
  token: z.string().trim().min(1, { message: "This link is incomplete." }).max(200),
});

export const consentRouter = createTRPCRouter({
  /** What a double opt-in link is about; changes nothing (the link page's GET). */
  preview: appProcedure("portal")
    .input(tokenInput)
    .query(({ ctx, input }) => previewConsentLink(ctx.db, ctx.env, input.token)),

  /** Confirms the pending grant behind the link (the link page's POST). */
  confirm: appProcedure("portal")
    .input(tokenInput)
    .mutation(({ ctx, input }) => confirmConsent(ctx.db, ctx.env, input.token, ctx.meta)),
});
