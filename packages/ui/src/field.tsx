import {
  type FieldMetadata,
  getInputProps,
  getSelectProps,
  getTextareaProps,
} from "@conform-to/react";
import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from "react";
import { cn } from "./cn";

/** A field of a `useZodForm` form (packages/ui/src/form.tsx). */
// biome-ignore lint/suspicious/noExplicitAny: a field of any form, whatever its value's type
export type FormField = FieldMetadata<any, any, string[]>;

interface FieldShell {
  label: string;
  /** For screen readers only, when the card's title already says what the field is. */
  hideLabel?: boolean;
  /** Inline error under the field; also wires aria-invalid and aria-describedby. */
  error?: string | string[] | null | undefined;
  /** The description under the field (shown when there is no error). */
  hint?: ReactNode;
  /**
   * The Conform field: its name, id, value to refill, constraints from the schema (required,
   * maxLength, min, max, …) and errors. Props given next to it win (e.g. `value` to control it).
   */
  field?: FormField | undefined;
}

function firstError(error: FieldShell["error"]): string | null {
  if (!error) return null;
  return Array.isArray(error) ? (error[0] ?? null) : error;
}

const inputClass =
  "block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-stone-400 focus:border-brand-600 focus:ring-2 focus:ring-brand-200 focus:outline-none aria-[invalid=true]:border-red-500";

interface A11y {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/** The ids, message and aria wiring a field shares, from its Conform field when it has one. */
function useFieldA11y({ error, hint, field }: FieldShell) {
  const generated = useId();
  const id = field?.id ?? generated;
  const errorId = field?.errorId ?? `${id}-error`;
  const hintId = field?.descriptionId ?? `${id}-hint`;
  const message = firstError(error ?? field?.errors);
  const describedBy = message ? errorId : hint ? hintId : undefined;
  const a11y: A11y = {
    id,
    ...(message ? { "aria-invalid": true as const } : {}),
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
  };
  return { a11y, message, errorId, hintId };
}

function Message({
  message,
  hint,
  errorId,
  hintId,
}: {
  message: string | null;
  hint: ReactNode;
  errorId: string;
  hintId: string;
}) {
  if (message) {
    return (
      <p id={errorId} className="text-sm text-red-600">
        {message}
      </p>
    );
  }
  return hint ? (
    <p id={hintId} className="text-xs text-stone-500">
      {hint}
    </p>
  ) : null;
}

/** Label, control and message, with the accessibility wiring every form field shares. */
function Field({
  label,
  hideLabel = false,
  error,
  hint,
  field,
  className,
  control,
}: FieldShell & {
  className?: string | undefined;
  control: (a11y: A11y) => ReactNode;
}) {
  const { a11y, message, errorId, hintId } = useFieldA11y({ label, error, hint, field });
  return (
    <div className={cn("space-y-1", className)}>
      <label
        htmlFor={a11y.id}
        className={hideLabel ? "sr-only" : "block text-sm font-medium text-stone-700"}
      >
        {label}
      </label>
      {control(a11y)}
      <Message message={message} hint={hint} errorId={errorId} hintId={hintId} />
    </div>
  );
}

/**
 * What a Conform field gives a control (name, form, constraints and, unless the control is
 * controlled, the value to start from), without its aria wiring (the Field does that) and its
 * `key` (returned apart: React takes it as a prop of its own).
 */
function conformProps<P extends { key?: string | undefined; id?: string; form?: string }>(
  props: P,
): { key: string | undefined; rest: Omit<P, "key" | "id" | "form"> } {
  // No `form` attribute: the control sits inside its form, which then need not carry the id.
  const { key, id: _id, form: _form, ...rest } = props;
  return { key, rest };
}

/** The props every field hands its Field shell, apart from its control's own. */
function splitShell<P extends FieldShell & { className?: string | undefined }>({
  label,
  hideLabel,
  error,
  hint,
  field,
  className,
  ...control
}: P) {
  return { shell: { label, hideLabel, error, hint, field, className }, control };
}

type InputType = Exclude<
  NonNullable<Parameters<typeof getInputProps>[1]["type"]>,
  "checkbox" | "radio" | "file"
>;

export function TextField(props: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  const { shell, control: input } = splitShell(props);
  const { field } = shell;
  const bound = field
    ? conformProps(
        getInputProps(field, {
          type: (input.type ?? "text") as InputType,
          ariaAttributes: false,
          value: input.value === undefined,
        }),
      )
    : null;
  return (
    <Field
      {...shell}
      control={(a11y) => (
        <input key={bound?.key} {...bound?.rest} {...input} {...a11y} className={inputClass} />
      )}
    />
  );
}

export function SelectField({
  options,
  ...props
}: FieldShell &
  SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const { shell, control: select } = splitShell(props);
  const { field } = shell;
  const bound = field
    ? conformProps(
        getSelectProps(field, { ariaAttributes: false, value: select.value === undefined }),
      )
    : null;
  return (
    <Field
      {...shell}
      control={(a11y) => (
        <select key={bound?.key} {...bound?.rest} {...select} {...a11y} className={inputClass}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function TextareaField({
  textareaRef,
  monospace = false,
  ...props
}: FieldShell &
  TextareaHTMLAttributes<HTMLTextAreaElement> & {
    textareaRef?: Ref<HTMLTextAreaElement>;
    /** For source text (Markdown, templates). */
    monospace?: boolean;
  }) {
  const { shell, control: textarea } = splitShell(props);
  const { field } = shell;
  const bound = field
    ? conformProps(
        getTextareaProps(field, { ariaAttributes: false, value: textarea.value === undefined }),
      )
    : null;
  return (
    <Field
      {...shell}
      control={(a11y) => (
        <textarea
          key={bound?.key}
          ref={textareaRef}
          {...bound?.rest}
          {...textarea}
          {...a11y}
          className={cn(inputClass, monospace && "font-mono")}
        />
      )}
    />
  );
}

/**
 * A checkbox with its label beside it. With a Conform field it posts "on" when ticked (the
 * schema reads it as `z.boolean()`), or `value` when given.
 */
export function CheckboxField({
  label,
  hideLabel: _hideLabel,
  error,
  hint,
  field,
  className,
  ...input
}: FieldShell & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  const { a11y, message, errorId, hintId } = useFieldA11y({ label, error, hint, field });
  const bound = field
    ? conformProps(
        getInputProps(field, {
          type: "checkbox",
          ariaAttributes: false,
          ...(input.value === undefined ? {} : { value: String(input.value) }),
        }),
      )
    : null;
  return (
    <div className={cn("space-y-1", className)}>
      <div className="flex items-center gap-2">
        <input
          key={bound?.key}
          {...bound?.rest}
          {...input}
          {...a11y}
          type="checkbox"
          className="size-4 rounded border-stone-300 text-brand-700 focus:ring-brand-200"
        />
        <label htmlFor={a11y.id} className="text-sm text-stone-700">
          {label}
        </label>
      </div>
      <Message message={message} hint={hint} errorId={errorId} hintId={hintId} />
    </div>
  );
}
