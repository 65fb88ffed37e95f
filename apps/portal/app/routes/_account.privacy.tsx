import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Button, cn, formatDate, TextField } from "@xplorium/ui";
import { Toast } from "@xplorium/ui/remix";
import type { ReactNode } from "react";
import { describeActionError } from "~/lib/api.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction = () => [{ title: "Privacy · My Xplorium" }];

type Overview = RouterOutputs["portal"]["privacy"];
type Channel = keyof Overview["channels"];

const CONSENT_INTENT = "consent";
const DELETE_INTENT = "delete";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api, headers, customer } = await requireCustomer(request, context);
  return data({ overview: await api.portal.privacy(), email: customer.email }, { headers });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  const form = await request.formData();
  const intent = String(form.get("intent"));
  try {
    if (intent === CONSENT_INTENT) {
      const channel = String(form.get("channel")) as Channel;
      const granted = form.get("granted") === "true";
      const r = await api.portal.setConsent({
        channel,
        granted,
        wordingVersion: String(form.get("wordingVersion") ?? ""),
      });
      const what = channel === "EMAIL" ? "Marketing emails" : "Marketing SMS";
      const toast = !r.changed ? "Nothing to change." : `${what} turned ${granted ? "on" : "off"}.`;
      return data({ ok: true as const, intent, toast }, { headers });
    }
    if (intent === DELETE_INTENT) {
      await api.portal.deleteAccount({ confirmation: String(form.get("confirmation") ?? "") });
      // The procedure ended every session; `headers` clears this browser's cookie.
      return redirect("/account-deleted", { headers });
    }
    return data(
      {
        ok: false as const,
        intent,
        message: "Unknown action.",
        fieldErrors: {} as Record<string, string[] | undefined>,
      },
      { status: 400, headers },
    );
  } catch (error) {
    const f = describeActionError(error);
    return data(
      { ok: false as const, intent, message: f.message, fieldErrors: f.fieldErrors },
      { status: f.status, headers },
    );
  }
}

const CHANNELS: { channel: Channel; title: string }[] = [
  { channel: "EMAIL", title: "Marketing emails" },
  { channel: "SMS", title: "Marketing SMS" },
];

const SOURCE: Record<Overview["events"][number]["source"], string> = {
  PORTAL: "by you, here",
  STAFF: "by our staff",
  BOOKING_FORM: "on the booking form",
  UNSUBSCRIBE_LINK: "from an unsubscribe link",
  IMPORT: "by an import",
  API: "by the booking site",
  COMPLAINT: "when you marked our email as spam",
};

const STATUS: Record<Overview["events"][number]["status"], string | null> = {
  CONFIRMED: null,
  AWAITING: "waiting for your confirmation from our email",
  EXPIRED: "never confirmed (the link expired)",
  SUPERSEDED: "never confirmed (replaced by a later choice)",
};

const REQUEST: Record<Overview["requests"][number]["type"], string> = {
  EXPORT: "Data download",
  ERASURE: "Account deletion",
};

function ConsentToggles({ overview }: { overview: Overview }) {
  const nav = useNavigation();
  const busy =
    nav.state !== "idle" && nav.formData?.get("intent") === CONSENT_INTENT
      ? String(nav.formData.get("channel"))
      : null;
  return (
    <ul className="space-y-4">
      {CHANNELS.map(({ channel, title }) => {
        const state = overview.channels[channel];
        const wording = overview.wording[channel];
        const on = state.optedIn;
        const statusId = `consent-${channel.toLowerCase()}-status`;
        return (
          <li key={channel} className="rounded-xl border border-stone-200 p-4">
            <Form method="post" className="flex items-start justify-between gap-4">
              <input type="hidden" name="intent" value={CONSENT_INTENT} />
              <input type="hidden" name="channel" value={channel} />
              <input type="hidden" name="granted" value={on ? "false" : "true"} />
              <input type="hidden" name="wordingVersion" value={wording.version} />
              <div className="min-w-0">
                <p className="font-medium text-stone-900">{title}</p>
                <p
                  className="mt-1 text-sm text-stone-700"
                  data-testid={`consent-wording-${channel}`}
                >
                  “{wording.text}”
                </p>
                <p id={statusId} className="mt-1 text-stone-500 text-xs">
                  {on
                    ? "On. Turn it off at any time, here or from any message."
                    : state.awaitingSince
                      ? `Off: waiting for your confirmation from the email we sent on ${formatDate(state.awaitingSince)}. You can also turn it on here.`
                      : "Off."}
                </p>
              </div>
              <button
                type="submit"
                role="switch"
                aria-checked={on}
                aria-label={title}
                aria-describedby={statusId}
                disabled={busy === channel}
                className={cn(
                  "relative mt-1 inline-flex h-7 w-12 shrink-0 items-center rounded-full transition focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2",
                  on ? "bg-brand-700" : "bg-stone-300",
                )}
              >
                <span
                  aria-hidden="true"
                  className={cn(
                    "inline-block size-5 rounded-full bg-white shadow transition",
                    on ? "translate-x-6" : "translate-x-1",
                  )}
                />
              </button>
            </Form>
          </li>
        );
      })}
    </ul>
  );
}

