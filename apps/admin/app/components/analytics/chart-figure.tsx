import { Card, EmptyState, formatNumber, rightAligned, SimpleTable } from "@xplorium/ui";
import type { ReactNode } from "react";
import { useHydrated } from "~/lib/use-hydrated";

export interface SeriesDef<K extends string> {
  key: K;
  label: string;
  color: string;
}

/**
 * Colour-blind-safe series colours (Okabe & Ito), each with at least 3:1 contrast on white for
 * the bars; every chart also has its numbers in a table below it.
 */
export const PALETTE = {
  blue: "#0072B2",
  orange: "#E69F00",
  green: "#009E73",
  purple: "#CC79A7",
  vermillion: "#D55E00",
  sky: "#56B4E9",
  grey: "#6B7280",
} as const;

/**
 * A chart card: the title, a sentence that says what the chart shows (read by everyone, and by
 * screen readers instead of the drawing), the chart (drawn in the browser only; a placeholder of
 * the same size before), and the numbers as a table behind "Show the numbers".
 */
export function ChartFigure({
  title,
  summary,
  empty,
  emptyText,
  chart,
  table,
  className,
}: {
  title: string;
  summary: string;
  empty: boolean;
  emptyText: string;
  chart: () => ReactNode;
  table: ReactNode;
  className?: string;
}) {
  const hydrated = useHydrated();
  return (
    <Card title={title} {...(className ? { className } : {})}>
      {empty ? (
        <EmptyState title={emptyText} />
      ) : (
        <figure className="space-y-3">
          <figcaption className="text-sm text-stone-600">{summary}</figcaption>
          <div aria-hidden="true" className="h-64 w-full">
            {hydrated ? (
              chart()
            ) : (
              <div className="grid h-full place-items-center rounded-lg bg-stone-50 text-sm text-stone-400">
                Drawing chart…
              </div>
            )}
          </div>
          <details className="text-sm">
            <summary className="cursor-pointer font-medium text-brand-700">
              Show the numbers
            </summary>
            <div className="mt-2 max-h-64 overflow-auto">{table}</div>
          </details>
        </figure>
      )}
    </Card>
  );
}

/** The numbers behind a chart: one row per category, one column per series. */
export function DataTable<K extends string>({
  caption,
  rowHeader,
  rows,
  series,
  format = formatNumber,
}: {
  caption: string;
  rowHeader: string;
  rows: { label: string; values: Record<K, number> }[];
  series: Pick<SeriesDef<K>, "key" | "label">[];
  format?: (n: number) => string;
}) {
  return (
    <SimpleTable
      caption={caption}
      columns={[rowHeader, ...series.map((s) => rightAligned(s.label))]}
      compact
    >
      {rows.map((r) => (
        <tr key={r.label}>
          <th scope="row" className="py-1 pr-3 font-normal">
            {r.label}
          </th>
          {series.map((s) => (
            <td key={s.key} className="py-1 pr-3 text-right tabular-nums">
              {format(r.values[s.key])}
            </td>
          ))}
        </tr>
      ))}
    </SimpleTable>
  );
}
