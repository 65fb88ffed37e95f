import { AppError } from "@xplorium/core/errors";
import {
  createSegment,
  deleteSegment,
  duplicateSegment,
  exportMarketingListCsv,
  getSegment,
  listSegments,
  marketingList,
  segmentCount,
  segmentPreview,
  updateSegment,
} from "@xplorium/core/marketing";
import { schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertStaffActor,
  type TestDatabase,
  testDeps,
} from "@xplorium/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SegmentFilterInput, segmentWhere } from "../src/marketing/segments";
import { emailSuppressionHash } from "../src/privacy/suppression-hash";

let t: TestDatabase;
const UTC = { timeZone: "UTC" };
/** The segment queries' configuration: days in UTC. */
const utcConfig = { TIME_ZONE: "UTC" };
const inUtc = () => ({ db: t.db, config: utcConfig });
const ids = {} as Record<"A" | "B" | "C" | "D" | "E" | "F", string>;

type NewCustomer = typeof schema.customers.$inferInsert;
async function add(key: keyof typeof ids, values: Omit<NewCustomer, "referralCode">) {
  const [row] = await t.db
    .insert(schema.customers)
    .values({ referralCode: `SEG${key}0001`, ...values })
    .returning({ id: schema.customers.id });
  ids[key] = row!.id;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await add("A", {
    email: "a@example.org",
    name: "Ana",
    loyaltyTier: "GOLD",
    tags: ["party", "twins"],
    totalBookings: 6,
    totalSpent: 50_000,
    lastBookingAt: new Date("2026-10-01T10:00:00Z"),
    birthDate: "2018-03-05",
    marketingOptIn: true,
  });
  await add("B", {
    email: "b@example.org",
    name: "Bojan",
    loyaltyTier: "SILVER",
    tags: ["party"],
    totalBookings: 2,
    totalSpent: 10_000,
    lastBookingAt: new Date("2026-06-15T12:00:00Z"),
    birthDate: "2019-11-20",
    smsOptIn: true,
  });
  await add("C", {
    email: "c@example.org",
    name: "Cveta",
    loyaltyTier: "PLATINUM",
    tags: ["school"],
    totalBookings: 10,
    totalSpent: 120_000,
    // 00:30 on 1 January in Belgrade.
    lastBookingAt: new Date("2025-12-31T23:30:00Z"),
    marketingOptIn: true,
    smsOptIn: true,
  });
  await add("D", {
    email: "d@example.org",
    name: "Dule",
    birthDate: "2020-03-09",
    marketingOptIn: true,
  });
  await add("E", {
    email: null,
    name: null,
    loyaltyTier: "GOLD",
    tags: ["party", "twins", "school"],
    totalBookings: 9,
    totalSpent: 90_000,
    lastBookingAt: new Date("2026-09-01T10:00:00Z"),
    birthDate: "2018-03-01",
    marketingOptIn: true,
    smsOptIn: true,
    erasedAt: new Date(),
  });
  await add("F", {
    email: "f@example.org",
    name: "Fica",
    loyaltyTier: "GOLD",
    tags: ["party"],
    totalBookings: 5,
    totalSpent: 30_000,
    lastBookingAt: new Date("2026-11-01T10:00:00Z"),
    marketingOptIn: true,
  });
  await t.db
    .insert(schema.suppressions)
    .values({ emailHash: emailSuppressionHash(" F@Example.org "), reason: "HARD_BOUNCE" });
});
/** The body as text, keeping the byte order mark that Response.text() drops. */
const withBom = (bytes: ArrayBuffer) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

afterAll(async () => {
  await t.drop();
});

async function matching(filter: SegmentFilterInput, opts = UTC) {
  const page = await segmentPreview(
    { db: t.db, config: { TIME_ZONE: opts.timeZone } },
    { filter, limit: 100 },
  );
  expect(page.total).toBe(
    await segmentCount({ db: t.db, config: { TIME_ZONE: opts.timeZone } }, filter),
  );
  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return page.items.map((r) => names[r.id] ?? r.id).sort();
}