function ConsentHistory({ events }: { events: Overview["events"] }) {
  if (events.length === 0) {
    return <p className="text-sm text-stone-600">No choices recorded yet.</p>;
  }
  return (
    <ol className="divide-y divide-stone-100 text-sm" aria-label="Consent history">
      {events.map((e) => (
        <li key={e.id} className="py-2">
          <p className="text-stone-900">
            {e.channel === "EMAIL" ? "Marketing emails" : "Marketing SMS"}{" "}
            {e.action === "GRANTED" ? "turned on" : "turned off"} {SOURCE[e.source]}
            {STATUS[e.status] ? (
              <span className="text-stone-500"> · {STATUS[e.status]}</span>
            ) : null}
          </p>
          <p className="text-stone-500 text-xs">
            {e.action === "GRANTED" && e.confirmedAt && e.source !== "PORTAL"
              ? `Asked ${formatDate(e.createdAt, { time: true })}, confirmed by you ${formatDate(e.confirmedAt, { time: true })}`
              : formatDate(e.createdAt, { time: true })}
            {e.action === "GRANTED" && e.wording ? ` · “${e.wording}”` : ""}
          </p>
        </li>
      ))}
    </ol>
  );
}

function Section({
  id,
  title,
  children,
  className,
}: {
  id: string;
  title: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={id}
      className={cn("rounded-2xl bg-white p-5 shadow-sm ring-1 ring-stone-200", className)}
    >
      <h2 id={id} className="mb-3 font-semibold text-lg text-stone-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function Privacy() {
  const { overview, email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const deleting = nav.state !== "idle" && nav.formData?.get("intent") === DELETE_INTENT;
  const deleteError =
    result && !result.ok && result.intent === DELETE_INTENT
      ? (result.fieldErrors.confirmation?.[0] ?? result.message)
      : null;
  const toast =
    result && !(result.ok === false && result.intent === DELETE_INTENT)
      ? {
          id: String(Date.now()),
          tone: result.ok ? ("success" as const) : ("error" as const),
          text: result.ok ? result.toast : result.message,
        }
      : null;
  return (
    <div className="space-y-6">
      <Toast message={toast} />
      <div>
        <h1 className="font-bold text-2xl text-stone-900">Privacy</h1>
        <p className="mt-1 text-sm text-stone-600">
          Your choices about marketing, a copy of your data, and deleting your account.
        </p>
      </div>

      <Section id="marketing-heading" title="Marketing messages">
        <p className="mb-3 text-sm text-stone-600">
          Off unless you turn them on. Messages about your bookings, vouchers and sign-in codes come
          either way.
        </p>
        <ConsentToggles overview={overview} />
      </Section>

      <Section id="history-heading" title="Your consent history">
        <ConsentHistory events={overview.events} />
      </Section>

      <Section id="data-heading" title="Download my data">
        <p className="text-sm text-stone-600">
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
      </Section>

      <Section id="delete-heading" title="Delete my account" className="ring-red-200">
        <div className="space-y-2 text-sm text-stone-700">
          <p>
            This deletes your name, email address, phone number, birth date and marketing choices,
            and signs you out everywhere. Your points and referral code go with the account. It
            cannot be undone.
          </p>
          <p>
            We keep the dates, types and amounts of past bookings without your identity, because we
            must keep accounting records, and a one-way fingerprint of your email address so we
            never email it again. We send one last email to confirm the deletion.
          </p>
        </div>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          <input type="hidden" name="intent" value={DELETE_INTENT} />
          <TextField
            label={`To confirm, type your email address (${email}) or DELETE`}
            name="confirmation"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            error={deleteError}
          />
          <Button variant="danger" busy={deleting}>
            Delete my account
          </Button>
        </Form>
      </Section>
    </div>
  );
}
