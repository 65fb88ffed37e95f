/** "GOLD" → "Gold". */
export function tierName(tier: string): string {
  return tier === "VIP" ? "VIP" : tier.charAt(0) + tier.slice(1).toLowerCase();
}

/** Booking statuses as a customer reads them. */
export const BOOKING_STATUS_LABELS: Record<string, string> = {
  PENDING: "Requested",
  APPROVED: "Confirmed",
  COMPLETED: "Completed",
  CANCELLED: "Cancelled",
};

/** "+100", "−500" (a real minus sign), for points deltas. */
export function signedPoints(delta: number, format: (n: number) => string): string {
  return delta > 0 ? `+${format(delta)}` : `−${format(Math.abs(delta))}`;
}
