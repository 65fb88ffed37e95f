import type { CampaignStatus } from "@xplorium/domain";
import { cn, formatNumber, ProgressBar } from "@xplorium/ui";

const STATUS: Record<CampaignStatus, { label: string; className: string }> = {
  DRAFT: { label: "Draft", className: "bg-stone-100 text-stone-700 ring-stone-300" },
  SCHEDULED: { label: "Scheduled", className: "bg-sky-100 text-sky-900 ring-sky-200" },
  SENDING: { label: "Sending", className: "bg-amber-100 text-amber-900 ring-amber-300" },
  SENT: { label: "Sent", className: "bg-emerald-100 text-emerald-900 ring-emerald-200" },
  CANCELLED: { label: "Cancelled", className: "bg-stone-200 text-stone-700 ring-stone-300" },
  FAILED: { label: "Failed", className: "bg-red-100 text-red-900 ring-red-200" },
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const s = STATUS[status];
  return (
    <span
      data-testid="campaign-status"
      className={cn(
        "inline-flex items-center rounded-full px-2 py-0.5 font-semibold text-xs ring-1",
        s.className,
      )}
    >
      {s.label}
    </span>
  );
}

export type CampaignAudience =
  | { kind: "segment"; segmentName: string | null }
  | { kind: "everyone"; segmentName: null }
  | { kind: "segmentDeleted"; segmentName: null };

export function audienceLabel(audience: CampaignAudience): string {
  if (audience.kind === "segment") return audience.segmentName ?? "A segment";
  if (audience.kind === "everyone") return "Everyone on the marketing list";
  return "Segment deleted: choose again";
}

/** Sent (and failed) of the recipients, as a bar and words. */
export function CampaignProgressLine({
  recipientCount,
  sentCount,
  failedCount,
  status,
}: {
  recipientCount: number;
  sentCount: number;
  failedCount: number;
  status: CampaignStatus;
}) {
  if (status === "DRAFT" || status === "SCHEDULED")
    return <span className="text-stone-400">—</span>;
  if (recipientCount === 0) {
    return (
      <span className="text-stone-500 text-xs">
        {status === "SENT" ? "Nobody in the audience" : "Nobody mailed"}
      </span>
    );
  }
  return (
    <div className="min-w-40 space-y-1">
      <ProgressBar
        value={sentCount + failedCount}
        max={recipientCount}
        label={`Sent ${sentCount} of ${recipientCount}`}
      />
      <p className="text-stone-600 text-xs tabular-nums">
        {formatNumber(sentCount)} of {formatNumber(recipientCount)} sent
        {failedCount > 0 ? ` · ${formatNumber(failedCount)} not sent` : ""}
      </p>
    </div>
  );
}
