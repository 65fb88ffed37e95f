import { CONSENT_CHANNELS, PREFERRED_CONTACTS } from "@xplorium/domain";
import { z } from "zod";

/**
 * The customer pages' forms, one schema each, and the union on `intent` the customer page's
 * action parses (ADR 022). Limits and messages are the procedures' own (packages/core
 * customers/customer-profile.ts, customer-edits.ts, loyalty/staff-adjustments.ts), so the
 * browser says what the server would; the procedures still validate (and normalise: trimming,
 * tag slugs, phone numbers).
 */

/** Name, phone, birth date and contact preference: blank means "not given". */
const profileFields = {
  name: z.string().max(120, { message: "Names are at most 120 characters." }).optional(),
  phone: z.string().max(40, { message: "That phone number is too long." }).optional(),
  birthDate: z.string().optional(),
  preferredContactMethod: z
    .enum(PREFERRED_CONTACTS, { message: "Choose how they prefer to be contacted." })
    .optional(),
};

/** /customers/new: create, or update the customer the email (or an alias) belongs to. */
export const newCustomerForm = z.object({
  email: z
    .string({ message: "Enter an email address." })
    .max(254, { message: "That email address is too long." }),
  ...profileFields,
});

export const profileForm = z.object({ intent: z.literal("profile"), ...profileFields });

export const addTagForm = z.object({
  intent: z.literal("addTag"),
  tag: z.string({ message: "Enter a tag." }),
});

export const notesForm = z.object({
  intent: z.literal("notes"),
  notes: z.string().max(5000, { message: "Notes are at most 5,000 characters." }).optional(),
});

export const adjustPointsForm = z.object({
  intent: z.literal("adjustPoints"),
  /** Always positive: the button pressed (`direction`) says whether they are added or removed. */
  points: z
    .number({ message: "Enter a number of points." })
    .int({ message: "Points are whole numbers." })
    .min(1, { message: "Enter a number of points other than zero." })
    .max(100_000, { message: "At most 100,000 points at a time." }),
  reason: z
    .string({ message: "Say why (at least 3 characters)." })
    .min(3, { message: "Say why (at least 3 characters)." })
    .max(200, { message: "Keep the reason under 200 characters." }),
  direction: z.enum(["add", "remove"]).optional(),
  /** One per render, so a double-submitted adjustment posts once. */
  idempotencyKey: z.string().optional(),
});

const trueFalse = (message: string) =>
  z.enum(["true", "false"], { message }).transform((v) => v === "true");

export const vipForm = z.object({
  intent: z.literal("setVip"),
  vip: trueFalse("Choose VIP or not."),
  reason: z.string().max(200, { message: "Keep the reason under 200 characters." }).optional(),
});

/** The marketing preferences' switches (ConsentPanel): hidden fields only. */
export const consentForm = z.object({
  intent: z.literal("setConsent"),
  channel: z.enum(CONSENT_CHANNELS, { message: "Choose email or SMS." }),
  granted: trueFalse("Choose on or off."),
});

export const customerPageForms = z.discriminatedUnion("intent", [
  profileForm,
  addTagForm,
  z.object({ intent: z.literal("removeTag"), tag: z.string({ message: "Enter a tag." }) }),
  notesForm,
  adjustPointsForm,
  vipForm,
  consentForm,
]);

/** Which record's value a merge keeps, per field (packages/core customers/customer-merge.ts). */
const side = z.enum(["survivor", "merged"], { message: "Choose which record's value to keep." });

/** The merge page's confirm step: the pair, the choices made on the comparison, the password. */
export const mergeForm = z.object({
  survivorId: z.string({ message: "Choose the customer to keep." }),
  mergedId: z.string({ message: "Choose the customer to merge into it." }),
  name: side.optional(),
  phone: side.optional(),
  birthDate: side.optional(),
  preferredContactMethod: side.optional(),
  notes: z
    .enum(["both", "survivor", "merged"], { message: "Choose which notes to keep." })
    .optional(),
  yourPassword: z.string().optional(),
});

/** The privacy card's erase form (a fetcher posting to /customers/:id/erase). */
export const eraseForm = z.object({
  confirmation: z
    .string({ message: "Type the email address or DELETE to confirm." })
    .max(254, { message: "That is too long." }),
  yourPassword: z.string().optional(),
});
