import { Link } from "@remix-run/react";
import { cn, EmptyState, formatNumber } from "@xplorium/ui";
import type { RewardOffer } from "./redeem-forms";

/** Every reward on offer: a Redeem link when it is affordable and in stock, else why not. */
export function RewardCatalogue({ rewards, balance }: { rewards: RewardOffer[]; balance: number }) {
  return (
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
                  {r.description ? <p className="text-sm text-stone-600">{r.description}</p> : null}
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
  );
}
