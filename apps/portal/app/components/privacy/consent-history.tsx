import type { RouterOutputs } from "@xplorium/api";
import { formatDate } from "@xplorium/ui";
import { CHANNEL_TITLES } from "./consent-toggles";

type ConsentEvent = RouterOutputs["portal"]["privacy"]["events"][number];

const SOURCE: Record<ConsentEvent["source"], string> = {
  PORTAL: "by you, here",
  STAFF: "by our staff",
  BOOKING_FORM: "on the booking form",
  UNSUBSCRIBE_LINK: "from an unsubscribe link",
  IMPORT: "by an import",
  API: "by the booking site",
  COMPLAINT: "when you marked our email as spam",
};

const STATUS: Record<ConsentEvent["status"], string | null> = {
  CONFIRMED: null,
  AWAITING: "waiting for your confirmation from our email",
  EXPIRED: "never confirmed (the link expired)",
  SUPERSEDED: "never confirmed (replaced by a later choice)",
};

/** Every marketing choice on record: what, who or where from, when, and the wording agreed to. */
export function ConsentHistory({ events }: { events: ConsentEvent[] }) {
  if (events.length === 0) {
    return <p className="text-sm text-stone-600">No choices recorded yet.</p>;
  }
  return (
    <ol className="divide-y divide-stone-100 text-sm" aria-label="Consent history">
      {events.map((e) => (
        <li key={e.id} className="py-2">
          <p className="text-stone-900">
            {CHANNEL_TITLES[e.channel]} {e.action === "GRANTED" ? "turned on" : "turned off"}{" "}
            {SOURCE[e.source]}
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
