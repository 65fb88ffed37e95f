import type { StaffRole } from "@xplorium/auth";
import { schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertCustomer, staffCaller, unique, useTrpcServers } from "./support";

const { t, env } = useTrpcServers({ apps: [] });

/** A caller signed in as a fresh staff member of the role, through a real session cookie. */
const callerAs = (role: StaffRole) => staffCaller(t.db, env, role, "merge-api-test");

async function family(phone: string) {
  const a = await insertCustomer(t.db, { email: `parent-${unique()}@example.com`, name: "Parent" });
  const b = await insertCustomer(t.db, { email: `parent-${unique()}@example.org`, name: "Other" });
  await t.db.update(schema.customers).set({ phone }).where(eq(schema.customers.id, a.id));
  await t.db.update(schema.customers).set({ phone }).where(eq(schema.customers.id, b.id));
  return { a, b };
}

describe("customers.duplicates / mergePreview / merge", () => {
  it("a manager sees the suggestion, previews and merges; the audit names them", async () => {
    const { a, b } = await family("+381641230001");
    const { api, staff } = await callerAs("MANAGER");
    const dupes = await api.customers.duplicates({ customerId: a.id });
    expect(dupes).toEqual([expect.objectContaining({ id: b.id, reasons: ["SAME_PHONE"] })]);

    const preview = await api.customers.mergePreview({ survivorId: a.id, mergedId: b.id });
    expect(preview.result).toMatchObject({ id: a.id, aliases: [b.email] });

    const merged = await api.customers.merge({
      survivorId: a.id,
      mergedId: b.id,
      keep: { name: "merged" },
    });
    expect(merged.customer).toMatchObject({ id: a.id, name: "Other", email: a.email });
    await expect(api.customers.byId({ id: b.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [audit] = await t.sql`select actor_id, request_id from audit_log
      where action = 'customer.merged' and entity_id = ${a.id}`;
    expect(audit).toEqual({ actor_id: staff.id, request_id: "merge-api-test" });
  });

  it("front desk and marketing may see suggestions but not preview or merge", async () => {
    const { a, b } = await family("+381641230002");
    for (const role of ["FRONT_DESK", "MARKETING"] as const) {
      const { api } = await callerAs(role);
      expect(await api.customers.duplicates({ customerId: a.id })).toHaveLength(1);
      await expect(
        api.customers.mergePreview({ survivorId: a.id, mergedId: b.id }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(api.customers.merge({ survivorId: a.id, mergedId: b.id })).rejects.toMatchObject(
        { code: "FORBIDDEN" },
      );
    }
    // Both still exist.
    const rows = await t.sql`select id from customers where id in (${a.id}, ${b.id})`;
    expect(rows).toHaveLength(2);
  });

  it("validates input with human messages", async () => {
    const { a } = await family("+381641230003");
    const { api } = await callerAs("OWNER");
    await expect(
      api.customers.merge({ survivorId: a.id, mergedId: "not-a-uuid" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.customers.merge({ survivorId: a.id, mergedId: a.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "A customer cannot be merged into itself.",
    });
  });
});
