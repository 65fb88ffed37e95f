import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Alert,
  Button,
  cn,
  EmptyState,
  formatDate,
  formatNumber,
  VoucherStateBadge,
} from "@xplorium/ui";
import { describeActionError } from "~/lib/api.server";
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
  const form = await request.formData();
  const rewardId = String(form.get("rewardId") ?? "");
  try {
    const { voucher } = await api.rewards.redeem({
      rewardId,
      idempotencyKey: String(form.get("idempotencyKey") ?? ""),
    });
    return redirect(`/rewards/vouchers/${encodeURIComponent(voucher.code)}?new=1`, { headers });
  } catch (error) {
    const f = describeActionError(error);
    return data(
      {
        rewardId,
        message: f.fieldErrors.rewardId?.[0] ?? f.fieldErrors.idempotencyKey?.[0] ?? f.message,
      },
      { status: f.status, headers },
    );
  }
}

type Reward = ReturnType<typeof useLoaderData<typeof loader>>["rewards"][number];

function Confirm({
  reward,
  balance,
  redeemKey,
  error,
}: {
  reward: Reward;
  balance: number;
  redeemKey: string;
  error: string | null;
}) {
  const busy = useNavigation().state === "submitting";
  const short = reward.pointsCost - balance;
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
      {!reward.inStock || short > 0 ? (
        error ? null : (
          <p className="mt-2 text-red-700">
            {!reward.inStock
              ? `Sorry, ${reward.name} is out of stock right now.`
              : `You need ${formatNumber(short)} more points for ${reward.name}.`}
          </p>
        )
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
      {!reward.inStock || short > 0 ? (
        <Link
          to="/rewards"
          className="mt-3 inline-block font-medium text-brand-700 text-sm hover:underline"
        >
          Back to all rewards
        </Link>
      ) : null}
    </section>
  );
}

export default function Rewards() {
  const { balance, rewards, vouchers, selected, redeemKey } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
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
        <Confirm
          reward={chosen}
          balance={balance}
          redeemKey={redeemKey}
          error={failed?.rewardId === chosen.id ? failed.message : null}
        />
      ) : null}

      <section aria-labelledby="catalogue-heading">
        <h2 id="catalogue-heading" className="sr-only">
          All rewards
        </h2>
        {rewards.length === 0 ? (
          <EmptyState title="No rewards on offer right now" />
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2" aria-label="Rewards">
            {rewards.map((r) => {
              const short = r.pointsCost - balance;
              const canRedeem = r.inStock && short <= 0;
              return (
                <li
                  key={r.id}
                  className={cn(
                    "flex flex-col justify-between gap-3 rounded-2xl bg-white p-5 shadow-sm ring-1",
                    canRedeem ? "ring-brand-200" : "ring-stone-200",
                  )}
                >
                  <div>
                    <h3 className="font-semibold text-stone-900">{r.name}</h3>
                    {r.description ? (
                      <p className="text-sm text-stone-600">{r.description}</p>
                    ) : null}
                    <p className="mt-2 font-bold text-brand-800 tabular-nums">
                      {formatNumber(r.pointsCost)} points
                    </p>
                  </div>
                  {canRedeem ? (
                    <Link
                      to={`/rewards?redeem=${r.id}`}
                      className="rounded-lg bg-brand-700 px-4 py-2 text-center font-semibold text-sm text-white hover:bg-brand-800"
                    >
                      Redeem<span className="sr-only"> {r.name}</span>
                    </Link>
                  ) : (
                    <p className="text-sm text-stone-600">
                      {!r.inStock
                        ? "Out of stock right now"
                        : `${formatNumber(short)} more points needed`}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="my-vouchers-heading" id="my-vouchers">
        <h2 id="my-vouchers-heading" className="font-semibold text-lg text-stone-900">
          My vouchers
        </h2>
        {vouchers.length === 0 ? (
          <p className="mt-2 text-sm text-stone-600">
            No vouchers yet. Redeem a reward and its voucher appears here.
          </p>
        ) : (
          <ul
            aria-label="My vouchers"
            className="mt-2 divide-y divide-stone-100 rounded-2xl bg-white px-4 shadow-sm ring-1 ring-stone-200"
          >
            {vouchers.map((v) => (
              <li key={v.id}>
                <Link
                  to={`/rewards/vouchers/${encodeURIComponent(v.code)}`}
                  className="flex items-center justify-between gap-3 py-3 hover:bg-stone-50"
                >
                  <span>
                    <span className="block font-medium text-stone-900">{v.rewardName}</span>
                    <span className="block font-mono text-sm text-stone-700">{v.code}</span>
                    <span className="block text-stone-500 text-xs">
                      {v.state === "USED" && v.usedAt
                        ? `Used ${formatDate(v.usedAt)}`
                        : v.state === "ISSUED"
                          ? `Valid until ${formatDate(v.expiresAt)}`
                          : v.state === "EXPIRED"
                            ? `Expired ${formatDate(v.expiresAt)}`
                            : `Issued ${formatDate(v.issuedAt)}`}
                    </span>
                  </span>
                  <VoucherStateBadge state={v.state} />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
