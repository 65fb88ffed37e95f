import { Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { formatDate, formatNumber, ProgressBar, TierBadge } from "@xplorium/ui";
import { PointsList } from "~/components/points-list";
import { SectionCard } from "~/components/section-card";
import { BOOKING_STATUS_LABELS, tierName } from "~/lib/labels";

type Summary = RouterOutputs["portal"]["summary"];

function CardLink({ to, children }: { to: string; children: string }) {
  return (
    <Link to={to} className="font-medium text-brand-700 text-sm hover:underline">
      {children}
    </Link>
  );
}

/** The balance, the tier and how far the next one is (tiers go by lifetime points). */
export function PointsHero({ summary }: { summary: Summary }) {
  const { customer: me, progress } = summary;
  return (
    <section
      aria-labelledby="points-heading"
      className="rounded-3xl bg-gradient-to-br from-brand-700 to-brand-800 p-6 text-white shadow-lg"
    >
      <div className="flex items-start justify-between gap-4">
        <div>
          <h2 id="points-heading" className="text-brand-50 text-sm">
            Your points
          </h2>
          <p className="font-bold text-5xl tabular-nums" data-testid="points-balance">
            {formatNumber(me.balance)}
          </p>
        </div>
        <div className="text-right">
          <span className="sr-only">Your tier: </span>
          <TierBadge tier={me.tier} size="lg" />
        </div>
      </div>
      <div className="mt-6 space-y-2">
        {progress.next ? (
          <>
            <ProgressBar
              label={`Progress to ${tierName(progress.next.tier)}`}
              value={progress.value}
              max={progress.max}
            />
            <p className="text-brand-50 text-sm" data-testid="tier-progress">
              {formatNumber(progress.next.pointsNeeded)} points to {tierName(progress.next.tier)}
            </p>
          </>
        ) : (
          <p className="text-brand-50 text-sm" data-testid="tier-progress">
            {me.tier === "VIP"
              ? "You are one of our VIP families. Thank you for being part of Xplorium!"
              : "You are at our top tier. Thank you for being part of Xplorium!"}
          </p>
        )}
        <p className="text-brand-50 text-xs" data-testid="lifetime-points">
          Lifetime points: {formatNumber(me.lifetimePoints)} · tiers go by the points you have
          earned, so spending points never lowers your tier.
        </p>
      </div>
    </section>
  );
}

/** What the balance buys now, how many more there are, and the next reward within reach. */
export function RewardsNowCard({ rewards }: { rewards: Summary["rewards"] }) {
  return (
    <SectionCard
      id="rewards-heading"
      title="Rewards you can get now"
      aside={<CardLink to="/rewards">All rewards</CardLink>}
    >
      {rewards.affordable.length > 0 ? (
        <ul className="mt-3 divide-y divide-stone-100" aria-label="Rewards you can afford">
          {rewards.affordable.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-3 py-3">
              <div>
                <p className="font-medium text-stone-900">{r.name}</p>
                <p className="text-sm text-stone-600">{formatNumber(r.pointsCost)} points</p>
              </div>
              <Link
                to={`/rewards?redeem=${r.id}`}
                className="rounded-lg bg-brand-700 px-3 py-2 font-semibold text-sm text-white hover:bg-brand-800"
              >
                Redeem<span className="sr-only"> {r.name}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-3 text-sm text-stone-600">No reward is within reach just yet.</p>
      )}
      {rewards.affordableCount > rewards.affordable.length ? (
        <p className="text-sm text-stone-600">
          And {rewards.affordableCount - rewards.affordable.length} more on the rewards page.
        </p>
      ) : null}
      {rewards.next ? (
        <p className="mt-2 text-sm text-stone-700" data-testid="next-reward">
          Next: <span className="font-medium">{rewards.next.name}</span> in{" "}
          {formatNumber(rewards.next.pointsShort)} more points.
        </p>
      ) : null}
    </SectionCard>
  );
}

/** The latest points and bookings, with the way to the full history. */
export function ActivityCard({ summary }: { summary: Summary }) {
  return (
    <SectionCard
      id="activity-heading"
      title="Latest activity"
      aside={<CardLink to="/history">Full history</CardLink>}
    >
      {summary.recentPoints.length > 0 ? (
        <PointsList rows={summary.recentPoints} label="Latest points" />
      ) : (
        <p className="mt-3 text-sm text-stone-600">
          No points yet. Your first completed visit earns your first points.
        </p>
      )}
      {summary.recentBookings.length > 0 ? (
        <>
          <h3 className="mt-4 font-medium text-sm text-stone-700">Your latest bookings</h3>
          <ul className="mt-1 divide-y divide-stone-100 text-sm" aria-label="Latest bookings">
            {summary.recentBookings.map((b) => (
              <li key={b.id} className="flex justify-between gap-3 py-2">
                <span>
                  {b.typeLabel}
                  <span className="block text-stone-500 text-xs">{formatDate(b.scheduledAt)}</span>
                </span>
                <span className="text-stone-700">{BOOKING_STATUS_LABELS[b.status]}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </SectionCard>
  );
}

/** The programme's ways to earn points. */
export function WaysToEarnCard({ ways }: { ways: Summary["waysToEarn"] }) {
  return (
    <SectionCard id="earn-heading" title="Ways to earn points">
      <ul className="mt-3 space-y-3" aria-label="Ways to earn points">
        {ways.map((w) => (
          <li key={w.key} className="flex gap-3">
            <span className="w-14 shrink-0 rounded-lg bg-brand-50 py-1 text-center font-bold text-brand-800 tabular-nums">
              {w.points}
            </span>
            <span>
              <span className="block font-medium text-stone-900">{w.title}</span>
              <span className="block text-sm text-stone-600">{w.description}</span>
            </span>
          </li>
        ))}
      </ul>
    </SectionCard>
  );
}

/** The customer's referral code and the way to share it. */
export function InviteCard({ referralCode }: { referralCode: string }) {
  return (
    <SectionCard id="invite-heading" title="Invite friends">
      <p className="mt-1 text-sm text-stone-600">
        Your referral code:{" "}
        <span className="font-mono font-semibold text-brand-800">{referralCode}</span>
      </p>
      <Link
        to="/referrals"
        className="mt-2 inline-block font-medium text-brand-700 text-sm hover:underline"
      >
        Share your link
      </Link>
    </SectionCard>
  );
}
