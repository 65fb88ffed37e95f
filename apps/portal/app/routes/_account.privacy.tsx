import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Button, failedResult, formatDate, useResultToast } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import { ConsentHistory } from "~/components/privacy/consent-history";
import { CHANNEL_TITLES, ConsentToggles } from "~/components/privacy/consent-toggles";
import { DeleteAccountForm } from "~/components/privacy/delete-account-form";
import { privacyForms } from "~/components/privacy/privacy-forms";
import { SectionCard } from "~/components/section-card";
import { formResult, parseForm } from "~/lib/form.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Privacy · My Xplorium" }];

const REQUEST = { EXPORT: "Data download", ERASURE: "Account deletion" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, customer } = await requireCustomer(request, context);
  return data({ overview: await api.portal.privacy(), email: customer.email }, { headers });
}

/** Two forms: a marketing switch ("consent") and deleting the account ("delete"). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const submission = parseForm(await request.formData(), privacyForms);
  if (submission.status !== "success") return formResult(submission, { headers });
  const form = submission.value;
  try {
    if (form.intent === "consent") {
      const { intent: _, ...input } = form;
      const r = await api.portal.setConsent(input);
      const toast = !r.changed
        ? "Nothing to change."
        : `${CHANNEL_TITLES[form.channel]} turned ${form.granted ? "on" : "off"}.`;
      return formResult(submission, { headers, toast });
    }
    await api.portal.deleteAccount({ confirmation: form.confirmation });
    // The procedure ended every session; `headers` clears this browser's cookie.
    return redirect("/account-deleted", { headers });
  } catch (error) {
    return formResult(submission, { headers, error });
  }
}

export default function Privacy() {
  const { overview, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A refused deletion shows next to its field; everything else is a toast.
  const toast = useResultToast(failedResult(result, "delete") ? null : result);
  return (
    <div className="space-y-6">
      <Toast message={toast} />
      <div>
        <h1 className="font-bold text-2xl text-stone-900">Privacy</h1>
        <p className="mt-1 text-sm text-stone-600">
          Your choices about marketing, a copy of your data, and deleting your account.
        </p>
      </div>

      <SectionCard id="marketing-heading" title="Marketing messages">
        <p className="mt-3 mb-3 text-sm text-stone-600">
          Off unless you turn them on. Messages about your bookings, vouchers and sign-in codes come
          either way.
        </p>
        <ConsentToggles overview={overview} />
      </SectionCard>

      <SectionCard id="history-heading" title="Your consent history">
        <div className="mt-3">
          <ConsentHistory events={overview.events} />
        </div>
      </SectionCard>

      <SectionCard id="data-heading" title="Download my data">
        <p className="mt-3 text-sm text-stone-600">
          One zip file with everything we hold about you: data.json (your profile, consent history,
          bookings, points, vouchers, emails we sent you, and more) and spreadsheets of your
          bookings and points.
        </p>
        {/* A real form post: the answer is a file, and a download is a recorded request. */}
        <form method="post" action="/privacy/download" className="mt-3">
          <Button variant="secondary">Download my data</Button>
        </form>
        {overview.requests.length > 0 ? (
          <ul className="mt-4 space-y-1 text-stone-600 text-xs" aria-label="Your requests">
            {overview.requests.map((r) => (
              <li key={r.id}>
                {REQUEST[r.type]} · {formatDate(r.createdAt, { time: true })} ·{" "}
                {r.status.toLowerCase()}
              </li>
            ))}
          </ul>
        ) : null}
      </SectionCard>

      <SectionCard id="delete-heading" title="Delete my account" className="ring-red-200">
        <div className="mt-3">
          <DeleteAccountForm email={email} result={result} />
        </div>
      </SectionCard>
    </div>
  );
}
