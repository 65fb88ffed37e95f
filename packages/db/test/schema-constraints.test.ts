import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** drizzle wraps the driver error; the constraint name is on its cause. */
const violates = (constraint: string) => ({ cause: { constraint_name: constraint } });
const raises = (message: RegExp) => ({ cause: { message: expect.stringMatching(message) } });

const customer = (email: string, referralCode: string) => ({ email, referralCode });

describe("database constraints", () => {
  it("has pg_trgm and the job queue schema from migrations", async () => {
    const ext = await t.sql`select extname from pg_extension where extname = 'pg_trgm'`;
    expect(ext).toHaveLength(1);
    const queue =
      await t.sql`select 1 from information_schema.schemata where schema_name = 'graphile_worker'`;
    expect(queue).toHaveLength(1);
  });

  it("rejects an email that is not normalised", async () => {
    await expect(
      t.db.insert(schema.customers).values(customer(" Mixed@Example.com", "XPAAAAAA")),
    ).rejects.toMatchObject(violates("customers_email_normalised"));
  });

  it("keeps emails unique", async () => {
    await t.db.insert(schema.customers).values(customer("a@example.com", "XPAAAAAB"));
    await expect(
      t.db.insert(schema.customers).values(customer("a@example.com", "XPAAAAAC")),
    ).rejects.toMatchObject(violates("customers_email_key"));
  });

  it("keeps ledger idempotency keys unique and deltas non-zero", async () => {
    const [c] = await t.db
      .insert(schema.customers)
      .values(customer("ledger@example.com", "XPAAAAAD"))
      .returning();
    const row = {
      customerId: c!.id,
      delta: 100,
      reason: "MANUAL_ADJUSTMENT" as const,
      balanceAfter: 100,
      countsTowardLifetime: true,
      lifetimeAfter: 100,
      idempotencyKey: "k1",
    };
    await t.db.transaction(async (tx) => {
      await tx.insert(schema.loyaltyLedger).values(row);
      await tx
        .update(schema.customers)
        .set({ loyaltyPoints: 100 })
        .where(eq(schema.customers.id, c!.id));
    });
    await expect(t.db.insert(schema.loyaltyLedger).values(row)).rejects.toMatchObject(
      violates("loyalty_ledger_idempotency_key"),
    );
    await expect(
      t.db.insert(schema.loyaltyLedger).values({ ...row, idempotencyKey: "k2", delta: 0 }),
    ).rejects.toMatchObject(violates("loyalty_ledger_delta_nonzero"));
  });

  it("refuses any commit where a balance and its ledger sum disagree", async () => {
    const [c] = await t.db
      .insert(schema.customers)
      .values(customer("drift@example.com", "XPAAAAAE"))
      .returning();
    const id = c!.id;
    // Points without a ledger row.
    await expect(
      t.db.update(schema.customers).set({ loyaltyPoints: 50 }).where(eq(schema.customers.id, id)),
    ).rejects.toMatchObject(raises(/does not match its ledger sum/));
    // A ledger row without the points.
    await expect(
      t.db.insert(schema.loyaltyLedger).values({
        customerId: id,
        delta: 50,
        reason: "MANUAL_ADJUSTMENT",
        balanceAfter: 50,
        countsTowardLifetime: true,
        lifetimeAfter: 50,
        idempotencyKey: "drift-1",
      }),
    ).rejects.toMatchObject(raises(/does not match its ledger sum/));
    const [after] = await t.sql`select loyalty_points, (select count(*)::int from loyalty_ledger
      where customer_id = ${id}) as rows from customers where id = ${id}`;
    expect(after).toEqual({ loyalty_points: 0, rows: 0 });
  });

  it("keeps the ledger append-only", async () => {
    const [c] = await t.db
      .insert(schema.customers)
      .values(customer("append@example.com", "XPAAAAAF"))
      .returning();
    await t.db.transaction(async (tx) => {
      await tx.insert(schema.loyaltyLedger).values({
        customerId: c!.id,
        delta: 10,
        reason: "MANUAL_ADJUSTMENT",
        note: "welcome",
        balanceAfter: 10,
        countsTowardLifetime: true,
        lifetimeAfter: 10,
        idempotencyKey: "append-1",
      });
      await tx
        .update(schema.customers)
        .set({ loyaltyPoints: 10 })
        .where(eq(schema.customers.id, c!.id));
    });
    const key = eq(schema.loyaltyLedger.idempotencyKey, "append-1");
    await expect(
      t.db.update(schema.loyaltyLedger).set({ delta: 1000 }).where(key),
    ).rejects.toMatchObject(raises(/append-only/));
    await expect(t.db.delete(schema.loyaltyLedger).where(key)).rejects.toMatchObject(
      raises(/append-only/),
    );
    // Erasure may clear a note.
    await t.db.update(schema.loyaltyLedger).set({ note: null }).where(key);
  });

  it("binds a session to exactly one principal", async () => {
    await expect(
      t.db
        .insert(schema.sessions)
        .values({ id: "s1", secretHash: new Uint8Array(32), kind: "STAFF" }),
    ).rejects.toMatchObject(violates("sessions_one_principal"));
  });

  it("uses trigram indexes for customer search", async () => {
    await t.sql`set enable_seqscan = off`;
    const plan = await t.sql`explain select id from customers where email ilike ${"%exam%"}`;
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/customers_email_trgm_idx/);
  });
});
