import { TextField } from "@xplorium/ui";

/** The form field of an owner-level form that asks for the member's password again. */
export const PASSWORD_FIELD = "yourPassword";
/** `data.reason` of the refusal (packages/api/src/reauth.ts REAUTH_REQUIRED). */
export const REAUTH_REQUIRED = "REAUTH_REQUIRED";

interface Failure {
  reason?: string;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
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
}: {
  show: boolean;
  failure?: Failure | null;
  minutes: number;
}) {
  if (!show && !asksForPassword(failure)) return null;
  const error =
    failure?.fieldErrors[PASSWORD_FIELD] ?? (asksForPassword(failure) ? [failure!.message] : null);
  return (
    <TextField
      label="Your password"
      name={PASSWORD_FIELD}
      type="password"
      autoComplete="current-password"
      required
      hint={`This needs your password again: you last entered it more than ${minutes} minutes ago.`}
      error={error}
    />
  );
}
