import type { Env } from "@xplorium/config";
import { schema, type Tx } from "@xplorium/db";
import { PREFERRED_CONTACTS } from "@xplorium/domain";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Deps } from "../deps";
import { AppError, notFound } from "../errors";
import { emailSchema, normalizePhone } from "./identity";
import { generateReferralCode } from "./referral-code";

const c = schema.customers;

/** What profile edits read from the configuration: the region a phone without a + is in. */
export type PhoneConfig = Pick<Env, "DEFAULT_PHONE_REGION">;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A birth date as staff and the portal take it: a real date, not in the future. */
export const birthDateSchema = z.iso
  .date({ message: "Enter a date like 2018-05-21." })
  .refine((d) => d <= new Date().toISOString().slice(0, 10), {
    message: "A birth date cannot be in the future.",
  })
  .refine((d) => d >= "1900-01-01", { message: "Enter a real birth date." });

/** Editable profile fields; blank form fields mean "not given". */
export const profileFields = {
  name: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .min(1, { message: "Enter a name." })
      .max(120, { message: "Names are at most 120 characters." })
      .optional(),
  ),
  phone: z.preprocess(
    blankToUndefined,
    z.string().trim().max(40, { message: "That phone number is too long." }).optional(),
  ),
  birthDate: z.preprocess(blankToUndefined, birthDateSchema.optional()),
  preferredContactMethod: z.preprocess(
    blankToUndefined,
    z.enum(PREFERRED_CONTACTS, { message: "Choose how they prefer to be contacted." }).optional(),
  ),
};

export const customerUpdateInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
  ...profileFields,
  /** Clear these (a blank field otherwise means "leave as is"). */
  clear: z.array(z.enum(["phone", "birthDate"])).default([]),
});
export type CustomerUpdateInput = z.infer<typeof customerUpdateInput>;

export const customerUpsertInput = z.object({ email: emailSchema, ...profileFields });
export type CustomerUpsertInput = z.infer<typeof customerUpsertInput>;

/** E.164 or a field error that says what was wrong. */
export function phoneOrError(phone: string | undefined, region: string): string | undefined {
  if (phone === undefined) return undefined;
  const normalised = normalizePhone(phone, region);
  if (!normalised) {
    throw new AppError("BAD_REQUEST", "Please check the highlighted fields.", {
      fieldErrors: {
        phone: [`That is not a valid phone number (include the country code, like +381…).`],
      },
    });
  }
  return normalised;
}

type CustomerRow = typeof c.$inferSelect;
type ProfileKey = "name" | "phone" | "birthDate" | "preferredContactMethod";
const PROFILE_KEYS: ProfileKey[] = ["name", "phone", "birthDate", "preferredContactMethod"];

function diff(before: CustomerRow, patch: Partial<Pick<CustomerRow, ProfileKey>>) {
  const changed: Partial<Record<ProfileKey, { before: unknown; after: unknown }>> = {};
  for (const key of PROFILE_KEYS) {
    if (key in patch && patch[key] !== before[key]) {
      changed[key] = { before: before[key], after: patch[key] };
    }
  }
  return changed;
}

/** customers.update: name, phone, birth date, preferred contact; audited with before/after. */
export async function updateCustomer(
  { db, actor, meta, config }: Deps<PhoneConfig>,
  input: CustomerUpdateInput,
) {
  const phone = phoneOrError(input.phone, config.DEFAULT_PHONE_REGION);
  const patch: Partial<Pick<CustomerRow, ProfileKey>> = {};
  if (input.name !== undefined) patch.name = input.name;
  if (phone !== undefined) patch.phone = phone;
  else if (input.clear.includes("phone")) patch.phone = null;
  if (input.birthDate !== undefined) patch.birthDate = input.birthDate;
  else if (input.clear.includes("birthDate")) patch.birthDate = null;
  if (input.preferredContactMethod !== undefined) {
    patch.preferredContactMethod = input.preferredContactMethod;
  }
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(c)
      .where(and(eq(c.id, input.customerId), isNull(c.erasedAt)))
      .for("update");
    if (!before) throw notFound("Customer");
    const changed = diff(before, patch);
    if (Object.keys(changed).length === 0) return { customer: before, changed: false };
    const [after] = await tx
      .update(c)
      .set({
        ...patch,
        // The birthday-bonus lock counts from when the date was entered or changed.
        ...(changed.birthDate ? { birthDateSetAt: new Date() } : {}),
      })
      .where(eq(c.id, input.customerId))
      .returning();
    await recordAudit(tx, actor, meta, {
      action: "customer.updated",
      entityType: "customer",
      entityId: input.customerId,
      details: { changes: changed },
    });
    return { customer: after!, changed: true };
  });
}

