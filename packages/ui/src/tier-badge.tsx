import type { Tier } from "@xplorium/domain";
import { cn } from "./cn";

const styles: Record<Tier, { label: string; dot: string; className: string }> = {
  BRONZE: {
    label: "Bronze",
    dot: "bg-orange-500",
    className: "bg-orange-100 text-orange-900 ring-orange-200",
  },
  SILVER: {
    label: "Silver",
    dot: "bg-slate-400",
    className: "bg-slate-100 text-slate-800 ring-slate-300",
  },
  GOLD: {
    label: "Gold",
    dot: "bg-amber-500",
    className: "bg-amber-100 text-amber-900 ring-amber-300",
  },
  PLATINUM: {
    label: "Platinum",
    dot: "bg-sky-500",
    className: "bg-sky-100 text-sky-900 ring-sky-200",
  },
  VIP: {
    label: "VIP",
    dot: "bg-violet-500",
    className: "bg-violet-100 text-violet-900 ring-violet-300",
  },
};

export function TierBadge({ tier, size = "sm" }: { tier: Tier; size?: "sm" | "lg" }) {
  const s = styles[tier];
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-full font-semibold ring-1",
        size === "lg" ? "px-3 py-1 text-base" : "px-2 py-0.5 text-xs",
        s.className,
      )}
    >
      <span aria-hidden="true" className={cn("size-2.5 rounded-full", s.dot)} />
      {s.label}
    </span>
  );
}

export function ProgressBar({ value, max, label }: { value: number; max: number; label: string }) {
  const pct = max <= 0 ? 100 : Math.min(100, Math.max(0, Math.round((value / max) * 100)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className="h-3 w-full overflow-hidden rounded-full bg-stone-200"
    >
      <div
        className="h-full rounded-full bg-brand-600 transition-all"
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
