import { z } from "zod";

/**
 * The privacy page's forms and the union on `intent` its action parses (ADR 022). Messages are
 * the procedures' own (packages/core consent/customer-consent.ts, privacy/customer-erasure.ts).
 */

/** One marketing switch: the channel, the state it turns to, and the wording shown with it. */
export const consentForm = z.object({
  intent: z.literal("consent"),
  channel: z.enum(["EMAIL", "SMS"], { message: "Choose email or SMS." }),
  granted: z
    .enum(["true", "false"], { message: "Choose on or off." })
    .transform((v) => v === "true"),
  wordingVersion: z.string().max(100).optional(),
});

export const deleteAccountForm = z.object({
  intent: z.literal("delete"),
  confirmation: z
    .string({ message: "Type the email address or DELETE to confirm." })
    .max(254, { message: "That is too long." }),
});

export const privacyForms = z.discriminatedUnion("intent", [consentForm, deleteAccountForm]);
