import { z } from "zod";

/**
 * The sign-in page's forms, one schema each, and the union on `intent` its action parses (ADR
 * 022). Limits and messages are the customer auth procedures' own (packages/core
 * customers/identity.ts, auth/customer-sign-up.ts), so the browser says what the server would;
 * the procedures still decide. `next` and `ref` ride along through every step as hidden fields
 * and are cleaned by the action (safeNext, referralParam), never refused.
 */

const carried = {
  next: z.string().optional(),
  ref: z.string().optional(),
};

export const requestCodeForm = z.object({
  intent: z.literal("request"),
  email: z
    .string({ message: "Enter an email address." })
    .trim()
    .max(254, { message: "That email address is too long." })
    .pipe(z.email({ message: "Enter a valid email address, like name@example.com." })),
  ...carried,
});

export const verifyCodeForm = z.object({
  intent: z.literal("verify"),
  email: z.string().default(""),
  code: z
    .string({ message: "The code is the 6 digits from the email." })
    .trim()
    .regex(/^\d{6}$/, { message: "The code is the 6 digits from the email." }),
  ...carried,
});

/**
 * The sign-up step's fields, once the address is proven. /sign-up (the emailed link) parses
 * these alone; on /sign-in they are the "sign-up" member of the union.
 */
export const signUpFields = z.object({
  ticket: z.string({ message: "This sign-up has expired. Ask for a new code to continue." }),
  /** Shown, not trusted: the ticket says whose address it is. */
  email: z.string().default(""),
  name: z.string().max(120, { message: "Names are at most 120 characters." }).optional(),
  /** The box posts "yes" when ticked and nothing when not: consent only when ticked. */
  marketingEmail: z.literal("yes").optional(),
  referralCode: z
    .string()
    .max(20, { message: "Referral codes are at most 20 characters." })
    .optional(),
  next: z.string().optional(),
});

/**
 * The `reason` of a sign-up refusal after which this form cannot go on (the ticket is spent or
 * too old, or the address has an account): the page offers "Back to sign-in" instead.
 */
export const SIGN_UP_RESTART = "SIGN_UP_RESTART";

export const signUpForm = signUpFields.extend({ intent: z.literal("sign-up") });

export const signInForms = z.discriminatedUnion("intent", [
  requestCodeForm,
  verifyCodeForm,
  signUpForm,
]);

/** The magic link's one button: the token from the emailed link, as a hidden field. */
export const magicLinkForm = z.object({ token: z.string().default("") });

/** Sign out here, or (`everywhere=1`) on every device. */
export const signOutForm = z.object({ everywhere: z.literal("1").optional() });
