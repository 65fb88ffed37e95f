import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * A column heading; numbers are right-aligned, so a heading over them says `align: "right"`; a
 * column of buttons has its heading for screen readers only (`hidden`).
 */
export type SimpleColumn = string | { label: string; align?: "right"; hidden?: true };

/**
 * The small read-only table of the cards (no sorting, no row links: that is DataTable): an
 * optional screen-reader caption, a row of column headings, and the body rows the caller renders.
 * `compact` for the tight tables beside a chart; `scroll` for those wider than a phone.
 */
export function SimpleTable({
  caption,
  columns,
  children,
  compact = false,
  scroll = false,
  className,
}: {
  caption?: string;
  columns: SimpleColumn[];
  children: ReactNode;
  compact?: boolean;
  scroll?: boolean;
  className?: string;
}) {
  const last = columns.length - 1;
  const table = (
    <table className={cn("w-full text-left text-sm", className)}>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead className="text-stone-500 text-xs uppercase">
        <tr>
          {columns.map((column, i) => {
            const { label, align, hidden } =
              typeof column === "string" ? { label: column } : column;
            return (
              <th
                key={label}
                scope="col"
                className={cn(
                  compact ? "py-1" : "py-2",
                  i < last && "pr-3",
                  align === "right" && "text-right",
                )}
              >
                {hidden ? <span className="sr-only">{label}</span> : label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody className="divide-y divide-stone-100">{children}</tbody>
    </table>
  );
  return scroll ? <div className="overflow-x-auto">{table}</div> : table;
}

/** A right-aligned column heading, over numbers. */
export const rightAligned = (label: string): SimpleColumn => ({ label, align: "right" });

/** A column heading read by screen readers only, over a column of buttons or links. */
export const hiddenLabel = (label: string): SimpleColumn => ({ label, hidden: true });
