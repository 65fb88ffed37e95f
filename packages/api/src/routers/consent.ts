import {
  confirmConsent,
  previewConsentLink,
  previewUnsubscribe,
  unsubscribe,
} from "@xplorium/core/consent";
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
    .query(({ ctx, input }) => previewConsentLink(ctx.deps, input)),

  /** Confirms the pending grant behind the link (the link page's POST). */
  confirm: appProcedure("portal")
    .input(tokenInput)
    .mutation(({ ctx, input }) => confirmConsent(ctx.deps, input)),

  /** Whose subscription an unsubscribe link stops, masked; changes nothing (the link's GET). */
  unsubscribePreview: appProcedure("portal")
    .input(tokenInput)
    .query(({ ctx, input }) => previewUnsubscribe(ctx.deps, input)),

  /** Unsubscribes the link's customer from its channel (the link's POST, RFC 8058 one-click). */
  unsubscribe: appProcedure("portal")
    .input(tokenInput)
    .mutation(({ ctx, input }) => unsubscribe(ctx.deps, input)),
});
