import { Link, useNavigate } from "@remix-run/react";
import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { cn } from "./cn";

export interface DataTableSort {
  id: string;
  dir: "asc" | "desc";
}

export interface DataTableProps<T> {
  caption: string;
  columns: ColumnDef<T>[];
  data: T[];
  /** Server-side sorting: the current sort and the URL that sorts by a column. */
  sort?: DataTableSort;
  sortHref?: (columnId: string, dir: "asc" | "desc") => string;
  /** Where a row leads; the first cell links there for keyboards, the whole row for pointers. */
  rowHref?: (row: T) => string;
  getRowId: (row: T) => string;
  busy?: boolean;
}

/** The one data table: @tanstack/react-table with server-side sort and row links. */
export function DataTable<T>({
  caption,
  columns,
  data,
  sort,
  sortHref,
  rowHref,
  getRowId,
  busy,
}: DataTableProps<T>) {
  const navigate = useNavigate();
  const table = useReactTable({
    data,
    columns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });
  return (
    <div
      className={cn(
        "overflow-x-auto rounded-2xl border border-stone-200 bg-white shadow-sm transition-opacity",
        busy && "opacity-60",
      )}
      aria-busy={busy || undefined}
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-stone-200 border-b bg-stone-50 text-stone-600 text-xs uppercase">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const id = header.column.id;
                const sortable = header.column.columnDef.enableSorting !== false && sortHref;
                const active = sort?.id === id;
                const nextDir =
                  active && sort?.dir === "asc"
                    ? "desc"
                    : active
                      ? "asc"
                      : ((header.column.columnDef.meta as { firstDir?: "asc" | "desc" } | undefined)
                          ?.firstDir ?? "asc");
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className="px-4 py-3 font-semibold whitespace-nowrap"
                    aria-sort={
                      active ? (sort?.dir === "asc" ? "ascending" : "descending") : undefined
                    }
                  >
                    {sortable ? (
                      <Link
                        to={sortHref(id, nextDir)}
                        preventScrollReset
                        className="inline-flex items-center gap-1 hover:text-stone-900"
                      >
                        {label}
                        <span
                          aria-hidden="true"
                          className={cn("text-[10px]", !active && "opacity-30")}
                        >
                          {active && sort?.dir === "asc" ? "▲" : "▼"}
                        </span>
                      </Link>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-stone-100">
          {table.getRowModel().rows.map((row) => {
            const href = rowHref?.(row.original);
            return (
              <tr
                key={row.id}
                onClick={href ? () => navigate(href) : undefined}
                className={cn(href && "cursor-pointer hover:bg-brand-50/50")}
              >
                {row.getVisibleCells().map((cell, i) => (
                  <td key={cell.id} className="px-4 py-3 whitespace-nowrap">
                    {i === 0 && href ? (
                      <Link
                        to={href}
                        className="font-medium text-stone-900 hover:underline"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </Link>
                    ) : (
                      flexRender(cell.column.columnDef.cell, cell.getContext())
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
