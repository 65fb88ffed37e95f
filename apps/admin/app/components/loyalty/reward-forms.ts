import { z } from "zod";
import { nameAndDescription, typedNumber } from "~/lib/form-schemas";

/**
 * The rewards page's forms and the union on `intent` its action parses (ADR 022). The limits
 * and messages are the reward procedures' own (packages/core loyalty/rewards.ts), so the browser
 * says what the server would.
 */

const rewardFields = {
  ...nameAndDescription("reward"),
  pointsCost: typedNumber(
    z
      .number({ message: "Enter how many points it costs." })
      .int({ message: "Points are whole numbers." })
      .min(1, { message: "The points cost must be more than zero." })
      .max(1_000_000, { message: "At most 1,000,000 points." }),
    "Enter how many points it costs.",
  ),
  /** Empty: unlimited. */
  stock: typedNumber(
    z
      .number({ message: "Enter a number, or leave it empty for unlimited." })
      .int({ message: "Stock is a whole number." })
      .min(0, { message: "Stock cannot be negative." })
      .max(1_000_000, { message: "At most 1,000,000." }),
    "Enter a number, or leave it empty for unlimited.",
  ).optional(),
  voucherValidityDays: typedNumber(
    z
      .number({ message: "Enter for how many days a voucher is valid." })
      .int({ message: "Days are whole numbers." })
      .min(1, { message: "A voucher must be valid for at least a day." })
      .max(3650, { message: "At most 3,650 days (10 years)." }),
    "Enter for how many days a voucher is valid.",
  ),
  /** The "Offered to customers" checkbox: absent when unticked. */
  active: z.boolean().default(false),
};

export const createRewardForm = z.object({ intent: z.literal("create"), ...rewardFields });
export const updateRewardForm = z.object({
  intent: z.literal("update"),
  id: z.string(),
  ...rewardFields,
});

export const rewardForms = z.discriminatedUnion("intent", [
  createRewardForm,
  updateRewardForm,
  z.object({ intent: z.literal("activate"), id: z.string() }),
  z.object({ intent: z.literal("deactivate"), id: z.string() }),
]);
