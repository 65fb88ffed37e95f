import { z } from "zod";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { AppError } from "../errors";
import { postPoints, setTierVip } from "./ledger";

export const adjustPointsInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
  delta: z.coerce
    .number({ message: "Enter a number of points." })
    .int({ message: "Points are whole numbers." })
    .min(-100_000, { message: "At most 100,000 points at a time." })
    .max(100_000, { message: "At most 100,000 points at a time." })
    .refine((d) => d !== 0, { message: "Enter a number of points other than zero." }),
  reason: z
    .string()
    .trim()
    .min(3, { message: "Say why (at least 3 characters)." })
    .max(200, { message: "Keep the reason under 200 characters." }),
  /** One per form render, so a double-submitted form adjusts once. */
  idempotencyKey: z.uuid().optional(),
});
export type AdjustPointsInput = z.infer<typeof adjustPointsInput>;

function staffId(actor: Actor): string | null {
  return actor.type === "staff" ? actor.id : null;
}

/**
 * The seed's updateLoyaltyPoints: a manual +/− with a required reason, through the ledger, with
 * the tier recomputed. A deduction cannot take the balance below zero.
 */
export async function adjustPoints(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: AdjustPointsInput,
) {
  return db.transaction(async (tx) => {
    const result = await postPoints(tx, {
      customerId: input.customerId,
      delta: input.delta,
      reason: "MANUAL_ADJUSTMENT",
      note: input.reason,
      staffUserId: staffId(actor),
      // Scoped to the customer: a key can never answer for someone else's adjustment.
      idempotencyKey: `manual:${input.customerId}:${input.idempotencyKey ?? crypto.randomUUID()}`,
      requireNonNegative: input.delta < 0,
    });
    if (result.posted) {
      await recordAudit(tx, actor, meta, {
        action: "loyalty.points_adjusted",
        entityType: "customer",
        entityId: input.customerId,
        details: {
          delta: input.delta,
          reason: input.reason,
          before: { balance: result.balance - input.delta },
          after: { balance: result.balance, lifetime: result.lifetime, tier: result.tier },
          tierChange: result.tierChange,
        },
      });
    }
    return result;
  });
}

export const setVipInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
  vip: z.boolean(),
  reason: z
    .string()
    .trim()
    .max(200, { message: "Keep the reason under 200 characters." })
    .default(""),
});

/** VIP is assigned by hand and sticks; clearing it returns the customer to their earned tier. */
export async function setVip(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: z.infer<typeof setVipInput>,
) {
  if (input.vip && !input.reason) {
    throw new AppError("BAD_REQUEST", "Say why this customer becomes VIP.", {
      fieldErrors: { reason: ["Say why this customer becomes VIP."] },
    });
  }
  return db.transaction(async (tx) => {
    const change = await setTierVip(tx, {
      customerId: input.customerId,
      vip: input.vip,
      reason: input.reason || (input.vip ? "VIP set by staff" : "VIP cleared by staff"),
      staffUserId: staffId(actor),
    });
    if (change) {
      await recordAudit(tx, actor, meta, {
        action: input.vip ? "loyalty.vip_set" : "loyalty.vip_cleared",
        entityType: "customer",
        entityId: input.customerId,
        details: {
          before: { tier: change.from },
          after: { tier: change.to },
          reason: input.reason,
        },
      });
    }
    return { changed: change !== null, tier: change?.to ?? null };
  });
}
