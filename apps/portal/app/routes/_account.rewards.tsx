import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Alert, formatNumber } from "@xplorium/ui";
import { RedeemConfirm } from "~/components/rewards/redeem-confirm";
import { redeemFailure, redeemForm } from "~/components/rewards/redeem-forms";
import { RewardCatalogue } from "~/components/rewards/reward-catalogue";
import { VoucherList } from "~/components/rewards/voucher-list";
import { formResult, parseForm } from "~/lib/form.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Rewards · My Xplorium" }];

/**
 * The catalogue, what the customer can afford, and their vouchers. Redeeming takes two steps
 * that work without JavaScript: choosing a reward opens `?redeem=<id>` with a confirmation
 * form; confirming posts it with this render's idempotency key, so a double submit issues one
 * voucher. Success goes to the voucher's page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const [me, rewards, vouchers] = await Promise.all([
    api.portal.me(),
    api.rewards.list(),
    api.vouchers.listForCustomer({ limit: 50 }),
  ]);
  return data(
    {
      balance: me.loyaltyPoints,
      rewards: rewards.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        pointsCost: r.pointsCost,
        inStock: r.inStock,
        validityDays: r.voucherValidityDays,
      })),
      vouchers: vouchers.map((v) => ({
        id: v.id,
        code: v.code,
        state: v.state,
        rewardName: v.reward.name,
        pointsSpent: v.pointsSpent,
        issuedAt: v.issuedAt,
        expiresAt: v.expiresAt,
        usedAt: v.usedAt,
      })),
      selected: new URL(request.url).searchParams.get("redeem"),
      // One key per render: the same form submitted twice redeems once.
      redeemKey: crypto.randomUUID(),
    },
    { headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const submission = parseForm(await request.formData(), redeemForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  try {
    const { voucher } = await api.rewards.redeem(submission.value);
    return redirect(`/rewards/vouchers/${encodeURIComponent(voucher.code)}?new=1`, { headers });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function Rewards() {
  const { balance, rewards, vouchers, selected, redeemKey } = useLoaderData<typeof loader>();
  const failed = redeemFailure(useActionData<typeof action>());
  const chosen = rewards.find((r) => r.id === (failed?.rewardId || selected)) ?? null;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="font-bold text-2xl text-stone-900">Rewards</h1>
        <p className="mt-1 text-stone-700" data-testid="rewards-balance">
          You have <span className="font-semibold">{formatNumber(balance)}</span> points to spend.
        </p>
      </div>

      {failed && !chosen ? <Alert tone="error">{failed.message}</Alert> : null}
      {chosen ? (
        <RedeemConfirm
          reward={chosen}
          balance={balance}
          redeemKey={redeemKey}
          error={failed?.rewardId === chosen.id ? failed.message : null}
        />
      ) : null}
      <RewardCatalogue rewards={rewards} balance={balance} />
      <VoucherList vouchers={vouchers} />
    </div>
  );
}
