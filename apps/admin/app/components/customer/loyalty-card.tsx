import { Form } from "@remix-run/react";
import {
  Button,
  Card,
  type FormResultLike,
  failedResult,
  formatNumber,
  getFormProps,
  ProgressBar,
  TextField,
  TierBadge,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { useCan } from "~/lib/can";
import { adjustPointsForm, vipForm } from "./customer-forms";
import { titleCase } from "./labels";

const TIER_START = { BRONZE: 0, SILVER: 1000, GOLD: 3000, PLATINUM: 6000, VIP: 0 } as const;

interface Loyalty {
  loyaltyTier: keyof typeof TIER_START;
  loyaltyPoints: number;
  lifetimePoints: number;
}

/**
 * Tier, balance, lifetime points and progress; +/− points with a required reason (one
 * idempotency key per render, so a double submit adjusts once); set or clear VIP.
 */
export function LoyaltyCard({
  loyalty: c,
  next,
  adjustKey,
  result,
}: {
  loyalty: Loyalty;
  next: { tier: string; pointsNeeded: number } | null;
  adjustKey: string;
  result: FormResultLike | undefined;
}) {
  const can = useCan();
  const busy = useBusyIntent();
  const start = TIER_START[c.loyaltyTier];
  const vip = c.loyaltyTier === "VIP";
  const [adjust, adjustFields] = useZodForm(adjustPointsForm, {
    result,
    intent: "adjustPoints",
    id: `adjust-${adjustKey}`,
  });
  const [vipEdit, vipFields] = useZodForm(vipForm, { result, intent: "setVip" });
  // The procedure names the points `delta`; its errors show at the Points field.
  const deltaError = failedResult(result, "adjustPoints")?.reply.error?.delta;
  return (
    <Card title="Loyalty">
      <div className="flex items-center justify-between">
        <TierBadge tier={c.loyaltyTier} size="lg" />
        <p className="text-right">
          <span className="block font-bold text-3xl tabular-nums" data-testid="customer-points">
            {formatNumber(c.loyaltyPoints)}
          </span>
          <span className="text-stone-500 text-xs">points to spend</span>
        </p>
      </div>
      <p className="mt-2 text-sm text-stone-600">
        Lifetime points: <span className="tabular-nums">{formatNumber(c.lifetimePoints)}</span>
      </p>
      {next ? (
        <div className="mt-3 space-y-1">
          <ProgressBar
            label={`Progress to ${titleCase(next.tier)}`}
            value={c.lifetimePoints - start}
            max={c.lifetimePoints - start + next.pointsNeeded}
          />
          <p className="text-stone-600 text-xs">
            {formatNumber(next.pointsNeeded)} points to {titleCase(next.tier)}
          </p>
        </div>
      ) : vip ? (
        <p className="mt-3 text-stone-600 text-xs">VIP is set by hand and stays until cleared.</p>
      ) : (
        <p className="mt-3 text-stone-600 text-xs">Top tier reached.</p>
      )}

      {can("adjust:points") ? (
        <Form
          key={adjustKey}
          method="post"
          className="mt-4 space-y-2 border-stone-100 border-t pt-4"
          aria-label="Adjust points"
          {...getFormProps(adjust)}
        >
          <input type="hidden" name="intent" value="adjustPoints" />
          <input type="hidden" name="idempotencyKey" value={adjustKey} />
          <div className="grid grid-cols-[7rem_1fr] gap-2">
            <TextField
              label="Points"
              field={adjustFields.points}
              type="number"
              step={1}
              inputMode="numeric"
              error={adjustFields.points.errors ?? deltaError}
            />
            <TextField
              label="Reason"
              field={adjustFields.reason}
              placeholder="e.g. Compensation for a cancelled party"
              hint="The family sees this reason in their points history."
            />
          </div>
          {adjust.errors ? (
            <p role="alert" className="text-red-600 text-sm">
              {adjust.errors[0]}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button name="direction" value="add" busy={busy === "adjustPoints"}>
              + Add points
            </Button>
            <Button
              name="direction"
              value="remove"
              variant="secondary"
              disabled={busy === "adjustPoints"}
            >
              − Remove points
            </Button>
          </div>
        </Form>
      ) : null}

      {can("write:vip") ? (
        <Form
          method="post"
          className="mt-4 space-y-2 border-stone-100 border-t pt-4"
          aria-label="VIP status"
          {...getFormProps(vipEdit)}
        >
          <input type="hidden" name="vip" value={vip ? "false" : "true"} />
          {vip ? null : (
            <TextField
              label="Why VIP?"
              field={vipFields.reason}
              placeholder="e.g. Founding family"
              error={vipFields.reason.errors ?? vipEdit.errors}
            />
          )}
          <Button name="intent" value="setVip" variant="secondary" busy={busy === "setVip"}>
            {vip ? "Clear VIP" : "Make VIP"}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
