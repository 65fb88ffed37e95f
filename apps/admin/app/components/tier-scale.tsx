import type { EarnedTier } from "@xplorium/domain";
import { cn, formatNumber } from "@xplorium/ui";

export interface TierStep {
  tier: EarnedTier;
  min: number;
  /** Null for the open-ended top tier. */
  max: number | null;
}

const COLOURS: Record<TierStep["tier"], string> = {
  BRONZE: "bg-orange-300",
  SILVER: "bg-slate-300",
  GOLD: "bg-amber-400",
  PLATINUM: "bg-sky-400",
};

export const tierLabel = (tier: string) => tier.charAt(0) + tier.slice(1).toLowerCase();

/** The top tier is open-ended: the track shows a quarter beyond its start. */
const trackEnd = (tiers: TierStep[]) => Math.max(1, ...tiers.map((t) => t.min)) * 1.25;

/**
 * Every earned tier on one horizontal track, sized by its lifetime-points range, with the
 * threshold under each boundary; optionally a marker at a customer's lifetime points (pinned to
 * the end past the track). The same facts are given as text for screen readers.
 */
export function TierScale({
  tiers,
  marker,
  className,
}: {
  tiers: TierStep[];
  marker?: { points: number; label: string };
  className?: string;
}) {
  const end = trackEnd(tiers);
  const at = (points: number) => `${Math.min(100, (points / end) * 100)}%`;
  const description = tiers
    .map((t) =>
      t.max === null
        ? `${tierLabel(t.tier)} from ${formatNumber(t.min)}`
        : `${tierLabel(t.tier)} ${formatNumber(t.min)}–${formatNumber(t.max)}`,
    )
    .join(", ");
  return (
    <div className={cn(marker ? "pt-8 pb-10" : "pb-10", className)}>
      <p className="sr-only">
        Tiers by lifetime points: {description}.
        {marker ? ` ${marker.label}: ${formatNumber(marker.points)} points.` : ""}
      </p>
      <div aria-hidden="true" className="relative">
        <div className="flex h-4 overflow-hidden rounded-full ring-1 ring-stone-200">
          {tiers.map((t) => {
            const width = ((Math.min(t.max === null ? end : t.max + 1, end) - t.min) / end) * 100;
            return (
              <div
                key={t.tier}
                data-tier={t.tier}
                className={cn("h-full border-white border-r-2 last:border-r-0", COLOURS[t.tier])}
                style={{ width: `${width}%` }}
                title={tierLabel(t.tier)}
              />
            );
          })}
        </div>
        {tiers.map((t, i) => (
          <span
            key={t.tier}
            className={cn(
              "absolute top-5 whitespace-nowrap text-stone-600 text-xs",
              i === 0 ? "" : "-translate-x-1/2",
            )}
            style={{ left: at(t.min) }}
          >
            <span className="block font-semibold text-stone-800">{tierLabel(t.tier)}</span>
            <span className="tabular-nums">{formatNumber(t.min)}</span>
          </span>
        ))}
        {marker ? (
          <span
            data-testid="tier-marker"
            className="absolute -top-7 flex -translate-x-1/2 flex-col items-center"
            style={{ left: at(marker.points) }}
          >
            <span className="whitespace-nowrap rounded bg-stone-900 px-1.5 py-0.5 font-semibold text-white text-xs tabular-nums">
              {formatNumber(marker.points)}
            </span>
            <span className="h-6 w-0.5 bg-stone-900" />
          </span>
        ) : null}
      </div>
    </div>
  );
}
