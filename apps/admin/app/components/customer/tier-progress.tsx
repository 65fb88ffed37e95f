import type { RouterOutputs } from "@xplorium/api";
import type { Tier } from "@xplorium/domain";
import { Card, formatDate, formatNumber, TierBadge } from "@xplorium/ui";
import { TierScale, tierLabel } from "~/components/tier-scale";

type TierHistory = RouterOutputs["loyalty"]["tierHistory"];

/** "points: BOOKING_COMPLETED" (written by the ledger) → "Points: booking completed". */
function describeReason(reason: string): string {
  const m = /^points: ([A-Z_]+)$/.exec(reason);
  if (!m) return reason;
  return `Points: ${m[1]!.toLowerCase().replaceAll("_", " ")}`;
}

/**
 * The customer page's tier progress: every tier on one track with the customer's lifetime points
 * marked, how many points the next tier needs, and their tier changes (from, to, why, who, when).
 * Tiers follow lifetime earned points, so spending never moves the marker back; VIP is by hand.
 */
export function TierProgress({
  tier,
  lifetimePoints,
  history,
  className,
}: {
  tier: Tier;
  lifetimePoints: number;
  history: TierHistory;
  className?: string;
}) {
  const next = history.tiers.find((t) => t.min > lifetimePoints) ?? null;
  return (
    <Card title="Tier progress" className={className}>
      <TierScale
        tiers={history.tiers}
        marker={{ points: lifetimePoints, label: "Lifetime points" }}
      />
      <p className="text-sm text-stone-700" data-testid="tier-next">
        {tier === "VIP" ? (
          <>VIP is set by hand and stays until cleared, whatever the points. </>
        ) : null}
        <span className="tabular-nums">{formatNumber(lifetimePoints)}</span> lifetime points
        {next ? (
          <>
            {" "}
            ·{" "}
            <span className="font-semibold tabular-nums">
              {formatNumber(next.min - lifetimePoints)}
            </span>{" "}
            to {tierLabel(next.tier)}
          </>
        ) : (
          " · top tier reached"
        )}
      </p>
      <h3 className="mt-4 font-semibold text-stone-500 text-xs uppercase">Tier history</h3>
      {history.changes.length === 0 ? (
        <p className="mt-2 text-sm text-stone-500">No tier changes yet.</p>
      ) : (
        <ol aria-label="Tier history" className="mt-2 divide-y divide-stone-100 text-sm">
          {history.changes.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span className="flex items-center gap-1.5">
                <TierBadge tier={c.fromTier} />
                <span aria-hidden="true">→</span>
                <span className="sr-only">to</span>
                <TierBadge tier={c.toTier} />
              </span>
              <span className="text-right text-stone-600 text-xs">
                <span className="block">{describeReason(c.reason)}</span>
                {formatDate(c.createdAt)}
                {c.staffName ? ` · ${c.staffName}` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
