import { Form, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Card, cn, formatDate, SubmitSwitch } from "@xplorium/ui";

export type ConsentData = RouterOutputs["customers"]["consentHistory"];
type Channel = keyof ConsentData["channels"];
type ChangeResult = RouterOutputs["customers"]["setConsent"];

/** The form intent the customer page's action handles (`customers.setConsent`). */
export const SET_CONSENT_INTENT = "setConsent";

const CHANNELS: { channel: Channel; label: string }[] = [
  { channel: "EMAIL", label: "Email marketing" },
  { channel: "SMS", label: "SMS marketing" },
];

const SOURCE_LABEL: Record<ConsentData["events"][number]["source"], string> = {
  PORTAL: "Customer, in the portal",
  STAFF: "Staff",
  BOOKING_FORM: "Booking form",
  UNSUBSCRIBE_LINK: "Unsubscribe link",
  IMPORT: "Import",
  API: "API",
  COMPLAINT: "Spam complaint (reported by their mail provider)",
};

const STATUS_LABEL: Record<ConsentData["events"][number]["status"], string | null> = {
  CONFIRMED: null,
  AWAITING: "awaiting confirmation",
  EXPIRED: "never confirmed (link expired)",
  SUPERSEDED: "never confirmed (replaced by a later change)",
};

/** The toast after a change, for the page's action. */
export function consentToast(r: ChangeResult): string {
  const name = r.channel === "EMAIL" ? "Email marketing" : "SMS marketing";
  if (!r.changed) return "Nothing to change.";
  if (r.state === "PENDING")
    return `Confirmation email sent. ${name} turns on when the customer confirms it.`;
  return `${name} turned off.`;
}

/**
 * Marketing preferences on the customer page: each channel's state as a switch, and the last
 * few consent events. Turning a channel on only asks the customer (double opt-in); turning it
 * off applies at once and also cancels a request still waiting for confirmation.
 */
export function ConsentPanel({
  consent,
  canEdit,
  error,
  className,
}: {
  consent: ConsentData;
  canEdit: boolean;
  /** The inline error of the last setConsent submission, if it failed. */
  error?: string | null;
  className?: string;
}) {
  const nav = useNavigation();
  const busyChannel =
    nav.state !== "idle" && nav.formData?.get("intent") === SET_CONSENT_INTENT
      ? String(nav.formData.get("channel"))
      : null;
  const recent = consent.events.slice(0, 5);
  return (
    <Card title="Marketing preferences" className={className}>
      <ul className="space-y-3">
        {CHANNELS.map(({ channel, label }) => {
          const state = consent.channels[channel];
          const on = state.optedIn || state.awaitingSince !== null;
          const statusId = `consent-${channel.toLowerCase()}-status`;
          const status = state.optedIn
            ? "Opted in"
            : state.awaitingSince
              ? `Awaiting confirmation since ${formatDate(state.awaitingSince)}`
              : "Not opted in";
          return (
            <li key={channel} className="flex items-center justify-between gap-3">
              <div>
                <p className="font-medium text-sm text-stone-900">{label}</p>
                <p
                  id={statusId}
                  data-testid={statusId}
                  className={cn(
                    "text-xs",
                    state.optedIn
                      ? "text-emerald-700"
                      : state.awaitingSince
                        ? "text-amber-700"
                        : "text-stone-500",
                  )}
                >
                  {status}
                </p>
              </div>
              {canEdit ? (
                <Form method="post">
                  <input type="hidden" name="intent" value={SET_CONSENT_INTENT} />
                  <input type="hidden" name="channel" value={channel} />
                  <input type="hidden" name="granted" value={on ? "false" : "true"} />
                  <SubmitSwitch
                    on={on}
                    label={label}
                    describedBy={statusId}
                    disabled={busyChannel === channel}
                    title={on ? "Turn off now" : "Ask the customer by email; on once they confirm"}
                    trackClassName={
                      state.optedIn
                        ? "bg-brand-700"
                        : state.awaitingSince
                          ? "bg-amber-400"
                          : "bg-stone-300"
                    }
                  />
                </Form>
              ) : null}
            </li>
          );
        })}
      </ul>
      {error ? (
        <p role="alert" className="mt-2 text-red-600 text-sm">
          {error}
        </p>
      ) : null}
      {canEdit ? (
        <p className="mt-3 text-stone-500 text-xs">
          Turning a channel on emails the customer a link to confirm; they are opted in only once
          they do. Turning it off applies at once.
        </p>
      ) : null}
      <h3 className="mt-4 mb-1 font-semibold text-stone-500 text-xs uppercase">Recent changes</h3>
      {recent.length === 0 ? (
        <p className="text-sm text-stone-500">No consent recorded yet.</p>
      ) : (
        <ul className="divide-y divide-stone-100 text-sm" aria-label="Recent consent changes">
          {recent.map((e) => (
            <li key={e.id} className="py-1.5">
              <span className="block text-stone-900">
                {e.channel === "EMAIL" ? "Email" : "SMS"}{" "}
                {e.action === "GRANTED" ? "given" : "withdrawn"}
                {STATUS_LABEL[e.status] ? (
                  <span className="text-amber-700"> · {STATUS_LABEL[e.status]}</span>
                ) : null}
              </span>
              <span className="text-stone-500 text-xs">
                {formatDate(e.createdAt, { time: true })} · {SOURCE_LABEL[e.source]}
                {e.staffName ? ` (${e.staffName})` : ""} ·{" "}
                <span title={e.wording ?? undefined}>wording {e.wordingVersion}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
