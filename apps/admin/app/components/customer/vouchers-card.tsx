import { Link, useFetcher } from "@remix-run/react";
import {
  Button,
  Card,
  EmptyState,
  formatDate,
  formatNumber,
  useResultToast,
  VoucherStateBadge,
} from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { useEffect, useState } from "react";
import { VOUCHER_ACTION_PATH, VOUCHER_INTENTS } from "~/components/loyalty/voucher-intents";
import { useCan } from "~/lib/can";
import type { action } from "~/routes/_app.loyalty_.vouchers";
import type { VouchersCardData } from "./vouchers-card.server";

/**
 * The customer's vouchers, with "Redeem a reward for this customer" and, per unused voucher,
 * "Mark used" / "Cancel and refund" (each confirmed first). Posts to /loyalty/vouchers' action
 * with a fetcher, so this page keeps its place; Remix then reloads the page's data (balance,
 * points history, this list and a fresh redemption key).
 */
export function VouchersCard({
  customerId,
  balance,
  vouchers,
  rewards,
  redeemKey,
  className,
}: VouchersCardData & { customerId: string; balance: number; className?: string }) {
  const canRedeem = useCan()("redeem:voucher");
  const fetcher = useFetcher<typeof action>({ key: `vouchers-card-${customerId}` });
  const [confirming, setConfirming] = useState<{ id: string; kind: "use" | "cancel" } | null>(null);
  const busy = fetcher.state !== "idle" ? String(fetcher.formData?.get("intent")) : null;
  const result = fetcher.data;
  const toast = useResultToast(result);
  useEffect(() => {
    if (result?.ok) setConfirming(null);
  }, [result]);
  const redeemError =
    result && !result.ok && result.intent === VOUCHER_INTENTS.redeem
      ? (result.reply.error?.rewardId?.[0] ?? result.message)
      : null;
  const affordable = rewards.some((r) => r.inStock && r.pointsCost <= balance);

  return (
    <Card title="Vouchers" className={className}>
      <Toast message={toast} />
      {vouchers.length === 0 ? (
        <EmptyState title="No vouchers yet" />
      ) : (
        <ul className="divide-y divide-stone-100 text-sm" aria-label="Vouchers">
          {vouchers.map((v) => (
            <li key={v.id} className="py-2">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <Link
                    to={`/loyalty/vouchers?code=${encodeURIComponent(v.code)}`}
                    className="font-medium font-mono text-brand-700 hover:underline"
                  >
                    {v.code}
                  </Link>{" "}
                  <span className="text-stone-900">{v.reward.name}</span>
                  <span className="block text-stone-500 text-xs">
                    {formatNumber(v.pointsSpent)} points · issued {formatDate(v.issuedAt)} ·{" "}
                    {v.state === "EXPIRED" ? "expired" : "expires"} {formatDate(v.expiresAt)}
                    {v.usedAt ? ` · used ${formatDate(v.usedAt)}` : ""}
                  </span>
                </span>
                <span className="flex items-center gap-2">
                  <VoucherStateBadge state={v.state} />
                  {canRedeem && v.state === "ISSUED" && confirming?.id !== v.id ? (
                    <>
                      <button
                        type="button"
                        className="font-medium text-brand-700 text-xs hover:underline"
                        onClick={() => setConfirming({ id: v.id, kind: "use" })}
                      >
                        Mark used
                      </button>
                      <button
                        type="button"
                        className="font-medium text-red-700 text-xs hover:underline"
                        onClick={() => setConfirming({ id: v.id, kind: "cancel" })}
                      >
                        Cancel and refund
                      </button>
                    </>
                  ) : null}
                </span>
              </div>
              {confirming?.id === v.id ? (
                <fetcher.Form
                  method="post"
                  action={VOUCHER_ACTION_PATH}
                  role="alertdialog"
                  aria-label={
                    confirming.kind === "use" ? `Mark ${v.code} used` : `Cancel ${v.code}`
                  }
                  className={
                    confirming.kind === "use"
                      ? "mt-2 flex flex-wrap items-center gap-3 rounded-lg bg-brand-50 p-3"
                      : "mt-2 flex flex-wrap items-center gap-3 rounded-lg bg-red-50 p-3"
                  }
                >
                  <input type="hidden" name="voucherId" value={v.id} />
                  <input
                    type="hidden"
                    name="intent"
                    value={
                      confirming.kind === "use" ? VOUCHER_INTENTS.markUsed : VOUCHER_INTENTS.cancel
                    }
                  />
                  <span className="text-sm">
                    {confirming.kind === "use"
                      ? `Hand over “${v.reward.name}” and mark it used?`
                      : `Cancel it and refund ${formatNumber(v.pointsSpent)} points?`}
                  </span>
                  <Button
                    variant={confirming.kind === "use" ? "primary" : "danger"}
                    className="px-3 py-1.5"
                    busy={busy === VOUCHER_INTENTS.markUsed || busy === VOUCHER_INTENTS.cancel}
                  >
                    {confirming.kind === "use" ? "Yes, mark used" : "Yes, cancel and refund"}
                  </Button>
                  <button
                    type="button"
                    className="font-medium text-sm text-stone-700 hover:underline"
                    onClick={() => setConfirming(null)}
                  >
                    Back
                  </button>
                </fetcher.Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {canRedeem ? (
        <fetcher.Form
          key={redeemKey}
          method="post"
          action={VOUCHER_ACTION_PATH}
          className="mt-4 space-y-2 border-stone-100 border-t pt-4"
          aria-label="Redeem a reward for this customer"
        >
          <input type="hidden" name="intent" value={VOUCHER_INTENTS.redeem} />
          <input type="hidden" name="customerId" value={customerId} />
          <input type="hidden" name="idempotencyKey" value={redeemKey} />
          <label
            htmlFor={`redeem-${customerId}`}
            className="block font-medium text-sm text-stone-700"
          >
            Redeem a reward for this customer
          </label>
          <div className="flex flex-wrap items-start gap-2">
            <select
              id={`redeem-${customerId}`}
              name="rewardId"
              required
              defaultValue=""
              aria-invalid={redeemError ? true : undefined}
              aria-describedby={`redeem-${customerId}-help`}
              className="block min-w-0 flex-1 rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500"
            >
              <option value="" disabled>
                Choose a reward…
              </option>
              {rewards.map((r) => {
                const short = r.pointsCost - balance;
                const why = !r.inStock
                  ? " (out of stock)"
                  : short > 0
                    ? ` (needs ${formatNumber(short)} more)`
                    : "";
                return (
                  <option key={r.id} value={r.id} disabled={!r.inStock || short > 0}>
                    {`${r.name} · ${formatNumber(r.pointsCost)} points${why}`}
                  </option>
                );
              })}
            </select>
            <Button busy={busy === VOUCHER_INTENTS.redeem} disabled={!affordable}>
              Redeem
            </Button>
          </div>
          <p
            id={`redeem-${customerId}-help`}
            role={redeemError ? "alert" : undefined}
            className={redeemError ? "text-red-600 text-sm" : "text-stone-500 text-xs"}
          >
            {redeemError ??
              (balance < 0
                ? `The balance is ${formatNumber(balance)}: redemptions wait until it is positive again.`
                : `Spends the points now and issues a voucher. Balance: ${formatNumber(balance)} points.`)}
          </p>
        </fetcher.Form>
      ) : null}
    </Card>
  );
}
