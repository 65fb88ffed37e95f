import { serializeBlankSessionCookie } from "@xplorium/auth";
import {
  portalConsentInput,
  portalPrivacyOverview,
  setConsentByCustomer,
} from "@xplorium/core/consent";
import { portalProfile, portalProfileInput, updateOwnProfile } from "@xplorium/core/customers";
import { eraseConfirmation, eraseCustomer, exportPersonalData } from "@xplorium/core/privacy";
import { z } from "zod";
import { cookieSettings } from "../context";
import { customerProcedure } from "../trpc";

/**
 * The portal's profile and privacy procedures (right to rectification, consent, access,
 * erasure). Every one acts for the session's customer: no input names a customer, and any id a
 * caller adds is stripped by the input schema. Spread into `portalRouter`.
 */
export const portalPrivacyProcedures = {
  /** The profile form's current values; `birthDateLocked` once a birth date is on file. */
  profile: customerProcedure.query(({ ctx }) =>
    portalProfile(ctx.deps, { customerId: ctx.actor.id }),
  ),

  updateProfile: customerProcedure
    .input(portalProfileInput)
    .mutation(({ ctx, input }) => updateOwnProfile(ctx.deps, input)),

  /** Consent state with the wording to agree to, the consent history, privacy requests. */
  privacy: customerProcedure.query(({ ctx }) =>
    portalPrivacyOverview(ctx.deps, { customerId: ctx.actor.id }),
  ),

  /** Marketing email / SMS on or off, by the customer: a confirmed PORTAL consent event. */
  setConsent: customerProcedure
    .input(portalConsentInput)
    .mutation(({ ctx, input }) => setConsentByCustomer(ctx.deps, input)),

  /**
   * Everything held about the customer, as JSON (a GDPR request, recorded and audited). The
   * portal's /privacy/download packages it as the zip; tRPC cannot send a file.
   */
  exportData: customerProcedure.mutation(({ ctx }) =>
    exportPersonalData(ctx.deps, { customerId: ctx.actor.id, source: "PORTAL" }),
  ),

  /**
   * Deletes the account (erasure), confirmed by typing the account's email or DELETE. Every
   * session ends with it, and this response clears the cookie.
   */
  deleteAccount: customerProcedure
    .input(z.object({ confirmation: eraseConfirmation }))
    .mutation(async ({ ctx, input }) => {
      const result = await eraseCustomer(ctx.deps, {
        customerId: ctx.actor.id,
        source: "PORTAL",
        confirmation: input.confirmation,
      });
      ctx.resHeaders.append(
        "Set-Cookie",
        serializeBlankSessionCookie("CUSTOMER", cookieSettings(ctx.env)),
      );
      return { erasedAt: result.erasedAt, gdprRequestId: result.gdprRequestId };
    }),
};
