import { type DefaultValue, type SubmissionResult, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import type { z } from "zod";
import type { ToastMessage } from "./remix/toast";

/**
 * The form layer's client half (ADR 022). The server half is `parseForm` and `formResult` in
 * packages/api (action-errors.ts); this is what a page needs of the `FormResult` they return.
 */
export interface FormResultLike {
  ok: boolean;
  intent: string | null;
  reply: SubmissionResult<string[]>;
  message: string | null;
  at: number;
}

/** A zod object schema of a form (for a page with several forms: one member of the union). */
// biome-ignore lint/suspicious/noExplicitAny: any object schema
type FormSchema = z.ZodType<Record<string, any>>;

/**
 * Conform's `useForm` bound to a zod schema: the inputs' constraints (required, maxLength, min,
 * max, …) come from it, the browser checks a field when it is left and again as it is typed in
 * (with the schema's messages), and the action's last result (`useActionData`) shows its errors
 * and refills what was typed. `intent` takes only the results of that form of the page.
 */
export function useZodForm<Schema extends FormSchema>(
  schema: Schema,
  options: {
    result?: FormResultLike | null | undefined;
    intent?: string;
    id?: string;
    defaultValue?: DefaultValue<z.input<Schema> & Record<string, unknown>>;
    /**
     * "submit": the browser checks nothing until the first submit (then as it is typed in). For
     * a short form with links under an autofocused field (sign-in): a check on leaving the empty
     * field would push the link away under the pointer.
     */
    validateFirstOn?: "blur" | "submit";
  } = {},
) {
  const { result, intent } = options;
  const constraint = useMemo(() => getZodConstraint(schema), [schema]);
  const ours = result && (intent === undefined || result.intent === intent) ? result : null;
  return useForm<z.input<Schema> & Record<string, unknown>, z.output<Schema>>({
    ...(options.id ? { id: options.id } : {}),
    ...(options.defaultValue ? { defaultValue: options.defaultValue } : {}),
    lastResult: ours?.reply ?? null,
    constraint,
    shouldValidate: options.validateFirstOn === "submit" ? "onSubmit" : "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

/**
 * The toast for an action's result (its message, green or red), or for `notice` (e.g. "Saved."
 * after a redirect). One object per outcome, so a page that re-renders (polling) does not show
 * it again.
 */
export function useResultToast(
  result: FormResultLike | null | undefined,
  notice?: string | null,
): ToastMessage | null {
  return useMemo(
    () =>
      result?.message
        ? { id: String(result.at), tone: result.ok ? "success" : "error", text: result.message }
        : notice
          ? { id: notice, tone: "success", text: notice }
          : null,
    [result, notice],
  );
}

/** A failed result of this form (`intent`), for messages outside its fields. */
export function failedResult<R extends FormResultLike>(
  result: R | null | undefined,
  ...intents: string[]
): R | null {
  return result && !result.ok && (intents.length === 0 || intents.includes(result.intent ?? ""))
    ? result
    : null;
}

/** The `intent` of the form being submitted right now, for its button's spinner. */
export function useBusyIntent(): string | null {
  const navigation = useNavigation();
  const intent = navigation.state === "idle" ? null : navigation.formData?.get("intent");
  return typeof intent === "string" ? intent : null;
}
