import type { FormResultLike } from "@xplorium/ui";
import { z } from "zod";

/**
 * The rewards page's one form: redeem a reward with this render's idempotency key (ADR 022).
 * The messages are the redeem procedure's (packages/core loyalty/vouchers.ts).
 */
export const redeemForm = z.object({
  rewardId: z.uuid({ message: "Choose a reward." }),
  idempotencyKey: z.uuid({ message: "Invalid request key." }),
});

/**
 * A failed redeem as one message (the form has only hidden fields, so their errors are the
 * message too), and the reward it was for.
 */
export function redeemFailure(result: FormResultLike | null | undefined) {
  if (!result || result.ok) return null;
  const { error, initialValue } = result.reply;
  const rewardId = initialValue?.rewardId;
  return {
    rewardId: typeof rewardId === "string" ? rewardId : null,
    message:
      error?.rewardId?.[0] ?? error?.idempotencyKey?.[0] ?? result.message ?? "Please try again.",
  };
}

/** A reward as the rewards page shows it. */
export interface RewardOffer {
  id: string;
  name: string;
  description: string | null;
  pointsCost: number;
  inStock: boolean;
  validityDays: number;
}
