import { type AppLoadContext, data, redirect } from "@remix-run/node";
import { readCookie } from "@xplorium/auth";
import type { adminApi } from "./api.server";
import { describeActionError } from "./api.server";
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
export function signInPage(next: FormDataEntryValue | null, headers: Headers) {
  const target = typeof next === "string" && next && next !== "/" ? next : null;
  return redirect(`/sign-in${target ? `?next=${encodeURIComponent(target)}` : ""}`, { headers });
}

type AdminApi = Awaited<ReturnType<typeof adminApi>>["api"];

/**
 * The sign-in form's second step (`intent=code`, from either the app-code or the recovery-code
 * form, told apart by `kind`), and `intent=restart` (another account). A wrong code keeps the
 * step; a challenge that is used up, expired or out of tries sends the member back to the
 * password with the reason.
 */
export async function signInCodeStep(
  request: Request,
  context: AppLoadContext,
  form: FormData,
  api: AdminApi,
  headers: Headers,
) {
  const kind = form.get("kind") === "recovery" ? ("recovery" as const) : ("totp" as const);
  if (form.get("intent") === "restart") {
    headers.append("Set-Cookie", blankChallengeCookie(context));
    return signInPage(form.get("next"), headers);
  }
  const challenge = readChallenge(request, context);
  if (!challenge) {
    return data(
      {
        ok: false as const,
        status: 401,
        message: "This sign-in has expired. Enter your email and password again.",
        fieldErrors: {} as Record<string, string[] | undefined>,
        step: "password" as const,
        kind,
      },
      { status: 401, headers },
    );
  }
  try {
    await api.auth.staff.verifyTwoFactor({ challenge, code: String(form.get("code") ?? "") });
  } catch (error) {
    const failure = describeActionError(error);
    // A wrong code (or too many for now) keeps the step; anything else ended the challenge.
    const stays = failure.status === 429 || failure.status === 400 || !!failure.fieldErrors.code;
    if (!stays) headers.append("Set-Cookie", blankChallengeCookie(context));
    return data(
      { ...failure, step: stays ? ("code" as const) : ("password" as const), kind },
      { status: failure.status, headers },
    );
  }
  headers.append("Set-Cookie", blankChallengeCookie(context));
  return redirect(safeNext(form.get("next"), context), { headers });
}
