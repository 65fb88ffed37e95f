import { Link } from "@remix-run/react";
import { trpc } from "@xplorium/api/client";
import {
  Alert,
  Button,
  EmptyState,
  formatNumber,
  rightAligned,
  SimpleTable,
  TierBadge,
} from "@xplorium/ui";
import { useState } from "react";
import type { Filter } from "./segment-filter";

const PAGE_SIZE = 10;

/**
 * The customers the filter matches, a page at a time (keyset cursors, kept for going back).
 * Keyed by the filter, so a new filter starts from the first page.
 */
export function RecipientPreview({ filter }: { filter: Filter }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const preview = trpc.segments.preview.useQuery(
    { filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
    { placeholderData: (prev) => prev, retry: false },
  );
  const page = preview.data;
  if (preview.error) return <Alert tone="error">{preview.error.message}</Alert>;
  if (!page) return <p className="text-sm text-stone-500">Loading…</p>;
  if (page.items.length === 0) {
    return <EmptyState title="Nobody matches">Loosen a criterion to reach more people.</EmptyState>;
  }
  const first = cursors.length * PAGE_SIZE + 1;
  return (
    <div className="space-y-3">
      <SimpleTable
        caption="Customers in this segment, by email"
        columns={["Customer", "Tier", rightAligned("Points")]}
      >
        {page.items.map((r) => (
          <tr key={r.id}>
            <td className="py-2 pr-3">
              <Link to={`/customers/${r.id}`} className="text-brand-700 hover:underline">
                {r.name ?? r.email}
              </Link>
              <p className="text-stone-500 text-xs">{r.email}</p>
            </td>
            <td className="py-2 pr-3">
              <TierBadge tier={r.tier} />
            </td>
            <td className="py-2 text-right tabular-nums">{formatNumber(r.points)}</td>
          </tr>
        ))}
      </SimpleTable>
      <div className="flex items-center justify-between text-sm text-stone-600">
        <span>
          {formatNumber(first)}–{formatNumber(first + page.items.length - 1)} of{" "}
          {formatNumber(page.total)}
        </span>
        <div className="flex gap-2">
          <Button
            type="button"
            variant="ghost"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous
          </Button>
          <Button
            type="button"
            variant="ghost"
            disabled={!page.nextCursor}
            onClick={() => page.nextCursor && setCursors((c) => [...c, page.nextCursor as string])}
          >
            Next
          </Button>
        </div>
      </div>
    </div>
  );
}
