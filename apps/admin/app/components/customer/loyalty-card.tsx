import { Form } from "@remix-run/react";
import { Button, Card, formatNumber, ProgressBar, TextField, TierBadge } from "@xplorium/ui";
import { type FormState, titleCase } from "./form-state";

export const ADJUST_INTENT = "adjustPoints";
export const VIP_INTENT = "setVip";

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
  canAdjust,
  canVip,
  adjustKey,
  form,
}: {
  loyalty: Loyalty;
  next: { tier: string; pointsNeeded: number } | null;
  canAdjust: boolean;
  canVip: boolean;
  adjustKey: string;
  form: FormState;
}) {
  const start = TIER_START[c.loyaltyTier];
  const vip = c.loyaltyTier === "VIP";
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

      {canAdjust ? (
        <Form
          key={adjustKey}
          method="post"
          className="mt-4 space-y-2 border-stone-100 border-t pt-4"
          aria-label="Adjust points"
        >
          <input type="hidden" name="intent" value={ADJUST_INTENT} />
          <input type="hidden" name="idempotencyKey" value={adjustKey} />
          <div className="grid grid-cols-[7rem_1fr] gap-2">
            <TextField
              label="Points"
              name="points"
              type="number"
              min={1}
              step={1}
              required
              inputMode="numeric"
              error={form.fieldError(ADJUST_INTENT, "delta")}
            />
            <TextField
              label="Reason"
              name="reason"
              required
              minLength={3}
              maxLength={200}
              placeholder="e.g. Compensation for a cancelled party"
              hint="The family sees this reason in their points history."
              error={form.fieldError(ADJUST_INTENT, "reason")}
            />
          </div>
          {form.errorFor(ADJUST_INTENT, "_") &&
          !form.fieldError(ADJUST_INTENT, "delta") &&
          !form.fieldError(ADJUST_INTENT, "reason") ? (
            <p role="alert" className="text-red-600 text-sm">
              {form.errorFor(ADJUST_INTENT, "_")}
            </p>
          ) : null}
          <div className="flex gap-2">
            <Button name="direction" value="add" busy={form.pending(ADJUST_INTENT)}>
              + Add points
            </Button>
            <Button
              name="direction"
              value="remove"
              variant="secondary"
              disabled={form.pending(ADJUST_INTENT)}
            >
              − Remove points
            </Button>
          </div>
        </Form>
      ) : null}

      {canVip ? (
        <Form
          method="post"
          className="mt-4 space-y-2 border-stone-100 border-t pt-4"
          aria-label="VIP status"
        >
          <input type="hidden" name="intent" value={VIP_INTENT} />
          <input type="hidden" name="vip" value={vip ? "false" : "true"} />
          {vip ? null : (
            <TextField
              label="Why VIP?"
              name="reason"
              maxLength={200}
              placeholder="e.g. Founding family"
              error={form.errorFor(VIP_INTENT, "reason")}
            />
          )}
          <Button variant="secondary" busy={form.pending(VIP_INTENT)}>
            {vip ? "Clear VIP" : "Make VIP"}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}
