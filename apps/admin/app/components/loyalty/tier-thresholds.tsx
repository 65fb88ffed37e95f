import type { RouterOutputs } from "@xplorium/api";
import { formatNumber, rightAligned, SimpleTable, TierBadge } from "@xplorium/ui";

type TierRule = RouterOutputs["loyalty"]["rules"]["tiers"][number];

/** Each tier with the lifetime points that reach it (the top tier has no ceiling). */
export function TierThresholds({ tiers }: { tiers: TierRule[] }) {
  return (
    <SimpleTable columns={["Tier", rightAligned("Lifetime points")]}>
      {tiers.map((t) => (
        <tr key={t.tier}>
          <td className="py-2">
            <TierBadge tier={t.tier} />
          </td>
          <td className="py-2 text-right tabular-nums" data-testid={`tier-${t.tier}`}>
            {t.max === null
              ? `${formatNumber(t.min)}+`
              : `${formatNumber(t.min)}–${formatNumber(t.max)}`}
          </td>
        </tr>
      ))}
    </SimpleTable>
  );
}
