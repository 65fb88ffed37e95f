import { changeTag, setCustomerNotes, tagSchema, tagSuggestions } from "@xplorium/core/customers";
import { schema } from "@xplorium/db";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./support";

let customerId: string;
const actor = {
  type: "staff" as const,
  id: "00000000-0000-4000-8000-000000000001",
  role: "FRONT_DESK" as const,
};
const meta = { ip: "127.0.0.1", userAgent: null, requestId: "r" };

const t = useTestDatabase(async () => {
  const [row] = await t.db
    .insert(schema.customers)
    .values({
      email: "tags@example.org",
      name: "Tag Family",
      referralCode: "XPTAGS01",
      tags: ["twins"],
    })
    .returning();
  customerId = row!.id;
  await t.db.insert(schema.customers).values({
    email: "other@example.org",
    referralCode: "XPTAGS02",
    tags: ["twins", "party-regular"],
  });
});

const audits = async (action: string) =>
  (
    await t.sql`select count(*)::int as n from audit_log where action = ${action} and entity_id = ${customerId}`
  )[0]!.n as number;

describe("customer tags and notes", () => {
  it("normalises tags to slugs and refuses junk", () => {
    expect(tagSchema.parse("  Party Regular ")).toBe("party-regular");
    expect(tagSchema.safeParse("<script>").success).toBe(false);
    expect(tagSchema.safeParse("").success).toBe(false);
  });

  it("adds a tag once, even when two staff add it at the same moment, and audits the change", async () => {
    const results = await Promise.all([
      changeTag({ db: t.db, actor, meta }, { customerId, tag: "birthday-regular", op: "add" }),
      changeTag({ db: t.db, actor, meta }, { customerId, tag: "birthday-regular", op: "add" }),
    ]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    const [row] = await t.sql`select tags from customers where id = ${customerId}`;
    expect(row!.tags).toEqual(["twins", "birthday-regular"]);
    expect(await audits("customer.tag_added")).toBe(1);
  });

  it("removes a tag, and removing a missing one changes and audits nothing", async () => {
    expect(
      (await changeTag({ db: t.db, actor, meta }, { customerId, tag: "twins", op: "remove" })).tags,
    ).toEqual(["birthday-regular"]);
    expect(
      (await changeTag({ db: t.db, actor, meta }, { customerId, tag: "twins", op: "remove" }))
        .changed,
    ).toBe(false);
    expect(await audits("customer.tag_removed")).toBe(1);
  });

  it("answers NOT_FOUND for an unknown customer", async () => {
    await expect(
      changeTag(
        { db: t.db, actor, meta },
        {
          customerId: "00000000-0000-4000-8000-00000000dead",
          tag: "x",
          op: "add",
        },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("saves notes with before/after in the audit log", async () => {
    await setCustomerNotes({ db: t.db, actor, meta }, { customerId, notes: "Nut allergy." });
    await setCustomerNotes({ db: t.db, actor, meta }, { customerId, notes: "  Nut allergy.  " });
    await setCustomerNotes({ db: t.db, actor, meta }, { customerId, notes: "" });
    const rows =
      await t.sql`select details from audit_log where action = 'customer.notes_set' and entity_id = ${customerId} order by id`;
    expect(rows.map((r) => r.details)).toEqual([
      { before: null, after: "Nut allergy." },
      { before: "Nut allergy.", after: null },
    ]);
  });

  it("suggests tags in use, most used first", async () => {
    await t.db
      .insert(schema.customers)
      .values({ email: "third@example.org", referralCode: "XPTAGS03", tags: ["twins"] });
    // twins ×2, then the rest once each, alphabetically.
    expect(await tagSuggestions({ db: t.db }, { prefix: "" })).toEqual([
      "twins",
      "birthday-regular",
      "party-regular",
    ]);
    expect(await tagSuggestions({ db: t.db }, { prefix: "par" })).toEqual(["party-regular"]);
    expect(await tagSuggestions({ db: t.db }, { prefix: "%" })).toEqual([]);
  });
});