describe("segment filters", () => {
  it.each<[string, SegmentFilterInput, string[]]>([
    ["no filter: every non-erased customer", {}, ["A", "B", "C", "D", "F"]],
    ["tiers", { tiers: ["GOLD", "PLATINUM"] }, ["A", "C", "F"]],
    ["tags any", { tagsAny: ["twins", "school"] }, ["A", "C"]],
    ["tags all", { tagsAll: ["party", "twins"] }, ["A"]],
    ["min bookings", { minBookings: 5 }, ["A", "C", "F"]],
    ["min spent (minor units)", { minSpent: 30_000 }, ["A", "C", "F"]],
    ["last booking after (day inclusive)", { lastBookingAfter: "2026-06-15" }, ["A", "B", "F"]],
    ["last booking before (day exclusive)", { lastBookingBefore: "2026-06-15" }, ["C"]],
    [
      "last booking between",
      { lastBookingAfter: "2026-06-16", lastBookingBefore: "2026-11-01" },
      ["A"],
    ],
    ["birthday month", { birthdayMonth: 3 }, ["A", "D"]],
    ["email opt-in", { emailOptIn: true }, ["A", "C", "D", "F"]],
    ["email opted out", { emailOptIn: false }, ["B"]],
    ["SMS opt-in", { smsOptIn: true }, ["B", "C"]],
    [
      "GOLD+ party regulars with 5+ bookings",
      { tiers: ["GOLD", "PLATINUM", "VIP"], tagsAny: ["party"], minBookings: 5 },
      ["A", "F"],
    ],
    [
      "everything at once",
      {
        tiers: ["GOLD"],
        tagsAny: ["twins"],
        tagsAll: ["party"],
        minBookings: 6,
        minSpent: 50_000,
        lastBookingAfter: "2026-10-01",
        lastBookingBefore: "2026-10-02",
        birthdayMonth: 3,
        emailOptIn: true,
        smsOptIn: false,
      },
      ["A"],
    ],
  ])("%s", async (_name, filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it("days start at midnight in the venue's time zone", async () => {
    expect(await matching({ lastBookingAfter: "2026-01-01" })).toEqual(["A", "B", "F"]);
    expect(
      await matching({ lastBookingAfter: "2026-01-01" }, { timeZone: "Europe/Belgrade" }),
    ).toEqual(["A", "B", "C", "F"]);
  });

  it("binds every value as a parameter: a hostile tag is just a tag", async () => {
    const evil = "x'); drop table customers;--";
    const query = t.db
      .select({ id: schema.customers.id })
      .from(schema.customers)
      .where(
        segmentWhere({ tagsAny: [evil], tagsAll: [evil], lastBookingAfter: "2026-01-01" }, UTC),
      )
      .toSQL();
    expect(query.sql).not.toContain("drop table");
    expect(query.params.filter((p) => String(p).includes(evil))).toHaveLength(2);
    expect(await matching({ tagsAny: [evil] })).toEqual([]);
    expect(await matching({ tagsAll: [evil] })).toEqual([]);
    const [{ n }] = (await t.db.execute(
      sql`select count(*)::int as n from customers`,
    )) as unknown as [{ n: number }];
    expect(n).toBe(6);
  });

  it("rejects an impossible date range with a field error", async () => {
    await expect(
      segmentCount(inUtc(), { lastBookingAfter: "2026-05-01", lastBookingBefore: "2026-05-01" }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe("marketing list", () => {
  it("has only opted-in, non-erased, non-suppressed customers", async () => {
    const list = await marketingList(inUtc(), { limit: 100 });
    expect(list.items.map((r) => r.id).sort()).toEqual([ids.A, ids.C, ids.D].sort());
    expect(list.total).toBe(3);
    expect(list.items[0]).toEqual({ id: ids.A, email: "a@example.org", name: "Ana", tier: "GOLD" });
  });

  it("narrows to a filter or a saved segment", async () => {
    const filter = { tiers: ["GOLD" as const], tagsAny: ["party"] };
    const byFilter = await marketingList(inUtc(), { filter });
    expect(byFilter.items.map((r) => r.id)).toEqual([ids.A]);
    const actor = await insertStaffActor(t.db, { role: "MARKETING" });
    const seg = await createSegment(testDeps(t.db, actor), { name: "Gold party", filter });
    const bySegment = await marketingList(inUtc(), { segmentId: seg.id });
    expect(bySegment.items.map((r) => r.id)).toEqual([ids.A]);
    // An opted-out filter gives nobody, whatever else it says.
    expect((await marketingList(inUtc(), { filter: { emailOptIn: false } })).total).toBe(0);
  });
});

describe("preview pagination", () => {
  it("walks every page without gaps or duplicates", async () => {
    await t.db.insert(schema.customers).values(
      Array.from({ length: 53 }, (_, i) => ({
        email: `bulk-${String((i * 37) % 53).padStart(2, "0")}-${i}@example.net`,
        name: `Bulk ${i}`,
        referralCode: `BULK${String(i).padStart(4, "0")}`,
        tags: ["bulk"],
        marketingOptIn: i % 2 === 0,
      })),
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await segmentPreview(inUtc(), {
        filter: { tagsAny: ["bulk"] },
        limit: 10,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(53);
      seen.push(...page.items.map((r) => r.email));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(53);
    expect(new Set(seen).size).toBe(53);
    expect(seen).toEqual([...seen].sort());

    const listed: string[] = [];
    cursor = undefined;
    for (let i = 0; i < 20; i++) {
      const page = await marketingList(inUtc(), {
        filter: { tagsAll: ["bulk"] },
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      listed.push(...page.items.map((r) => r.email));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(listed).toHaveLength(27);
    expect(new Set(listed).size).toBe(27);
  });

  it("refuses a forged cursor", async () => {
    await expect(segmentPreview(inUtc(), { cursor: "bm9wZQ" })).rejects.toBeInstanceOf(AppError);
  });
});

describe("saved segments", () => {
  it("creates, updates, duplicates, lists and deletes, each audited", async () => {
    const actor = await insertStaffActor(t.db, { role: "MARKETING", name: "Mia" });
    const created = await createSegment(testDeps(t.db, actor), {
      name: "  Regulars ",
      description: "5+ bookings",
      filter: { minBookings: 5 },
    });
    expect(created).toMatchObject({
      name: "Regulars",
      filter: { minBookings: 5 },
      createdByStaffId: actor.id,
    });

    const same = await updateSegment(testDeps(t.db, actor), { id: created.id, name: "Regulars" });
    expect(same.changed).toBe(false);
    const updated = await updateSegment(testDeps(t.db, actor), {
      id: created.id,
      filter: { minBookings: 6, tiers: ["GOLD"] },
    });
    expect(updated.changed).toBe(true);
    expect(updated.segment.filter).toEqual({ minBookings: 6, tiers: ["GOLD"] });

    const copy = await duplicateSegment(testDeps(t.db, actor), { id: created.id });
    expect(copy).toMatchObject({
      name: "Regulars (copy)",
      filter: { minBookings: 6, tiers: ["GOLD"] },
    });
    expect(copy.id).not.toBe(created.id);

    const fetched = await getSegment({ db: t.db }, { id: created.id });
    expect(fetched.createdByName).toBe("Mia");
    const all = await listSegments({ db: t.db });
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining([created.id, copy.id]));

    await deleteSegment(testDeps(t.db, actor), { id: copy.id });
    await expect(getSegment({ db: t.db }, { id: copy.id })).rejects.toBeInstanceOf(AppError);

    const audit = await t.db
      .select({ action: schema.auditLog.action, entityId: schema.auditLog.entityId })
      .from(schema.auditLog)
      .where(eq(schema.auditLog.actorId, actor.id))
      .orderBy(schema.auditLog.createdAt);
    expect(audit.map((a) => a.action)).toEqual([
      "segment.created",
      "segment.updated",
      "segment.duplicated",
      "segment.deleted",
    ]);
  });

  it("never widens a stored filter that no longer reads to everyone", async () => {
    const [bad] = await t.db
      .insert(schema.segments)
      .values({ name: "Old shape", filter: { tiers: ["COPPER"] } })
      .returning({ id: schema.segments.id });
    await expect(marketingList(inUtc(), { segmentId: bad!.id })).rejects.toBeInstanceOf(AppError);
    await expect(
      exportMarketingListCsv(testDeps(t.db, { type: "system" }, { config: utcConfig }), {
        segmentId: bad!.id,
      }),
    ).rejects.toBeInstanceOf(AppError);
    expect((await listSegments({ db: t.db })).find((s) => s.id === bad!.id)?.filter).toEqual({});
    await t.db.delete(schema.segments).where(eq(schema.segments.id, bad!.id));
  });

  it("rejects invalid filters", async () => {
    const actor = await insertStaffActor(t.db, { role: "MARKETING" });
    await expect(
      createSegment(testDeps(t.db, actor), { name: "Bad", filter: { birthdayMonth: 13 } }),
    ).rejects.toThrow();
    await expect(
      createSegment(testDeps(t.db, actor), {
        name: "Bad",
        filter: { lastBookingAfter: "2026-05-02", lastBookingBefore: "2026-05-01" },
      }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe("marketing list CSV", () => {
  it("streams the opted-in, non-erased, non-suppressed customers, audited", async () => {
    const actor = await insertStaffActor(t.db, { role: "MARKETING" });
    await t.db
      .update(schema.customers)
      .set({ name: "=HYPERLINK(1)" })
      .where(eq(schema.customers.id, ids.D));
    const seg = await createSegment(testDeps(t.db, actor), {
      name: "Not bulk",
      filter: { minBookings: 0, tagsAny: ["party", "school"] },
    });
    const { rowCount, stream } = await exportMarketingListCsv(
      testDeps(t.db, actor, { config: utcConfig }),
      { segmentId: seg.id },
    );
    const text = withBom(await new Response(stream).arrayBuffer());
    expect(rowCount).toBe(2);
    expect(text).toBe(
      "\uFEFFEmail,Name,Tier\na@example.org,Ana,GOLD\nc@example.org,Cveta,PLATINUM\n",
    );

    const everyone = await exportMarketingListCsv(testDeps(t.db, actor, { config: utcConfig }), {
      filter: { birthdayMonth: 3 },
    });
    expect(await new Response(everyone.stream).text()).toContain(
      "d@example.org,'=HYPERLINK(1),BRONZE",
    );
    const audit = await t.db
      .select({ action: schema.auditLog.action, entityId: schema.auditLog.entityId })
      .from(schema.auditLog)
      .where(eq(schema.auditLog.actorId, actor.id));
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "marketing_list.exported", entityId: seg.id },
        { action: "marketing_list.exported", entityId: null },
      ]),
    );
  });
});
