/** What the customer page's action answers, and helpers its forms share. */
export type ActionResult =
  | { ok: true; intent: string; toast: string }
  | {
      ok: false;
      intent: string;
      message: string;
      fieldErrors: Record<string, string[] | undefined>;
    };

export interface FormState {
  /** The first error of a field of one form, else that form's general message. */
  errorFor: (intent: string, field: string) => string | null;
  /** The field's own error only (no general message). */
  fieldError: (intent: string, field: string) => string | null;
  pending: (intent: string) => boolean;
}

export const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replaceAll("_", " ");