/** The customer an email (or a merged-away alias of it) belongs to, locked; null when none. */
export async function findCustomerByEmailForUpdate(tx: Tx, email: string) {
  const [row] = await tx
    .select()
    .from(c)
    .where(
      and(
        isNull(c.erasedAt),
        sql`${c.id} = coalesce(
          (select id from customers where email = ${email}),
          (select customer_id from customer_email_aliases where email = ${email}))`,
      ),
    )
    .for("update");
  return row ?? null;
}

/**
 * Create or update by email inside the caller's transaction (the seed's upsertCustomer; seed
 * Step 4 calls it from booking creation). Given values overwrite, except that `fillOnly` keeps a
 * name/phone already on file (a booking form should not rename a known family). Concurrent
 * upserts of one email converge on one row.
 */
export async function upsertCustomerTx(
  tx: Tx,
  input: {
    email: string;
    name?: string;
    phone?: string | null;
    birthDate?: string;
    preferredContactMethod?: CustomerRow["preferredContactMethod"];
  },
  opts: { fillOnly?: boolean } = {},
): Promise<{ customer: CustomerRow; created: boolean; changes: ReturnType<typeof diff> }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Twice when the first finds nothing: if that lookup waited on a customer being merged away,
    // its snapshot predates the merge, and only a fresh statement sees the new alias.
    const existing =
      (await findCustomerByEmailForUpdate(tx, input.email)) ??
      (await findCustomerByEmailForUpdate(tx, input.email));
    if (existing) {
      const patch: Partial<Pick<CustomerRow, ProfileKey>> = {};
      for (const key of PROFILE_KEYS) {
        const value = input[key];
        if (value === undefined || value === null) continue;
        // fillOnly: only fill what is missing; a preference has a default, so it is never "missing".
        if (opts.fillOnly && (existing[key] !== null || key === "preferredContactMethod")) continue;
        (patch as Record<string, unknown>)[key] = value;
      }
      const changes = diff(existing, patch);
      if (Object.keys(changes).length === 0) {
        return { customer: existing, created: false, changes };
      }
      const [updated] = await tx
        .update(c)
        .set({ ...patch, ...(changes.birthDate ? { birthDateSetAt: new Date() } : {}) })
        .where(eq(c.id, existing.id))
        .returning();
      return { customer: updated!, created: false, changes };
    }
    const [created] = await tx
      .insert(c)
      .values({
        email: input.email,
        name: input.name ?? null,
        phone: input.phone ?? null,
        birthDate: input.birthDate ?? null,
        birthDateSetAt: input.birthDate ? new Date() : null,
        preferredContactMethod: input.preferredContactMethod ?? "EMAIL",
        referralCode: generateReferralCode(),
      })
      .onConflictDoNothing()
      .returning();
    if (created) return { customer: created, created: true, changes: {} };
    // Lost a race on the email (or, rarely, the referral code): read again.
  }
  throw new AppError("CONFLICT", "Could not save this customer; please try again.");
}

/** customers.upsert from the admin: create-customer form, or update when the email exists. */
export async function upsertCustomer(
  { db, actor, meta, config }: Deps<PhoneConfig>,
  input: CustomerUpsertInput,
) {
  const phone = phoneOrError(input.phone, config.DEFAULT_PHONE_REGION);
  return db.transaction(async (tx) => {
    const result = await upsertCustomerTx(tx, { ...input, phone });
    if (result.created || Object.keys(result.changes).length > 0) {
      await recordAudit(tx, actor, meta, {
        action: result.created ? "customer.created" : "customer.updated",
        entityType: "customer",
        entityId: result.customer.id,
        details: result.created
          ? { after: pickProfile(result.customer) }
          : { changes: result.changes },
      });
    }
    return { customer: result.customer, created: result.created };
  });
}

function pickProfile(row: CustomerRow) {
  return {
    email: row.email,
    name: row.name,
    phone: row.phone,
    birthDate: row.birthDate,
    preferredContactMethod: row.preferredContactMethod,
  };
}
