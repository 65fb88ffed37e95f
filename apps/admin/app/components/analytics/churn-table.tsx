import { Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  formatDate,
  formatNumber,
  RfmSegmentBadge,
  rightAligned,
  SimpleTable,
  TierBadge,
} from "@xplorium/ui";
import { days } from "./rfm-cards";

type ChurnRow = RouterOutputs["analytics"]["churnList"]["items"][number];

/** The customers likely to churn, most overdue first, each with the arithmetic of their score. */
export function ChurnTable({ items }: { items: ChurnRow[] }) {
  return (
    <SimpleTable
      caption="Customers likely to churn, most overdue first"
      columns={[
        "Customer",
        "Segment",
        rightAligned("Visits"),
        "Last visit",
        rightAligned("Usually every"),
        rightAligned("Score"),
      ]}
      scroll
    >
      {items.map((c) => (
        <tr key={c.id}>
          <td className="py-2 pr-3">
            <Link to={`/customers/${c.id}`} className="font-medium text-brand-700 hover:underline">
              {c.name ?? c.email}
            </Link>
            <span className="ml-2">
              <TierBadge tier={c.tier} />
            </span>
            <span className="block text-stone-500 text-xs">{c.email}</span>
          </td>
          <td className="py-2 pr-3">
            {c.rfmSegment ? <RfmSegmentBadge segment={c.rfmSegment} /> : "—"}
          </td>
          <td className="py-2 pr-3 text-right tabular-nums">{formatNumber(c.visits)}</td>
          <td className="py-2 pr-3">
            {formatDate(c.lastVisitOn)}
            <span className="block text-stone-500 text-xs">{days(c.daysSinceLastVisit)} ago</span>
          </td>
          <td className="py-2 pr-3 text-right">
            {days(c.rhythmDays)}
            <span className="block text-stone-500 text-xs">
              {c.ownRhythm ? "their own rhythm" : "venue's typical gap"}
            </span>
          </td>
          <td className="py-2 text-right font-semibold tabular-nums">{c.score.toFixed(2)}</td>
        </tr>
      ))}
    </SimpleTable>
  );
}
