import { schema } from "@xplorium/db";
import { PREFERRED_CONTACTS } from "@xplorium/domain";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import type { Deps, DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { birthDateSchema, type PhoneConfig, phoneOrError } from "./customer-profile";

const c = schema.customers;

/**
 * The portal's profile form (right to rectification). No customer id: the procedure acts for
 * the session's customer. Name is required; a blank phone removes it; a blank birth date leaves
 * it as it is (once set, only staff change it).
 */
export const portalProfileInput = z.object({
  name: z
    .string({ message: "Enter your name." })
    .trim()
    .min(1, { message: "Enter your name." })
    .max(120, { message: "Names are at most 120 characters." }),
  phone: z
    .string()
    .trim()
    .max(40, { message: "That phone number is too long." })
    .optional()
    .transform((v) => (v ? v : undefined)),
  preferredContactMethod: z.enum(PREFERRED_CONTACTS, {
    message: "Choose how you prefer to be contacted.",
  }),
  birthDate: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(birthDateSchema.optional()),
});
export type PortalProfileInput = z.input<typeof portalProfileInput>;

export const BIRTH_DATE_LOCKED_MESSAGE =
  "Your birth date is already set. If it is wrong, ask us at the front desk to correct it.";

/** What the portal's profile page shows and edits. */
export async function portalProfile(
  { db }: DepsWith<"db">,
  { customerId }: { customerId: string },
) {
  const [row] = await db
    .select({
      email: c.email,
      name: c.name,
      phone: c.phone,
      birthDate: c.birthDate,
      preferredContactMethod: c.preferredContactMethod,
    })
    .from(c)
    .where(and(eq(c.id, customerId), isNull(c.erasedAt)))
    .limit(1);
  if (!row) throw notFound("Customer");
  // Set once by the customer; afterwards only staff change it (birthday-bonus abuse).
  return { ...row, birthDateLocked: row.birthDate !== null };
}

type Field = "name" | "phone" | "birthDate" | "preferredContactMethod";

/**
 * portal.updateProfile: the signed-in customer corrects their own name, phone (E.164 in the
 * venue's default region) and preferred contact method, and may enter their birth date once
 * (`birth_date_set_at` starts the 30-day birthday-bonus lock). Changing a birth date already on
 * file is refused: only staff can (customers.update). Audited as `customer.updated` with the
 * customer as actor; nothing is written when nothing changed.
 */
export async function updateOwnProfile(
  { db, actor, meta, config }: Deps<PhoneConfig> & { actor: Actor & { type: "customer" } },
  rawInput: PortalProfileInput,
) {
  const input = portalProfileInput.parse(rawInput);
  const phone =
    input.phone === undefined ? null : phoneOrError(input.phone, config.DEFAULT_PHONE_REGION)!;
  if (
    (input.preferredContactMethod === "SMS" || input.preferredContactMethod === "PHONE") &&
    !phone
  ) {
    throw new AppError("BAD_REQUEST", "Please check the highlighted fields.", {
      fieldErrors: { phone: ["Add a phone number so we can reach you by phone or SMS."] },
    });
  }
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(c)
      .where(and(eq(c.id, actor.id), isNull(c.erasedAt)))
      .for("update");
    if (!before) throw notFound("Customer");

    const patch: Partial<Pick<typeof c.$inferSelect, Field>> = {
      name: input.name,
      phone,
      preferredContactMethod: input.preferredContactMethod,
    };
    if (input.birthDate !== undefined && input.birthDate !== before.birthDate) {
      if (before.birthDate !== null) {
        throw new AppError("FORBIDDEN", BIRTH_DATE_LOCKED_MESSAGE, {
          fieldErrors: { birthDate: [BIRTH_DATE_LOCKED_MESSAGE] },
        });
      }
      patch.birthDate = input.birthDate;
    }
    const changes: Partial<Record<Field, { before: unknown; after: unknown }>> = {};
    for (const [key, after] of Object.entries(patch) as [Field, unknown][]) {
      if (after !== before[key]) changes[key] = { before: before[key], after };
    }
    if (Object.keys(changes).length === 0) return { changed: false as const };

    await tx
      .update(c)
      .set({ ...patch, ...(changes.birthDate ? { birthDateSetAt: new Date() } : {}) })
      .where(eq(c.id, actor.id));
    await recordAudit(tx, actor, meta, {
      action: "customer.updated",
      entityType: "customer",
      entityId: actor.id,
      details: { changes, via: "portal" },
    });
    return { changed: true as const, fields: Object.keys(changes) as Field[] };
  });
}
