import { type FormField, TextField } from "@xplorium/ui";
import { z } from "zod";

/** The form field of an owner-level form that asks for the member's password again. */
export const PASSWORD_FIELD = "yourPassword";
/** The field in an owner-level form's schema (spread into its `z.object`). */
export const yourPasswordField = { [PASSWORD_FIELD]: z.string().optional() };
/** `data.reason` of the refusal (packages/api/src/reauth.ts REAUTH_REQUIRED). */
export const REAUTH_REQUIRED = "REAUTH_REQUIRED";

/** An action's failure: a form result (ADR 022), or the older shape with `fieldErrors`. */
interface Failure {
  reason?: string;
  message: string | null;
  fieldErrors?: Record<string, string[] | undefined>;
}

/** Whether an action's failure asks for the password (it was not entered recently enough). */
export const asksForPassword = (failure: Failure | null | undefined): boolean =>
  failure?.reason === REAUTH_REQUIRED;

/**
 * "Your password", shown in an owner-level form when the password was last entered longer ago
 * than `minutes` (the loader says so up front, or the action answered REAUTH_REQUIRED). The
 * action confirms it before doing the rest, so one submit does both. Its error is inline: a
 * wrong password, or the refusal's own message when the field was left empty.
 */
export function ConfirmPasswordField({
  show,
  failure,
  minutes,
  field,
}: {
  show: boolean;
  failure?: Failure | null;
  minutes: number;
  /** The form's `yourPassword` field, when the form is a `useZodForm` one. */
  field?: FormField;
}) {
  if (!show && !asksForPassword(failure)) return null;
  const message = asksForPassword(failure) ? failure?.message : null;
  const error =
    field?.errors ?? failure?.fieldErrors?.[PASSWORD_FIELD] ?? (message ? [message] : null);
  return (
    <TextField
      label="Your password"
      name={PASSWORD_FIELD}
      field={field}
      type="password"
      autoComplete="current-password"
      required
      hint={`This needs your password again: you last entered it more than ${minutes} minutes ago.`}
      error={error}
    />
  );
}
