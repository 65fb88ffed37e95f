import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert } from "@xplorium/ui";
import {
  ActivityCard,
  InviteCard,
  PointsHero,
  RewardsNowCard,
  WaysToEarnCard,
} from "~/components/home/home-cards";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "My Xplorium" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  // One call: the page renders on the server with everything it shows.
  const summary = await api.portal.summary();
  const welcome = new URL(request.url).searchParams.has("welcome");
  return data({ summary, welcome }, { headers });
}

export default function Home() {
  const { summary, welcome } = useLoaderData<typeof loader>();
  const firstName = summary.customer.name?.trim().split(/\s+/)[0] || "there";
  const ready = summary.vouchersReady;
  return (
    <div className="space-y-6">
      {welcome ? (
        <Alert tone="success">
          Welcome to Xplorium! Your account is ready: every completed visit now earns points.
        </Alert>
      ) : null}
      <h1 className="font-bold text-2xl text-stone-900 sm:text-3xl" data-testid="greeting">
        Hi {firstName}!
      </h1>
      <PointsHero summary={summary} />
      {ready > 0 ? (
        <Link
          to="/rewards#my-vouchers"
          className="block rounded-2xl bg-sun-100 px-5 py-4 font-medium text-stone-900 ring-1 ring-sun-400 hover:bg-amber-100"
        >
          You have {ready} {ready === 1 ? "voucher" : "vouchers"} ready to use. Show{" "}
          {ready === 1 ? "it" : "one"} at the front desk →
        </Link>
      ) : null}
      <RewardsNowCard rewards={summary.rewards} />
      <ActivityCard summary={summary} />
      <WaysToEarnCard ways={summary.waysToEarn} />
      <InviteCard referralCode={summary.customer.referralCode} />
    </div>
  );
}
