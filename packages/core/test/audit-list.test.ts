import { listAudit, recordAudit } from "@xplorium/core/audit";
import { schema } from "@xplorium/db";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./support";

let staffId: string;
const meta = { ip: "127.0.0.1", userAgent: null, requestId: "req-1" };

const t = useTestDatabase(async () => {
  const [s] = await t.db
    .insert(schema.staffUsers)
    .values({
      email: "auditor@example.org",
      name: "Audrey Auditor",
      role: "OWNER",
      passwordHash: "x",
    })
    .returning();
  staffId = s!.id;
  const actor = { type: "staff" as const, id: staffId, role: "OWNER" as const };
  for (let i = 0; i < 7; i++) {
    await recordAudit(t.db, actor, meta, {
      action: i % 2 ? "staff.update" : "customer.tag",
      entityType: "customer",
      entityId: `c${i}`,
      details: { i },
    });
  }
  await recordAudit(t.db, { type: "system" }, meta, { action: "auth.purge" });
});

describe("audit.list", () => {
  it("pages newest first without gaps or repeats, naming staff actors", async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await listAudit({ db: t.db }, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(8);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const first = await listAudit({ db: t.db }, { actorType: "STAFF", limit: 1 });
    expect(first.items[0]?.actorName).toBe("Audrey Auditor");
  });

  it("filters by action prefix, actor and target", async () => {
    expect(
      (await listAudit({ db: t.db }, { action: "staff." })).items.every(
        (e) => e.action === "staff.update",
      ),
    ).toBe(true);
    expect((await listAudit({ db: t.db }, { action: "staff." })).items).toHaveLength(3);
    expect(
      (await listAudit({ db: t.db }, { actorType: "SYSTEM" })).items.map((e) => e.action),
    ).toEqual(["auth.purge"]);
    expect(
      (await listAudit({ db: t.db }, { entityType: "customer", entityId: "c4" })).items,
    ).toHaveLength(1);
    // LIKE wildcards are literal.
    expect((await listAudit({ db: t.db }, { action: "%" })).items).toHaveLength(0);
  });
});
