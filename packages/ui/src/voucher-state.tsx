import type { VoucherStatus } from "@xplorium/domain";
import { cn } from "./cn";

const STYLE: Record<VoucherStatus, { label: string; className: string }> = {
  ISSUED: { label: "Ready to use", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  USED: { label: "Used", className: "bg-stone-100 text-stone-700 ring-stone-300" },
  EXPIRED: { label: "Expired", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  CANCELLED: { label: "Cancelled", className: "bg-red-50 text-red-800 ring-red-200" },
};

/** A voucher's state as of now (an unused voucher past its expiry reads Expired). */
export function VoucherStateBadge({
  state,
  size = "sm",
}: {
  state: VoucherStatus;
  size?: "sm" | "lg";
}) {
  const s = STYLE[state];
  return (
    <span
      data-testid="voucher-state"
      className={cn(
        "inline-flex items-center whitespace-nowrap rounded-full font-semibold ring-1",
        size === "lg" ? "px-3 py-1 text-sm" : "px-2 py-0.5 text-xs",
        s.className,
      )}
    >
      {s.label}
    </span>
  );
}
