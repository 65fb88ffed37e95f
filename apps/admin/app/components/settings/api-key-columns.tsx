import { Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { type ColumnDef, formatDate } from "@xplorium/ui";

type ApiKeyRow = RouterOutputs["apiKeys"]["list"][number];

/** The keys table's columns; an active key's "Revoke…" links to its confirmation. */
export function keyColumns(revokeHref: (id: string) => string): ColumnDef<ApiKeyRow>[] {
  return [
    {
      id: "name",
      header: "Name",
      cell: ({ row: { original: k } }) => (
        <>
          <p className="font-medium text-stone-900">{k.name}</p>
          <p className="font-mono text-stone-500 text-xs">xp_{k.prefix}_…</p>
        </>
      ),
    },
    {
      id: "scopes",
      header: "Scopes",
      cell: ({ row }) => (
        <ul className="flex flex-wrap gap-1">
          {row.original.scopes.map((s) => (
            <li key={s} className="rounded-full bg-stone-100 px-2 py-0.5 font-mono text-xs">
              {s}
            </li>
          ))}
        </ul>
      ),
    },
    {
      id: "created",
      header: "Created",
      cell: ({ row: { original: k } }) => (
        <>
          {formatDate(k.createdAt, { time: true })}
          {k.createdByName ? (
            <span className="block text-stone-500 text-xs">by {k.createdByName}</span>
          ) : null}
        </>
      ),
    },
    {
      id: "lastUsed",
      header: "Last used",
      cell: ({ row }) =>
        row.original.lastUsedAt ? formatDate(row.original.lastUsedAt, { time: true }) : "Never",
    },
    {
      id: "status",
      header: "Status",
      cell: ({ row: { original: k } }) =>
        k.revokedAt ? (
          <span className="text-red-700">Revoked {formatDate(k.revokedAt)}</span>
        ) : (
          <span className="flex items-center gap-3">
            <span className="text-emerald-700">Active</span>
            <Link
              to={revokeHref(k.id)}
              preventScrollReset
              className="font-medium text-red-700 text-sm hover:underline"
            >
              Revoke…
            </Link>
          </span>
        ),
    },
  ];
}
