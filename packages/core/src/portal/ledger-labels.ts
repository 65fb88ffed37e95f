import type { BookingType } from "@xplorium/domain";

export type PortalLedgerReason =
  | "BOOKING_COMPLETED"
  | "BOOKING_REVERSED"
  | "REFERRAL_REFERRER"
  | "REFERRAL_REFEREE"
  | "REVIEW_POSTED"
  | "MANUAL_ADJUSTMENT"
  | "REDEMPTION"
  | "VOUCHER_REFUND"
  | "POINTS_EXPIRED"
  | "MERGE";

/** How the portal names booking types. */
export const BOOKING_TYPE_LABELS: Record<BookingType, string> = {
  CAFE: "Café visit",
  PLAYGROUND: "Playground visit",
  PARTY: "Party booking",
  EVENT: "Event booking",
};

/** What a ledger row says about itself, joined with its booking and voucher where it has them. */
export interface LedgerRowFacts {
  reason: PortalLedgerReason;
  note: string | null;
  /** The booking's type, only when the booking is this customer's own. */
  bookingType: BookingType | null;
  /** The row's booking belongs to someone else (a referred friend's first visit). */
  friendsBooking: boolean;
  rewardName: string | null;
  voucherCode: string | null;
}

/**
 * A ledger row in a customer's words: "Party booking · Birthday month ×2", "Reward: Free
 * beverage", "Referral bonus", "Points expired". `detail` adds what helps (a voucher code, the
 * team's reason for an adjustment). Ledger notes written for staff are not shown as they are,
 * except an adjustment's reason, which staff write for the customer's record.
 */
export function describeLedgerRow(r: LedgerRowFacts): { label: string; detail: string | null } {
  const booking = r.bookingType ? BOOKING_TYPE_LABELS[r.bookingType] : "Visit";
  switch (r.reason) {
    case "BOOKING_COMPLETED": {
      // booking-status.ts writes "(birthday month ×2)" into the note of a doubled award.
      const birthday = /birthday/i.test(r.note ?? "");
      return { label: birthday ? `${booking} · Birthday month ×2` : booking, detail: null };
    }
    case "BOOKING_REVERSED":
      return r.friendsBooking
        ? { label: "Referral bonus taken back", detail: "Your friend's visit was cancelled." }
        : { label: `${booking} cancelled`, detail: "The points it earned were taken back." };
    case "REFERRAL_REFERRER":
      return {
        label: "Referral bonus",
        detail: "A friend you invited completed their first visit.",
      };
    case "REFERRAL_REFEREE":
      return { label: "Referral bonus", detail: "Welcome! You joined through a friend." };
    case "REVIEW_POSTED":
      return { label: "Review bonus", detail: "Thank you for your review." };
    case "MANUAL_ADJUSTMENT":
      return { label: "Adjustment by the Xplorium team", detail: r.note };
    case "REDEMPTION":
      return {
        label: `Reward: ${r.rewardName ?? "voucher"}`,
        detail: r.voucherCode ? `Voucher ${r.voucherCode}` : null,
      };
    case "VOUCHER_REFUND":
      return {
        label: `Refund: ${r.rewardName ?? "voucher"}`,
        detail: r.voucherCode ? `Voucher ${r.voucherCode} was cancelled.` : "Voucher cancelled.",
      };
    case "POINTS_EXPIRED":
      return { label: "Points expired", detail: expiryDetail(r.note) };
    case "MERGE":
      return { label: "Points from your other account", detail: null };
  }
}

/** "Expired: no completed booking for 12 months" → "No completed booking for 12 months." */
function expiryDetail(note: string | null): string | null {
  const text = note?.replace(/^Expired:\s*/i, "").trim();
  if (!text) return null;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith(".") ? "" : "."}`;
}
