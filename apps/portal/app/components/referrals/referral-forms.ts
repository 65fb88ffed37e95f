import { z } from "zod";

/**
 * "Did a friend invite you?": a friend's code, before the first visit (ADR 022). Spaces and
 * dashes are dropped and the length checked by the procedure (packages/core loyalty/referrals.ts).
 */
export const applyCodeForm = z.object({
  code: z.string({ message: "Enter a referral code." }),
});
