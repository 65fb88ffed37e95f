import { API_KEY_SCOPE_DESCRIPTIONS, API_KEY_SCOPES } from "@xplorium/auth/permissions";
import { type FormField, getCollectionProps } from "@xplorium/ui";

/** A new key's scopes: one checkbox each with what it allows, and the field's error under them. */
export function ScopesFieldset({ field }: { field: FormField }) {
  const error = field.errors?.[0];
  const boxes = getCollectionProps(field, {
    type: "checkbox",
    options: [...API_KEY_SCOPES],
    ariaAttributes: false,
  });
  return (
    <fieldset aria-describedby={error ? field.errorId : undefined}>
      <legend className="font-medium text-sm text-stone-700">Scopes</legend>
      <div className="mt-2 space-y-2">
        {boxes.map(({ key, ...box }) => (
          <label key={key} className="flex items-start gap-2 text-sm">
            <input
              {...box}
              // With one scope there is nothing to choose.
              defaultChecked={box.defaultChecked || API_KEY_SCOPES.length === 1}
              className="mt-0.5 size-4 rounded border-stone-300"
            />
            <span>
              <span className="font-mono text-stone-900">{box.value}</span>
              <span className="block text-stone-500 text-xs">
                {API_KEY_SCOPE_DESCRIPTIONS[box.value as (typeof API_KEY_SCOPES)[number]]}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={field.errorId} className="mt-1 text-red-600 text-sm">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
