import { cn } from "@xplorium/ui";

export type KpiFormat = "count" | "percent" | "money";

export interface KpiValue {
  value: number | null;
  previous: number | null;
  change: number | null;
}

/** A figure and its change against the previous period, said in words for screen readers. */
export function KpiTile({
  label,
  hint,
  kpi,
  format,
  formatChange = format,
}: {
  label: string;
  hint: string;
  kpi: KpiValue;
  format: (n: number) => string;
  /** How the change reads, when not like the figure (rates change in percentage points). */
  formatChange?: (n: number) => string;
}) {
  const { value, previous, change } = kpi;
  const direction = change === null || change === 0 ? "same" : change > 0 ? "up" : "down";
  const sign = change !== null && change > 0 ? "+" : change !== null && change < 0 ? "−" : "";
  const changeText = change === null ? null : `${sign}${formatChange(Math.abs(change))}`;
  return (
    <section
      aria-label={label}
      className="rounded-2xl border border-stone-200 bg-white p-4 shadow-sm"
      data-testid="kpi"
    >
      <h2 className="font-medium text-sm text-stone-600">{label}</h2>
      <p className="mt-1 font-bold text-2xl text-stone-900 tabular-nums">
        {value === null ? "—" : format(value)}
      </p>
      <p className="mt-1 text-xs">
        {changeText === null ? (
          <span className="text-stone-500">
            {previous === null ? "No figure for the previous period" : "—"}
          </span>
        ) : (
          <>
            <span
              className={cn(
                "font-semibold tabular-nums",
                direction === "up" && "text-emerald-700",
                direction === "down" && "text-red-700",
                direction === "same" && "text-stone-600",
              )}
            >
              <span aria-hidden="true">
                {direction === "up" ? "▲ " : direction === "down" ? "▼ " : "= "}
              </span>
              <span className="sr-only">
                {direction === "up" ? "Up " : direction === "down" ? "Down " : "No change, "}
              </span>
              {direction === "same" ? "no change" : changeText}
            </span>{" "}
            <span className="text-stone-500">
              vs {previous === null ? "—" : format(previous)} in the previous period
            </span>
          </>
        )}
      </p>
      <p className="mt-2 text-stone-500 text-xs">{hint}</p>
    </section>
  );
}
