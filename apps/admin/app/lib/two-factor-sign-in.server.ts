import { type AppLoadContext, redirect } from "@remix-run/node";
import { readCookie } from "@xplorium/auth";
import type { z } from "zod";
import { SIGN_IN_AGAIN, type signInForms } from "~/components/account/sign-in-forms";
import { type adminApi, describeActionError } from "./api.server";
import { type FormSubmission, formResult } from "./form.server";
import { safeNext } from "./session.server";

/**
 * The second step of a staff sign-in with two-factor, on the sign-in page. The challenge from
 * the password step (auth.staff.signIn) waits in an HttpOnly cookie, never in the page: SameSite
 * Strict, five minutes, `__Host-` prefixed over HTTPS. (Path=/ because single fetch posts the
 * form to /sign-in.data.)
 */
const CHALLENGE_MAX_AGE_SECONDS = 5 * 60;

function cookieName(context: AppLoadContext): string {
  return context.env.production ? "__Host-xp_staff_2fa" : "xp_staff_2fa";
}

function serialize(context: AppLoadContext, value: string, maxAge: number): string {
  return [
    `${cookieName(context)}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAge}`,
    context.env.production ? "Secure" : null,
  ]
    .filter(Boolean)
    .join("; ");
}

export const challengeCookie = (context: AppLoadContext, challenge: string) =>
  serialize(context, challenge, CHALLENGE_MAX_AGE_SECONDS);
export const blankChallengeCookie = (context: AppLoadContext) => serialize(context, "", 0);

/** The pending challenge of this browser, if any (a well-formed `id.secret` only). */
export function readChallenge(request: Request, context: AppLoadContext): string | null {
  const value = readCookie(request.headers.get("cookie"), cookieName(context));
  return value && /^[a-z2-9]{1,64}\.[a-z2-9]{1,64}$/.test(value) ? value : null;
}

/** Back to the sign-in page, keeping `next`. */
export function signInPage(next: string | undefined, headers: Headers) {
  const target = next && next !== "/" ? next : null;
  return redirect(`/sign-in${target ? `?next=${encodeURIComponent(target)}` : ""}`, { headers });
}

type AdminApi = Awaited<ReturnType<typeof adminApi>>["api"];
type CodeStepForm = Extract<z.output<typeof signInForms>, { intent: "code" | "restart" }>;

const EXPIRED = "This sign-in has expired. Enter your email and password again.";

/**
 * The sign-in form's second step (`intent=code`, from either the app-code or the recovery-code
 * form, told apart by `kind`), and `intent=restart` (another account). A wrong code keeps the
 * step; a challenge that is used up, expired or out of tries sends the member back to the
 * password with the reason (a refusal with `reason` SIGN_IN_AGAIN). A code typed is never sent
 * back to refill the field (a recovery code is a secret, like a password).
 */
export async function signInCodeStep(step: {
  request: Request;
  context: AppLoadContext;
  submission: FormSubmission;
  form: CodeStepForm;
  api: AdminApi;
  headers: Headers;
}) {
  const { request, context, submission, form, api, headers } = step;
  if (form.intent === "restart") {
    headers.append("Set-Cookie", blankChallengeCookie(context));
    return signInPage(form.next, headers);
  }
  const hideFields = ["code"];
  const challenge = readChallenge(request, context);
  if (!challenge) {
    const refuse = { message: EXPIRED, status: 401, reason: SIGN_IN_AGAIN };
    return formResult(submission, { headers, hideFields, refuse });
  }
  try {
    await api.auth.staff.verifyTwoFactor({ challenge, code: form.code });
  } catch (error) {
    const failure = describeActionError(error);
    // A wrong code (or too many for now) keeps the step; anything else ended the challenge.
    if (failure.status === 429 || failure.status === 400 || failure.fieldErrors.code) {
      return formResult(submission, { headers, hideFields, error });
    }
    headers.append("Set-Cookie", blankChallengeCookie(context));
    const refuse = { message: failure.message, status: failure.status, reason: SIGN_IN_AGAIN };
    return formResult(submission, { headers, hideFields, refuse });
  }
  headers.append("Set-Cookie", blankChallengeCookie(context));
  return redirect(safeNext(form.next, context), { headers });
}
