import { type FormField, TextField } from "@xplorium/ui";
import type { InputHTMLAttributes } from "react";

/**
 * The 6-digit code of an authenticator app: a numeric keypad on phones, one-time-code autofill,
 * and room for "123 456" as some apps show it.
 */
export function CodeField({
  label = "6-digit code from your authenticator app",
  error,
  hint,
  ...input
}: {
  label?: string;
  error?: string | string[] | null | undefined;
  hint?: string;
  /** The form's `code` field, when the form is a `useZodForm` one. */
  field?: FormField;
} & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <TextField
      label={label}
      name="code"
      type="text"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={7}
      spellCheck={false}
      required
      error={error}
      {...(hint ? { hint } : {})}
      {...input}
    />
  );
}
