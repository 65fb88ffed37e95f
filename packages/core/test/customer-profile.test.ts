import {
  changeTag,
  customerTimeline,
  customerUpsertInput,
  setCustomerNotes,
  updateCustomer,
  upsertCustomer,
} from "@xplorium/core/customers";
import { adjustPoints } from "@xplorium/core/loyalty";
import { schema } from "@xplorium/db";
import { insertStaffActor, testMeta } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./support";

let actor: Awaited<ReturnType<typeof insertStaffActor>>;
const meta = testMeta;
const RS = { DEFAULT_PHONE_REGION: "RS" };

const t = useTestDatabase(async () => {
  actor = await insertStaffActor(t.db, { name: "Desk Dana" });
});

const upsert = (raw: Record<string, unknown>) =>
  upsertCustomer({ db: t.db, actor, meta, config: RS }, customerUpsertInput.parse(raw));

describe("customers.upsert", () => {
  it("normalises email case and whitespace and phones to E.164, finding the same customer", async () => {
    const a = await upsert({
      email: "  Mila.Jovanovic@Example.COM ",
      name: "Mila",
      phone: "064 123 4567",
    });
    expect(a.created).toBe(true);
    expect(a.customer).toMatchObject({
      email: "mila.jovanovic@example.com",
      phone: "+381641234567",
      marketingOptIn: false,
      smsOptIn: false,
    });
    const b = await upsert({ email: "mila.jovanovic@example.com", phone: "+381 64 123 4567" });
    expect(b.created).toBe(false);
    expect(b.customer.id).toBe(a.customer.id);
    const audit = await t.sql`select action from audit_log where entity_id = ${a.customer.id}`;
    // The second call changed nothing, so it audited nothing.
    expect(audit.map((r) => r.action)).toEqual(["customer.created"]);
  });

  it("gives a clear field error for an impossible phone number or email", async () => {
    await expect(upsert({ email: "x@example.com", phone: "12" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { phone: [expect.stringContaining("not a valid phone number")] },
    });
    expect(customerUpsertInput.safeParse({ email: "not-an-email" }).success).toBe(false);
  });

  it("finds the survivor through a merged-away alias", async () => {
    const survivor = await upsert({ email: "family@example.com", name: "Family" });
    await t.db
      .insert(schema.customerEmailAliases)
      .values({ email: "old.family@example.com", customerId: survivor.customer.id });
    const again = await upsert({ email: "Old.Family@example.com" });
    expect(again).toMatchObject({ created: false, customer: { id: survivor.customer.id } });
  });

  it("converges concurrent creations of one email on one customer", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => upsert({ email: "race@example.com", name: "Race" })),
    );
    expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });
});

describe("customers.update", () => {
  it("changes profile fields, audits before/after, and restarts the birthday lock", async () => {
    const { customer } = await upsert({ email: "edit@example.com", name: "Before" });
    const r = await updateCustomer(
      { db: t.db, actor, meta, config: RS },
      {
        customerId: customer.id,
        name: "After",
        birthDate: "2019-04-02",
        preferredContactMethod: "SMS",
        clear: [],
      },
    );
    expect(r.changed).toBe(true);
    expect(r.customer).toMatchObject({ name: "After", birthDate: "2019-04-02" });
    expect(r.customer.birthDateSetAt).toBeInstanceOf(Date);
    const [audit] = await t.sql`select details from audit_log
      where entity_id = ${customer.id} and action = 'customer.updated'`;
    expect(audit!.details).toEqual({
      changes: {
        name: { before: "Before", after: "After" },
        birthDate: { before: null, after: "2019-04-02" },
        preferredContactMethod: { before: "EMAIL", after: "SMS" },
      },
    });
    const again = await updateCustomer(
      { db: t.db, actor, meta, config: RS },
      { customerId: customer.id, name: "After", clear: [] },
    );
    expect(again.changed).toBe(false);
  });
});

describe("customers.timeline", () => {
  it("merges points, tags, notes and tier changes newest first, paginating without gaps", async () => {
    const { customer } = await upsert({ email: "timeline@example.com", name: "Tim" });
    await adjustPoints(
      { db: t.db, actor, meta },
      {
        customerId: customer.id,
        delta: 1150,
        reason: "Party compensation",
      },
    );
    await changeTag(
      { db: t.db, actor, meta },
      { customerId: customer.id, tag: "vip-family", op: "add" },
    );
    await setCustomerNotes(
      { db: t.db, actor, meta },
      { customerId: customer.id, notes: "Nut allergy" },
    );

    const first = await customerTimeline({ db: t.db }, { customerId: customer.id, limit: 2 });
    expect(first.events).toHaveLength(2);
    const seen = [...first.events];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await customerTimeline(
        { db: t.db },
        { customerId: customer.id, limit: 2, cursor },
      );
      seen.push(...page.events);
      cursor = page.nextCursor;
    }
    expect(new Set(seen.map((e) => e.key)).size).toBe(seen.length);
    const kinds = seen.map((e) => {
      const what = e.kind === "tier" ? e.data.to : (e.data.action ?? e.data.reason);
      return `${e.kind}:${what as string}`;
    });
    expect(kinds).toEqual(
      expect.arrayContaining([
        "points:MANUAL_ADJUSTMENT",
        "tier:SILVER",
        "note:customer.tag_added",
        "note:customer.notes_set",
        "note:customer.created",
      ]),
    );
    expect(seen).toHaveLength(5);
    // Newest first.
    expect(seen.map((e) => e.at)).toEqual([...seen.map((e) => e.at)].sort().reverse());
    const points = seen.find((e) => e.kind === "points")!;
    expect(points.data).toMatchObject({
      delta: 1150,
      note: "Party compensation",
      staff: "Desk Dana",
    });
  });
});
