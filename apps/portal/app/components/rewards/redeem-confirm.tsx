import { Form, Link, useNavigation } from "@remix-run/react";
import { Alert, Button, formatNumber } from "@xplorium/ui";
import type { RewardOffer } from "./redeem-forms";

/**
 * The redeem step (`?redeem=<id>`): what it costs and leaves, and one button that posts this
 * render's idempotency key, so a double submit issues one voucher. When the points are short
 * or the reward is out of stock it says so instead.
 */
export function RedeemConfirm({
  reward,
  balance,
  redeemKey,
  error,
}: {
  reward: RewardOffer;
  balance: number;
  redeemKey: string;
  error: string | null;
}) {
  const busy = useNavigation().state === "submitting";
  const short = reward.pointsCost - balance;
  const blocked = !reward.inStock || short > 0;
  return (
    <section
      aria-labelledby="confirm-heading"
      className="rounded-2xl bg-brand-50 p-5 ring-2 ring-brand-600"
      data-testid="redeem-confirm"
    >
      <h2 id="confirm-heading" className="font-semibold text-lg text-stone-900">
        Redeem {reward.name} for {formatNumber(reward.pointsCost)} points?
      </h2>
      {error ? (
        <div className="mt-3">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      {blocked ? (
        <>
          {error ? null : (
            <p className="mt-2 text-red-700">
              {!reward.inStock
                ? `Sorry, ${reward.name} is out of stock right now.`
                : `You need ${formatNumber(short)} more points for ${reward.name}.`}
            </p>
          )}
          <Link
            to="/rewards"
            className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
          >
            Back to all rewards
          </Link>
        </>
      ) : (
        <>
          <p className="mt-2 text-sm text-stone-700">
            Your balance goes from {formatNumber(balance)} to{" "}
            {formatNumber(balance - reward.pointsCost)} points. You get a voucher to show at the
            front desk, valid for {reward.validityDays} days.
          </p>
          <Form method="post" className="mt-4 flex flex-wrap items-center gap-3">
            <input type="hidden" name="rewardId" value={reward.id} />
            <input type="hidden" name="idempotencyKey" value={redeemKey} />
            <Button busy={busy} className="px-5 py-2.5 text-base">
              Yes, redeem {reward.name}
            </Button>
            <Link
              to="/rewards"
              preventScrollReset
              className="px-2 py-2 font-medium text-stone-700 text-sm hover:underline"
            >
              Cancel
            </Link>
          </Form>
        </>
      )}
    </section>
  );
}
