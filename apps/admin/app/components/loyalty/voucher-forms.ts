import { z } from "zod";
import { VOUCHER_INTENTS } from "./voucher-intents";

/**
 * The forms /loyalty/vouchers' action answers (the counter page's and the customer page's
 * vouchers card's), one union on `intent` (ADR 022). The limits and messages are the voucher
 * procedures' own (packages/core loyalty/vouchers.ts).
 */

const voucherId = z.string({ message: "Unknown voucher." });

export const cancelVoucherForm = z.object({
  intent: z.literal(VOUCHER_INTENTS.cancel),
  voucherId,
  reason: z
    .string()
    .trim()
    .max(200, { message: "Keep the reason under 200 characters." })
    .optional(),
});

export const voucherForms = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal(VOUCHER_INTENTS.markUsed), voucherId }),
  cancelVoucherForm,
  z.object({
    intent: z.literal(VOUCHER_INTENTS.redeem),
    customerId: z.string({ message: "Unknown customer." }),
    rewardId: z.string({ message: "Choose a reward." }),
    idempotencyKey: z.string().optional(),
  }),
]);
