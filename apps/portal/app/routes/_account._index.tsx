import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatNumber, ProgressBar, TierBadge } from "@xplorium/ui";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "My Xplorium" }];

const TIER_START = { BRONZE: 0, SILVER: 1000, GOLD: 3000, PLATINUM: 6000 } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  return data({ me: await api.portal.me() }, { headers });
}

export default function Home() {
  const { me } = useLoaderData<typeof loader>();
  const firstName = me.name?.split(" ")[0] ?? "there";
  const start = me.next ? (TIER_START[me.loyaltyTier as keyof typeof TIER_START] ?? 0) : 0;
  return (
    <div>
      <h1 className="font-bold text-2xl text-stone-900 sm:text-3xl" data-testid="greeting">
        Hi {firstName}!
      </h1>
      <section
        aria-labelledby="points-heading"
        className="mt-6 rounded-3xl bg-gradient-to-br from-brand-700 to-brand-800 p-6 text-white shadow-lg"
      >
        <div className="flex items-start justify-between gap-4">
          <div>
            <h2 id="points-heading" className="text-brand-100 text-sm">
              Your points
            </h2>
            <p className="font-bold text-5xl tabular-nums" data-testid="points-balance">
              {formatNumber(me.loyaltyPoints)}
            </p>
          </div>
          <TierBadge tier={me.loyaltyTier} size="lg" />
        </div>
        <div className="mt-6 space-y-2">
          {me.next ? (
            <>
              <ProgressBar
                label={`Progress to ${me.next.tier}`}
                value={me.lifetimePoints - start}
                max={me.lifetimePoints - start + me.next.pointsNeeded}
              />
              <p className="text-brand-50 text-sm" data-testid="tier-progress">
                {formatNumber(me.next.pointsNeeded)} points to{" "}
                {me.next.tier.charAt(0) + me.next.tier.slice(1).toLowerCase()}
              </p>
            </>
          ) : (
            <p className="text-brand-50 text-sm">
              You are at our top tier. Thank you for being part of Xplorium!
            </p>
          )}
          <p className="text-brand-100 text-xs">
            Lifetime points: {formatNumber(me.lifetimePoints)}
          </p>
        </div>
      </section>
      <section className="mt-6 grid gap-4 sm:grid-cols-2">
        <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-stone-200">
          <h2 className="font-semibold text-stone-900">Visits</h2>
          <p className="mt-1 text-3xl font-bold tabular-nums">{me.totalBookings}</p>
        </div>
        <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-stone-200">
          <h2 className="font-semibold text-stone-900">Invite friends</h2>
          <p className="mt-1 text-sm text-stone-600">
            Your referral code:{" "}
            <span className="font-mono font-semibold text-brand-800">{me.referralCode}</span>
          </p>
        </div>
      </section>
    </div>
  );
}
