import type { AppLoadContext } from "@remix-run/node";
import {
  type ActionFailure,
  describeActionError,
  passwordConfirmationStale,
  REASON_HEADER,
  REAUTH_REQUIRED,
} from "@xplorium/api";
import { PASSWORD_FIELD } from "~/components/confirm-password-field";
import type { adminApi } from "./api.server";

type Api = Awaited<ReturnType<typeof adminApi>>["api"];

/**
 * For a page with an owner-level form (packages/api/src/reauth.ts): whether the form should ask
 * for the member's password up front, and the minutes it then counts for. The action still
 * decides (the page may sit open past the limit): a REAUTH_REQUIRED answer shows the field too.
 */
export function passwordPrompt(
  session: { passwordConfirmedAt: Date | null },
  context: AppLoadContext,
): { askPassword: boolean; confirmMinutes: number } {
  return {
    askPassword: passwordConfirmationStale(session, context.env),
    confirmMinutes: context.env.STAFF_PASSWORD_CONFIRM_MINUTES,
  };
}

/**
 * In an owner-level form's action, before its call: when the form carried "Your password"
 * (`yourPassword` of its schema, see confirm-password-field.tsx), confirm it
 * (auth.staff.confirmPassword; the call that follows in this request sees it). A refusal (wrong
 * password, too many tries) comes back as the field's error, still asking; so does an empty
 * field when `required` (a form that only confirms). The refusal goes to `formResult`'s `refuse`.
 */
export async function confirmPassword(
  api: Api,
  password: string | undefined,
  { required = false } = {},
): Promise<ActionFailure | null> {
  if (!password) {
    if (!required) return null;
    const message = "Enter your password.";
    return {
      ok: false,
      status: 400,
      message,
      fieldErrors: { [PASSWORD_FIELD]: [message] },
      reason: REAUTH_REQUIRED,
    };
  }
  try {
    await api.auth.staff.confirmPassword({ password });
    return null;
  } catch (error) {
    const failure = describeActionError(error);
    return {
      ...failure,
      reason: REAUTH_REQUIRED,
      fieldErrors: { [PASSWORD_FIELD]: failure.fieldErrors.password ?? [failure.message] },
    };
  }
}

/** `confirmPassword` for an action that reads its form without a schema (a resource route). */
export function confirmPasswordFromForm(
  api: Api,
  form: FormData,
  options: { required?: boolean } = {},
): Promise<ActionFailure | null> {
  const password = form.get(PASSWORD_FIELD);
  return confirmPassword(api, typeof password === "string" ? password : undefined, options);
}

/** Whether a download endpoint refused because the password must be entered again. */
export const isReauthRefusal = (response: Response) =>
  response.status === 403 && response.headers.get(REASON_HEADER) === REAUTH_REQUIRED;

/** To the confirmation page, which continues to `next` (and offers `back`). */
export function confirmPasswordPath(next: string, back: string): string {
  return `/confirm-password?${new URLSearchParams({ next, back })}`;
}
