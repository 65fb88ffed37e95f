import { trpc } from "@xplorium/api/client";
import { Button, Card, EmptyState, formatDate, formatMoney, formatNumber } from "@xplorium/ui";
import { useEffect, useState } from "react";
import { titleCase } from "./labels";

interface TimelineEvent {
  kind: "booking" | "points" | "tier" | "consent" | "email" | "note";
  at: string;
  key: string;
  data: Record<string, unknown>;
}
interface TimelinePage {
  events: TimelineEvent[];
  nextCursor: { at: string; key: string } | null;
}

const KIND_STYLE: Record<TimelineEvent["kind"], { label: string; dot: string }> = {
  booking: { label: "Booking", dot: "bg-sky-500" },
  points: { label: "Points", dot: "bg-emerald-500" },
  tier: { label: "Tier", dot: "bg-amber-500" },
  consent: { label: "Consent", dot: "bg-violet-500" },
  email: { label: "Email", dot: "bg-stone-400" },
  note: { label: "Staff", dot: "bg-brand-600" },
};

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

function describe(e: TimelineEvent): { title: string; detail?: string } {
  const d = e.data;
  switch (e.kind) {
    case "booking":
      return {
        title: `${titleCase(str(d.type))} booking · ${titleCase(str(d.status))}`,
        detail: `${str(d.guests)} guests · ${formatMoney(Number(d.amount), str(d.currency))}`,
      };
    case "points": {
      const delta = Number(d.delta);
      return {
        title: `${delta > 0 ? "+" : ""}${formatNumber(delta)} points · ${str(d.note) || titleCase(str(d.reason))}`,
        detail: `Balance ${formatNumber(Number(d.balanceAfter))}${d.staff ? ` · by ${str(d.staff)}` : ""}`,
      };
    }
    case "tier":
      return {
        title: `Tier ${titleCase(str(d.from))} → ${titleCase(str(d.to))}`,
        detail: str(d.reason),
      };
    case "consent":
      return {
        title: `${d.channel === "SMS" ? "SMS" : "Email"} marketing ${d.action === "GRANTED" ? "granted" : "withdrawn"}${d.state === "PENDING" ? " (awaiting confirmation)" : ""}`,
        detail: `Source: ${titleCase(str(d.source))}`,
      };
    case "email":
      // A sign-in or sign-up code email comes as its label only ("Sign-in code sent").
      return {
        title: d.label ? str(d.label) : `Email: ${str(d.subject)}`,
        detail: titleCase(str(d.status)),
      };
    case "note": {
      const details = (d.details ?? {}) as Record<string, unknown>;
      const by = d.staff ? ` · by ${str(d.staff)}` : "";
      switch (d.action) {
        case "customer.notes_set":
          return { title: "Notes updated", detail: `${str(details.after) || "(cleared)"}${by}` };
        case "customer.tag_added":
          return { title: `Tagged “${str(details.tag)}”`, detail: by.slice(3) };
        case "customer.tag_removed":
          return { title: `Tag “${str(details.tag)}” removed`, detail: by.slice(3) };
        case "customer.created":
          return { title: "Customer created", detail: by.slice(3) };
        case "customer.merged":
          return { title: "Merged with a duplicate record", detail: by.slice(3) };
        default: {
          const changes = Object.keys((details.changes ?? {}) as object);
          return {
            title: "Profile updated",
            detail: `${changes.map((c) => c.replace(/([A-Z])/g, " $1").toLowerCase()).join(", ")}${by}`,
          };
        }
      }
    }
  }
}

/**
 * The contact timeline: the newest page comes from the loader (so it is fresh after every action
 * on the page), older pages are fetched on demand and dropped when the newest page changes.
 */
export function Timeline({ customerId, first }: { customerId: string; first: TimelinePage }) {
  const utils = trpc.useUtils();
  const [older, setOlder] = useState<TimelinePage[]>([]);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  // Reset whenever the loader's page changes (after any action on this page).
  useEffect(() => {
    setOlder([]);
    setFailed(false);
  }, [first]);
  const events = [first, ...older].flatMap((p) => p.events);
  const cursor = (older.at(-1) ?? first).nextCursor;
  const loadOlder = async () => {
    if (!cursor) return;
    setLoading(true);
    setFailed(false);
    try {
      const page = await utils.customers.timeline.fetch({ customerId, limit: 20, cursor });
      setOlder((pages) => [...pages, page]);
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Card title="Contact timeline" className="lg:col-span-3">
      {events.length === 0 ? (
        <EmptyState title="Nothing has happened yet" />
      ) : (
        <ol
          className="relative space-y-3 border-stone-200 border-l pl-5"
          aria-label="Contact timeline"
        >
          {events.map((e) => {
            const { title, detail } = describe(e);
            const style = KIND_STYLE[e.kind];
            return (
              <li key={e.key} className="relative">
                <span
                  aria-hidden="true"
                  className={`-left-[1.6rem] absolute top-1.5 h-2.5 w-2.5 rounded-full ring-4 ring-white ${style.dot}`}
                />
                <p className="text-sm text-stone-900">
                  <span className="sr-only">{style.label}: </span>
                  {title}
                </p>
                <p className="text-stone-500 text-xs">
                  {formatDate(e.at, { time: true })}
                  {detail ? ` · ${detail}` : ""}
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {failed ? (
        <p role="alert" className="mt-3 text-red-600 text-sm">
          Could not load older events. Please try again.
        </p>
      ) : null}
      {cursor ? (
        <Button
          type="button"
          variant="secondary"
          className="mt-4"
          busy={loading}
          onClick={() => void loadOlder()}
        >
          Show older
        </Button>
      ) : null}
    </Card>
  );
}
