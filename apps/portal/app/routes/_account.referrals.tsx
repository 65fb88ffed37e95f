import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Alert, formatDate, formatNumber, TextField } from "@xplorium/ui";
import { CopyButton } from "~/components/copy-button";
import { ApplyCodeCard } from "~/components/referrals/apply-code-card";
import { applyCodeForm } from "~/components/referrals/referral-forms";
import { SectionCard } from "~/components/section-card";
import { formResult, parseForm } from "~/lib/form.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Invite friends · My Xplorium" }];

/** `?code=` prefills the friend's-code form (the join page sends signed-in visitors here). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const referrals = await api.referrals.mine();
  const code = new URL(request.url).searchParams.get("code")?.slice(0, 20) ?? "";
  return data({ referrals, prefill: code }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const submission = parseForm(await request.formData(), applyCodeForm);
  if (submission.status !== "success") return formResult(submission, { headers });
  try {
    const { referrer } = await api.referrals.applyCode(submission.value);
    return formResult(submission, {
      headers,
      toast: `You joined through ${referrer.displayName}.`,
    });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function Referrals() {
  const { referrals: r, prefill } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="font-bold text-2xl text-stone-900">Invite friends</h1>
        <p className="mt-1 text-stone-700">
          Share your link. When a friend joins and completes their first visit, you both get{" "}
          {formatNumber(r.pointsPerReferral)} points.
        </p>
      </div>

      <SectionCard id="share-heading" title="Your code and link">
        <dl className="mt-2">
          <dt className="text-sm text-stone-600">Your referral code</dt>
          <dd
            className="font-bold font-mono text-3xl text-brand-800 tracking-wider"
            data-testid="my-referral-code"
          >
            {r.code}
          </dd>
        </dl>
        <div className="mt-4 space-y-2">
          <TextField
            label="Your share link"
            name="shareUrl"
            value={r.shareUrl}
            readOnly
            onFocus={(e) => e.currentTarget.select()}
            data-testid="share-url"
          />
          <CopyButton text={r.shareUrl} label="Copy link" />
        </div>
      </SectionCard>

      <SectionCard id="friends-heading" title="Friends who joined">
        <p className="mt-1 text-sm text-stone-600">
          {r.friendsCount === 0
            ? "Nobody has joined with your code yet."
            : `${r.friendsCount} ${r.friendsCount === 1 ? "friend has" : "friends have"} joined. You earned ${formatNumber(r.pointsEarned)} points from referrals.`}
        </p>
        {r.friends.length > 0 ? (
          <ul className="mt-3 divide-y divide-stone-100" aria-label="Friends who joined">
            {r.friends.map((f, i) => (
              <li
                // Friends carry no id (first name and initial only); the order is stable.
                key={i}
                className="flex items-center justify-between gap-3 py-2"
              >
                <span>
                  <span className="block font-medium text-stone-900">{f.displayName}</span>
                  <span className="block text-stone-500 text-xs">
                    Joined {formatDate(f.joinedAt)}
                  </span>
                </span>
                <span className={f.earned ? "text-emerald-700 text-sm" : "text-sm text-stone-600"}>
                  {f.earned
                    ? `You earned ${formatNumber(r.pointsPerReferral)} points`
                    : "Waiting for their first visit"}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <p className="mt-3 text-stone-500 text-xs">
          Up to {r.monthlyCap} referral bonuses a month ({r.bonusesThisMonth} so far this month).
        </p>
      </SectionCard>

      {r.canApplyCode && !result?.ok ? (
        <ApplyCodeCard result={result} prefill={prefill} pointsPerReferral={r.pointsPerReferral} />
      ) : null}
      {result?.ok ? (
        <Alert tone="success">
          Thank you! {result.message} You both get {formatNumber(r.pointsPerReferral)} points when
          your first visit is completed.
        </Alert>
      ) : r.referred ? (
        <p className="text-sm text-stone-600">You joined through a friend's invitation.</p>
      ) : null}
    </div>
  );
}
