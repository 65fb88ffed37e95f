import { z } from "zod";

/**
 * The sign-in page's forms and the union on `intent` its action parses (ADR 022), and the
 * sign-out buttons' one field. Limits and messages are the staff auth procedures' own
 * (auth.staff.signIn, verifyTwoFactor; emailSchema in core), so the browser says what the
 * server would; the procedures still decide. `next` rides along as a hidden field and is cleaned
 * by safeNext, never refused.
 */

/** The address staff sign in with (and ask for a reset link for). */
export const staffEmail = z
  .string({ message: "Enter an email address." })
  .trim()
  .max(254, { message: "That email address is too long." })
  .pipe(z.email({ message: "Enter a valid email address, like name@example.com." }));

const next = z.string().optional();

/** Email and password. Its button sends `intent=password`; a post without `intent` is this form. */
export const passwordSignInForm = z.object({
  intent: z.literal("password").optional(),
  email: staffEmail,
  password: z.string({ message: "Enter your password." }).max(256),
  next,
});

/**
 * The second step: the authenticator app's code or (`kind=recovery`) a recovery code; any other
 * `kind` is the app's. The code itself, its length too, is the procedure's to judge: a
 * challenge that is gone is said before anything about the code.
 */
export const codeSignInForm = z.object({
  intent: z.literal("code"),
  kind: z.enum(["totp", "recovery"]).catch("totp"),
  code: z.string().default(""),
  next,
});

export const signInForms = z.discriminatedUnion("intent", [
  passwordSignInForm,
  codeSignInForm,
  /** "Sign in as someone else": the challenge dropped, back to the password. */
  z.object({ intent: z.literal("restart"), next }),
]);

/**
 * The `reason` of a code step's refusal after which the challenge is gone (expired, used up,
 * out of tries): the page goes back to the password with the message.
 */
export const SIGN_IN_AGAIN = "SIGN_IN_AGAIN";

/** Sign out here, or (`everywhere=1`) on every device. */
export const signOutForm = z.object({ everywhere: z.literal("1").optional() });
