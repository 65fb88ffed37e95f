import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";
import { cn } from "./cn";

interface FieldShell {
  label: string;
  /** Inline error under the field; also wires aria-invalid and aria-describedby. */
  error?: string | string[] | null | undefined;
  hint?: string;
}

function firstError(error: FieldShell["error"]): string | null {
  if (!error) return null;
  return Array.isArray(error) ? (error[0] ?? null) : error;
}

const inputClass =
  "block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-stone-400 focus:border-brand-600 focus:ring-2 focus:ring-brand-200 focus:outline-none aria-[invalid=true]:border-red-500";

/** Label, control and message, with the accessibility wiring every form field shares. */
function Field({
  label,
  error,
  hint,
  className,
  control,
}: FieldShell & {
  className?: string | undefined;
  control: (a11y: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const message = firstError(error);
  const describedBy = message ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-stone-700">
        {label}
      </label>
      {control({
        id,
        ...(message ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      })}
      {message ? (
        <p id={`${id}-error`} className="text-sm text-red-600">
          {message}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-stone-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({
  label,
  error,
  hint,
  className,
  ...input
}: FieldShell & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field
      label={label}
      error={error}
      {...(hint ? { hint } : {})}
      className={className}
      control={(a11y) => <input {...input} {...a11y} className={inputClass} />}
    />
  );
}

export function SelectField({
  label,
  error,
  hint,
  className,
  options,
  ...select
}: FieldShell &
  SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  return (
    <Field
      label={label}
      error={error}
      {...(hint ? { hint } : {})}
      className={className}
      control={(a11y) => (
        <select {...select} {...a11y} className={inputClass}>
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
