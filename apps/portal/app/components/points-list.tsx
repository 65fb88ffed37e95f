import { Link } from "@remix-run/react";
import { cn, formatDate, formatNumber } from "@xplorium/ui";
import { signedPoints } from "~/lib/labels";

export interface PointsRow {
  id: string;
  createdAt: Date | string;
  delta: number;
  label: string;
  detail: string | null;
  voucherCode: string | null;
}

/** Ledger rows as a list: reason, detail, date and the points, green for earned. */
export function PointsList({ rows, label }: { rows: PointsRow[]; label: string }) {
  return (
    <ul className="divide-y divide-stone-100" aria-label={label}>
      {rows.map((r) => (
        <li key={r.id} className="flex items-start justify-between gap-3 py-3">
          <div className="min-w-0">
            <p className="font-medium text-stone-900">{r.label}</p>
            {r.detail ? (
              <p className="text-sm text-stone-600">
                {r.voucherCode ? (
                  <Link
                    to={`/rewards/vouchers/${encodeURIComponent(r.voucherCode)}`}
                    className="text-brand-700 underline-offset-2 hover:underline"
                  >
                    {r.detail}
                  </Link>
                ) : (
                  r.detail
                )}
              </p>
            ) : null}
            <p className="text-stone-500 text-xs">{formatDate(r.createdAt)}</p>
          </div>
          <p
            className={cn(
              "whitespace-nowrap font-semibold tabular-nums",
              r.delta > 0 ? "text-emerald-700" : "text-stone-700",
            )}
          >
            {signedPoints(r.delta, formatNumber)}
            <span className="sr-only"> points</span>
          </p>
        </li>
      ))}
    </ul>
  );
}
