import { cn } from "./cn";

/** The named RFM segments (packages/core/src/analytics/rfm.ts). */
export type RfmSegment =
  | "CHAMPIONS"
  | "LOYAL"
  | "PROMISING"
  | "NEW"
  | "NEEDS_ATTENTION"
  | "AT_RISK"
  | "CANT_LOSE"
  | "HIBERNATING"
  | "LOST";

export const RFM_SEGMENT_INFO: Record<
  RfmSegment,
  { label: string; description: string; className: string }
> = {
  CHAMPIONS: {
    label: "Champions",
    description: "Came recently, come often and spend the most.",
    className: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  },
  LOYAL: {
    label: "Loyal",
    description: "Recent enough, with good frequency or spend.",
    className: "bg-teal-100 text-teal-900 ring-teal-300",
  },
  PROMISING: {
    label: "Promising",
    description: "Came recently, a few visits so far.",
    className: "bg-sky-100 text-sky-900 ring-sky-300",
  },
  NEW: {
    label: "New",
    description: "Came recently, once or with little spend.",
    className: "bg-blue-100 text-blue-900 ring-blue-300",
  },
  NEEDS_ATTENTION: {
    label: "Needs attention",
    description: "Middling on all three: a nudge now keeps them.",
    className: "bg-yellow-100 text-yellow-900 ring-yellow-300",
  },
  AT_RISK: {
    label: "At risk",
    description: "Used to come and spend well, not lately.",
    className: "bg-orange-100 text-orange-900 ring-orange-300",
  },
  CANT_LOSE: {
    label: "Can't lose them",
    description: "Among the best customers, but they have stopped coming.",
    className: "bg-red-100 text-red-900 ring-red-300",
  },
  HIBERNATING: {
    label: "Hibernating",
    description: "Few visits, low spend, a while ago.",
    className: "bg-stone-200 text-stone-800 ring-stone-300",
  },
  LOST: {
    label: "Lost",
    description: "Came once or twice, long ago.",
    className: "bg-stone-100 text-stone-600 ring-stone-300",
  },
};

export const RFM_SEGMENT_ORDER = Object.keys(RFM_SEGMENT_INFO) as RfmSegment[];

/** A coloured pill with a label, as the RFM segment and churn level badges show them. */
function Pill({ label, className }: { label: string; className: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 font-semibold text-xs ring-1",
        className,
      )}
    >
      {label}
    </span>
  );
}

export function RfmSegmentBadge({ segment }: { segment: RfmSegment }) {
  return <Pill {...RFM_SEGMENT_INFO[segment]} />;
}

/** Churn levels (packages/core/src/analytics/churn.ts), for people. */
export type ChurnLevel =
  | "NO_VISITS"
  | "UPCOMING"
  | "UNKNOWN"
  | "ON_RHYTHM"
  | "DUE"
  | "LIKELY"
  | "LAPSED";

export const CHURN_LEVEL_INFO: Record<ChurnLevel, { label: string; className: string }> = {
  NO_VISITS: { label: "No visits yet", className: "bg-stone-100 text-stone-700 ring-stone-300" },
  UPCOMING: { label: "Booked again", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  UNKNOWN: { label: "Not enough history", className: "bg-stone-100 text-stone-700 ring-stone-300" },
  ON_RHYTHM: { label: "On rhythm", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  DUE: { label: "Due back", className: "bg-yellow-50 text-yellow-900 ring-yellow-300" },
  LIKELY: { label: "Likely to churn", className: "bg-orange-100 text-orange-900 ring-orange-300" },
  LAPSED: { label: "Lapsed", className: "bg-red-50 text-red-800 ring-red-200" },
};

export function ChurnLevelBadge({ level }: { level: ChurnLevel }) {
  return <Pill {...CHURN_LEVEL_INFO[level]} />;
}
