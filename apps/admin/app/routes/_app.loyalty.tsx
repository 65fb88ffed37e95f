import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Alert, Card, formatDate, formatNumber, PageHeader, TierBadge } from "@xplorium/ui";
import type { ReactNode } from "react";
import { LoyaltyNav } from "~/components/loyalty/loyalty-nav";
import { TierThresholds } from "~/components/loyalty/tier-thresholds";
import { TierScale } from "~/components/tier-scale";
import { requireStaff } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Loyalty · Xplorium CRM" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireStaff(request, context, "read:voucher");
  return data({ rules: await api.loyalty.rules() }, { headers });
}

function Rule({ what, points, children }: { what: string; points: string; children?: ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-4 py-3">
      <dt>
        <span className="block font-medium text-stone-900">{what}</span>
        {children ? <span className="text-sm text-stone-600">{children}</span> : null}
      </dt>
      <dd className="whitespace-nowrap font-semibold text-emerald-700 tabular-nums">{points}</dd>
    </div>
  );
}

/** The points rules as the system applies them, read from the one rules module and the config. */
export default function LoyaltyRules() {
  const { rules } = useLoaderData<typeof loader>();
  const e = rules.earning;
  const { expiry, ledgerCheck } = rules;
  return (
    <>
      <PageHeader
        title="Loyalty"
        description="How customers earn points, the tiers they reach, and when points expire."
      />
      <LoyaltyNav />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Earning rules">
          <dl className="divide-y divide-stone-100" aria-label="Earning rules">
            <Rule what="Booking completed" points={`+${formatNumber(e.bookingCompleted)}`}>
              Café, playground and event bookings, once each.
            </Rule>
            <Rule what="Party booking completed" points={`+${formatNumber(e.partyBooking)}`}>
              Instead of the {formatNumber(e.bookingCompleted)} for other bookings.
            </Rule>
            <Rule what="Birthday month" points={`×${e.birthdayMultiplier}`}>
              A booking in the customer's birth month earns double. Not when the birthday was
              entered or changed within {e.birthdayLockDays} days of it.
            </Rule>
            <Rule what="Referral" points={`+${formatNumber(e.referral)} each`}>
              To the new customer and to their referrer when the new customer's first booking
              completes. At most {e.referralsPerReferrerPerMonth} referral bonuses per referrer a
              month; none when the two accounts share a phone or a look-alike email.
            </Rule>
            <Rule what="Review posted" points={`+${formatNumber(e.reviewPosted)}`}>
              Recorded by staff on a completed booking, once per booking.
            </Rule>
            <Rule what="Staff adjustment" points="±">
              Added or removed by hand on the customer's page, always with a reason.
            </Rule>
          </dl>
          <p className="mt-2 text-stone-500 text-xs">
            Cancelling a completed booking takes back everything it earned.
          </p>
        </Card>

        <div className="space-y-4">
          <Card title="Tiers">
            <TierScale tiers={rules.tiers} className="mb-2" />
            <TierThresholds tiers={rules.tiers} />
            <p className="mt-3 text-stone-500 text-xs">
              Tiers follow lifetime earned points, so spending points on a reward never lowers a
              tier. <TierBadge tier="VIP" /> is given by hand and stays until cleared.
            </p>
          </Card>

          <Card title="Points expiry">
            {expiry.enabled ? (
              <div className="space-y-2 text-sm text-stone-700" data-testid="expiry-setting">
                <p>
                  <span className="font-semibold text-stone-900">On.</span> Points expire after{" "}
                  {expiry.months} {expiry.months === 1 ? "month" : "months"} without a completed
                  booking. Customers are warned by email {expiry.warningDays}{" "}
                  {expiry.warningDays === 1 ? "day" : "days"} before.
                </p>
                <p className="text-stone-600">
                  {expiry.enabledAt
                    ? `In effect since ${formatDate(expiry.enabledAt)}: inactivity before then does not count.`
                    : "Takes effect when the daily expiry job next runs; inactivity before then does not count."}
                </p>
              </div>
            ) : (
              <p className="text-sm text-stone-700" data-testid="expiry-setting">
                <span className="font-semibold text-stone-900">Off.</span> Points never expire. Set{" "}
                <code>POINTS_EXPIRY_MONTHS</code> (and optionally{" "}
                <code>POINTS_EXPIRY_WARNING_DAYS</code>, {expiry.warningDays} by default) to turn it
                on; it never expires points retroactively.
              </p>
            )}
          </Card>

          <Card title="Ledger check">
            {ledgerCheck === null ? (
              <p className="text-sm text-stone-600">
                The daily check that every balance equals its ledger has not run yet.
              </p>
            ) : ledgerCheck.ok ? (
              <Alert tone="success">
                Every points balance matched its ledger on{" "}
                {formatDate(ledgerCheck.checkedAt, { time: true })}.
              </Alert>
            ) : (
              <Alert tone="error">
                On {formatDate(ledgerCheck.checkedAt, { time: true })}, the balance of{" "}
                {formatNumber(ledgerCheck.driftCount)}{" "}
                {ledgerCheck.driftCount === 1 ? "customer" : "customers"} did not match the ledger.
                The worker log names them.
              </Alert>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
