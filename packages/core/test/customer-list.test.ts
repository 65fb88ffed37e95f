import { countCustomers, customerById, listCustomers } from "@xplorium/core/customers";
import { seedDemoData } from "@xplorium/core/seed";
import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUSTOMER_SORTS, type CustomerSort, SEARCH_WINDOW } from "../src/customers/customer-list";
import { RELEVANCE_MAX_MATCHES } from "../src/customers/customer-query";
import { useTestDatabase } from "./support";

const t = useTestDatabase(async () => {
  await seedDemoData(t.db, { currency: "EUR", today: new Date("2026-11-24T12:00:00Z") });
  await t.db.insert(schema.customers).values([
    {
      email: "john.smith@example.org",
      name: "John Smith",
      phone: "+381641234567",
      referralCode: "XPJOHN01",
      tags: ["vip-party", "twins"],
    },
    { email: "jane.doe@example.org", name: "Jane Doe", referralCode: "XPJANE01", erasedAt: null },
  ]);
  // An erased customer never shows up.
  await t.db
    .insert(schema.customers)
    .values({ email: null, name: null, referralCode: "XPGONE01", erasedAt: new Date() });
});

async function everyPage(
  sort: CustomerSort,
  dir: "asc" | "desc",
  extra: Record<string, unknown> = {},
) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const page = await listCustomers(
      { db: t.db },
      {
        sort,
        dir,
        limit: 37,
        ...extra,
        ...(cursor ? { cursor } : {}),
      },
    );
    total = page.total ?? -1;
    ids.push(...page.items.map((r) => r.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { ids, total };
}

describe("customers.list", () => {
  it("finds John Smith from a typo ('jon smth') first", async () => {
    const page = await listCustomers({ db: t.db }, { q: "jon smth" });
    expect(page.sort).toBe("relevance");
    expect(page.items[0]?.name).toBe("John Smith");
  });

  it("searches email and phone too", async () => {
    expect(
      (await listCustomers({ db: t.db }, { q: "jane.doe@" })).items.map((r) => r.name),
    ).toEqual(["Jane Doe"]);
    expect(
      (await listCustomers({ db: t.db }, { q: "064 123 4567" })).items.map((r) => r.name),
    ).toContain("John Smith");
    // LIKE wildcards in the query are literal characters.
    expect((await listCustomers({ db: t.db }, { q: "%_%" })).total).toBe(0);
  });

  it.each(
    CUSTOMER_SORTS.filter((s) => s !== "relevance").flatMap(
      (s) =>
        [
          [s, "asc"],
          [s, "desc"],
        ] as const,
    ),
  )("pages through every customer once sorted by %s %s", async (sort, dir) => {
    const { ids, total } = await everyPage(sort, dir);
    const [{ n }] =
      (await t.sql`select count(*)::int as n from customers where erased_at is null`) as unknown as [
        { n: number },
      ];
    expect(total).toBe(n);
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
  });

  it("orders pages by the sort column", async () => {
    const page = await listCustomers({ db: t.db }, { sort: "points", dir: "desc", limit: 100 });
    const points = page.items.map((r) => r.loyaltyPoints);
    expect(points).toEqual([...points].sort((a, b) => b - a));
  });

  it("neither repeats nor skips rows when customers are added between pages", async () => {
    const first = await listCustomers({ db: t.db }, { sort: "email", dir: "asc", limit: 50 });
    await t.db.insert(schema.customers).values([
      { email: "aaaa-new@example.org", referralCode: "XPNEW001" },
      { email: "zzzz-new@example.org", referralCode: "XPNEW002" },
    ]);
    const seen = new Set(first.items.map((r) => r.id));
    let cursor = first.nextCursor;
    const later: string[] = [];
    while (cursor) {
      const page = await listCustomers(
        { db: t.db },
        { sort: "email", dir: "asc", limit: 50, cursor },
      );
      later.push(...page.items.map((r) => r.email ?? ""));
      for (const r of page.items) {
        expect(seen.has(r.id)).toBe(false);
        seen.add(r.id);
      }
      cursor = page.nextCursor;
    }
    // The row added after the current position appears; the one before it (already passed) does not.
    expect(later).toContain("zzzz-new@example.org");
    expect(later).not.toContain("aaaa-new@example.org");
  });

  it("applies every filter, and the total counts the filtered list", async () => {
    const from = new Date("2026-06-01T00:00:00Z");
    const filtered = await everyPage("lastBooking", "desc", {
      tiers: ["SILVER", "GOLD"],
      emailOptIn: true,
      minBookings: 2,
      lastBookingFrom: from,
    });
    const expected = await t.sql`select id from customers where erased_at is null
      and loyalty_tier in ('SILVER','GOLD') and marketing_opt_in and total_bookings >= 2
      and last_booking_at >= ${from.toISOString()}`;
    expect(filtered.total).toBe(expected.length);
    expect(new Set(filtered.ids)).toEqual(new Set(expected.map((r) => r.id)));
    expect(filtered.total).toBeGreaterThan(0);

    const tagged = await listCustomers({ db: t.db }, { tags: ["vip-party", "twins"] });
    expect(tagged.items.map((r) => r.name)).toEqual(["John Smith"]);
  });

  it("rejects a cursor from another sort", async () => {
    const page = await listCustomers({ db: t.db }, { sort: "email", dir: "asc", limit: 5 });
    await expect(
      listCustomers({ db: t.db }, { sort: "name", dir: "asc", cursor: page.nextCursor! }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(listCustomers({ db: t.db }, { cursor: "garbage" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("customers.byId", () => {
  it("returns the profile with recent bookings and points, newest first", async () => {
    const [ana] = await t.sql`select id from customers where email = 'parent@example.com'`;
    const detail = await customerById({ db: t.db }, { id: ana!.id as string });
    expect(detail.customer.name).toBe("Ana Petrović");
    expect(detail.recentBookings.length).toBeGreaterThan(0);
    const times = detail.recentPoints.map((p) => p.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("hides erased customers", async () => {
    const [gone] = await t.sql`select id from customers where referral_code = 'XPGONE01'`;
    await expect(customerById({ db: t.db }, { id: gone!.id as string })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("customers.list without a chosen sort", () => {
  let big: TestDatabase;
  beforeAll(async () => {
    big = await createTestDatabase();
    // 3,000 Martas (more than RELEVANCE_MAX_MATCHES) and 30 Zoras, with booking dates.
    await big.sql`insert into customers (email, name, referral_code, last_booking_at)
      select 'marta' || g || '@example.com', 'Marta Jović ' || g, 'XPMART' || g,
             now() - make_interval(days => g)
      from generate_series(1, 3000) g`;
    await big.sql`insert into customers (email, name, referral_code, last_booking_at)
      select 'zora' || g || '@example.com', 'Zora Quinby' || repeat('x', g % 7), 'XPZORA' || g,
             now() - make_interval(hours => g)
      from generate_series(1, 30) g`;
    await big.sql`analyze customers`;
  });
  afterAll(async () => {
    await big.drop();
  });

  it("ranks a search with few matches by relevance", async () => {
    const page = await listCustomers({ db: big.db }, { q: "zora quinby", limit: 5 });
    expect(page.sort).toBe("relevance");
    expect(page.items[0]?.name).toBe("Zora Quinby");
  });

  it("orders a search with many matches by last booking, without ranking them all", async () => {
    expect(RELEVANCE_MAX_MATCHES).toBeLessThan(3000);
    const page = await listCustomers({ db: big.db }, { q: "marta", limit: 10 });
    expect(page.sort).toBe("lastBooking");
    expect(page.dir).toBe("desc");
    expect(page.items.map((r) => r.email)).toEqual(
      Array.from({ length: 10 }, (_, i) => `marta${i + 1}@example.com`),
    );
    // A chosen sort wins.
    expect(
      (await listCustomers({ db: big.db }, { q: "marta", sort: "relevance", limit: 1 })).sort,
    ).toBe("relevance");
  });

  it("keeps the first page's order on the next pages", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCustomers(
        { db: big.db },
        {
          q: "zora",
          limit: 7,
          ...(cursor ? { cursor } : {}),
        },
      );
      expect(page.sort).toBe("relevance");
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it("pages a search in last-booking order right when its matches lie beyond the first window", async () => {
    // 40 families who last came twenty years ago: none among the latest SEARCH_WINDOW customers, so
    // the window finds nothing and the page comes through the trigram indexes instead.
    await big.sql`insert into customers (email, name, referral_code, last_booking_at)
      select 'vesna' || g || '@example.com', 'Vesna Quillon ' || g, 'XPVESN' || g,
             now() - make_interval(years => 20, days => g)
      from generate_series(1, 40) g`;
    const expected = (
      await big.sql`select email from customers where erased_at is null
        and (email ilike '%quillon%' or name ilike '%quillon%' or name % 'quillon'
             or email % 'quillon')
        order by coalesce(last_booking_at, '-infinity') desc, id desc`
    ).map((r) => r.email as string);
    expect(expected).toHaveLength(40);
    const inWindow = new Set(
      (
        await big.sql`select email from customers where erased_at is null
          order by coalesce(last_booking_at, '-infinity') desc, id desc limit ${SEARCH_WINDOW}`
      ).map((r) => r.email as string),
    );
    expect(expected.filter((e) => inWindow.has(e))).toEqual([]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCustomers(
        { db: big.db },
        {
          q: "quillon",
          sort: "lastBooking",
          limit: 15,
          withTotal: false,
          ...(cursor ? { cursor } : {}),
        },
      );
      seen.push(...page.items.map((r) => r.email ?? ""));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expected);
    await big.sql`delete from customers where email like 'vesna%@example.com'`;
  });

  it("leaves the total out when asked, and customers.count gives it", async () => {
    const page = await listCustomers({ db: big.db }, { q: "marta", withTotal: false });
    expect(page.total).toBeNull();
    expect(page.items).toHaveLength(25);
    expect(await countCustomers({ db: big.db }, { q: "marta" })).toEqual({ total: 3000 });
    expect((await listCustomers({ db: big.db }, { q: "marta" })).total).toBe(3000);
  });
});
