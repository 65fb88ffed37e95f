import { schema } from "@xplorium/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";

const c = schema.customers;

/** Tags are short slugs: "Party Regular " → "party-regular". */
export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((t) => t.replace(/\s+/g, "-"))
  .pipe(
    z
      .string()
      .min(1, { message: "Enter a tag." })
      .max(40, { message: "Tags are at most 40 characters." })
      .regex(/^[a-z0-9][a-z0-9-]*$/, { message: "Use letters, digits and dashes only." }),
  );

/**
 * Adds or removes one tag in a single UPDATE (atomic: two staff adding the same tag at once
 * leave one copy). Audited only when something changed.
 */
export async function changeTag(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: { customerId: string; tag: string; op: "add" | "remove" },
): Promise<{ tags: string[]; changed: boolean }> {
  return db.transaction(async (tx) => {
    const where = and(
      eq(c.id, input.customerId),
      isNull(c.erasedAt),
      input.op === "add"
        ? sql`not (${input.tag} = any(${c.tags}))`
        : sql`${input.tag} = any(${c.tags})`,
    );
    const [row] = await tx
      .update(c)
      .set({
        tags:
          input.op === "add"
            ? sql`array_append(${c.tags}, ${input.tag}::text)`
            : sql`array_remove(${c.tags}, ${input.tag}::text)`,
      })
      .where(where)
      .returning({ tags: c.tags });
    if (!row) {
      const [current] = await tx
        .select({ tags: c.tags })
        .from(c)
        .where(and(eq(c.id, input.customerId), isNull(c.erasedAt)))
        .limit(1);
      if (!current) throw notFound("Customer");
      return { tags: current.tags, changed: false };
    }
    await recordAudit(tx, actor, meta, {
      action: input.op === "add" ? "customer.tag_added" : "customer.tag_removed",
      entityType: "customer",
      entityId: input.customerId,
      details: { tag: input.tag },
    });
    return { tags: row.tags, changed: true };
  });
}

/** The admin notes of a customer; the audit row keeps what they said before and after. */
export async function setCustomerNotes(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: { customerId: string; notes: string },
): Promise<{ notes: string | null }> {
  const notes = input.notes.trim() || null;
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ notes: c.notes })
      .from(c)
      .where(and(eq(c.id, input.customerId), isNull(c.erasedAt)))
      .limit(1)
      .for("update");
    if (!before) throw notFound("Customer");
    if (before.notes === notes) return { notes };
    await tx.update(c).set({ notes }).where(eq(c.id, input.customerId));
    await recordAudit(tx, actor, meta, {
      action: "customer.notes_set",
      entityType: "customer",
      entityId: input.customerId,
      details: { before: before.notes, after: notes },
    });
    return { notes };
  });
}

/** Tags already in use, most used first, for suggestions while typing. */
export async function tagSuggestions(deps: DepsWith<"db">, { prefix }: { prefix: string }) {
  const rows = await deps.db.execute<{ tag: string; uses: number }>(sql`
    select tag, count(*)::int as uses
    from customers, unnest(tags) as tag
    where erased_at is null and tag like ${`${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}
    group by tag order by uses desc, tag limit 20`);
  return rows.map((r) => r.tag);
}
