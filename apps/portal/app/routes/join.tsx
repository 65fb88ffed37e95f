import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatNumber } from "@xplorium/ui";
import { portalApi } from "~/lib/api.server";
import { referralParam } from "~/lib/referral-param";

export const meta: MetaFunction = () => [{ title: "Join Xplorium · you were invited" }];

/**
 * The share link's landing page (`/join?ref=CODE`, public): what the offer is, then on to
 * sign-up carrying the code. A signed-in customer goes to their invite page with the code
 * filled in instead.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, principal, headers } = await portalApi(request, context);
  const ref = referralParam(new URL(request.url).searchParams.get("ref")) || null;
  if (principal.type === "customer") {
    throw redirect(ref ? `/referrals?code=${encodeURIComponent(ref)}` : "/referrals", { headers });
  }
  const programme = await api.portal.programme();
  return data({ ref, programme }, { headers });
}

export default function Join() {
  const { ref, programme } = useLoaderData<typeof loader>();
  const signIn = ref ? `/sign-in?ref=${encodeURIComponent(ref)}` : "/sign-in";
  return (
    <main className="min-h-screen bg-gradient-to-br from-brand-50 to-sun-100 px-4 py-10">
      <div className="mx-auto w-full max-w-md space-y-6 rounded-3xl bg-white p-7 shadow-lg ring-1 ring-stone-200">
        <p className="font-semibold text-brand-700 text-sm">Xplorium</p>
        <h1 className="font-bold text-2xl text-stone-900">
          {ref ? "A friend invited you to Xplorium" : "Join the Xplorium family club"}
        </h1>
        <p className="text-stone-700">
          Create your free family account and collect points at every visit to the café, playground,
          parties and events. Spend them on treats like a free drink or a private event hour.
        </p>
        {ref ? (
          <div className="rounded-2xl bg-brand-50 p-4 ring-1 ring-brand-200">
            <p className="font-semibold text-brand-800">
              You and your friend each get {formatNumber(programme.referralPoints)} points
            </p>
            <p className="mt-1 text-sm text-stone-700">
              when your first visit is completed. Your friend's code{" "}
              <span className="font-mono font-semibold" data-testid="join-ref">
                {ref}
              </span>{" "}
              is filled in for you.
            </p>
          </div>
        ) : null}
        <Link
          to={signIn}
          className="block rounded-lg bg-brand-700 px-4 py-3 text-center font-semibold text-white hover:bg-brand-800"
        >
          Create my account
        </Link>
        <p className="text-center text-sm text-stone-600">
          Already a member?{" "}
          <Link to={signIn} className="font-medium text-brand-700 hover:underline">
            Sign in
          </Link>
        </p>
        <section aria-labelledby="earn-heading">
          <h2 id="earn-heading" className="font-semibold text-stone-900">
            How you earn points
          </h2>
          <ul className="mt-2 space-y-2 text-sm">
            {programme.waysToEarn.map((w) => (
              <li key={w.key} className="flex gap-3">
                <span className="w-12 shrink-0 font-bold text-brand-800 tabular-nums">
                  {w.points}
                </span>
                <span>
                  <span className="font-medium text-stone-900">{w.title}.</span>{" "}
                  <span className="text-stone-600">{w.description}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </main>
  );
}
