import { Form, Link, useNavigation } from "@remix-run/react";
import { Button, cn, formatDate } from "@xplorium/ui";
import { type ChosenRange, RANGE_PRESETS } from "~/lib/date-range";

/** A required date of the custom range; keyed by its value so a new range resets the input. */
function DateInput({ name, label, value }: { name: "from" | "to"; label: string; value: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={`range-${name}`} className="block font-medium text-sm text-stone-700">
        {label}
      </label>
      <input
        id={`range-${name}`}
        type="date"
        name={name}
        required
        defaultValue={value}
        key={`${name}-${value}`}
        className="rounded-lg border border-stone-300 px-3 py-1.5 text-sm"
      />
    </div>
  );
}

/**
 * Presets as links (`?range=30d`) and a custom range as a GET form (`?from=…&to=…`): the range
 * lives in the URL, so a view can be bookmarked, shared and navigated back to.
 */
export function DateRangePicker({
  chosen,
  previous,
  error,
}: {
  chosen: ChosenRange;
  previous: { from: string; to: string } | null;
  error: string | null;
}) {
  const nav = useNavigation();
  const loading = nav.state === "loading" && nav.location?.pathname === "/";
  return (
    <div className="mb-6 space-y-3 rounded-2xl border border-stone-200 bg-white p-4 shadow-sm">
      <nav aria-label="Date range presets" className="flex flex-wrap gap-2">
        {RANGE_PRESETS.map((p) => (
          <Link
            key={p.id}
            to={`/?range=${p.id}`}
            aria-current={chosen.preset === p.id ? "true" : undefined}
            prefetch="intent"
            className={cn(
              "rounded-full px-3 py-1 font-medium text-sm ring-1",
              chosen.preset === p.id
                ? "bg-brand-700 text-white ring-brand-700"
                : "bg-white text-stone-700 ring-stone-300 hover:bg-stone-50",
            )}
          >
            {p.label}
          </Link>
        ))}
      </nav>
      <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Custom date range">
        <DateInput name="from" label="From" value={chosen.from} />
        <DateInput name="to" label="To" value={chosen.to} />
        <Button variant="secondary" busy={loading}>
          Apply
        </Button>
        <p className="text-sm text-stone-600" aria-live="polite">
          {loading ? (
            "Updating…"
          ) : (
            <>
              {formatDate(chosen.from)} – {formatDate(chosen.to)}
              {previous ? (
                <span className="text-stone-500">
                  {" "}
                  · compared with {formatDate(previous.from)} – {formatDate(previous.to)}
                </span>
              ) : null}
            </>
          )}
        </p>
      </Form>
      {error ? (
        <p role="alert" className="text-red-700 text-sm">
          {error}
        </p>
      ) : null}
    </div>
  );
}
