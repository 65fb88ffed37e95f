import { createReward, updateReward } from "@xplorium/core/loyalty";
import { portalSummary } from "@xplorium/core/portal";
import { type Database, schema } from "@xplorium/db";
import {
  createTestDatabase,
  insertCustomer,
  insertStaff,
  type TestDatabase,
  unique,
} from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  activeRewardCatalogue,
  forgetRewardCatalogue,
  REWARD_CATALOGUE_CACHE_MS,
} from "../src/loyalty/rewards";

/**
 * The portal home page's copy of the rewards catalogue (REWARD_CATALOGUE_CACHE_MS): shared by
 * every customer, reused for a few seconds, dropped at once when this process edits a reward,
 * and re-read once older than the cache time when another process (the admin) edited it.
 */

let t: TestDatabase;
let manager: { type: "staff"; id: string; role: "MANAGER" };
const meta = { ip: null, userAgent: null, requestId: "catalogue" };
let statements: string[];
/** The app's handle with its statements counted (a separate handle: a separate cache). */
let counted: Database;

beforeAll(async () => {
  t = await createTestDatabase();
  manager = {
    type: "staff",
    id: (await insertStaff(t.db, { role: "MANAGER" })).id,
    role: "MANAGER",
  };
  statements = [];
  counted = drizzle(t.sql, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query) => statements.push(query) },
  }) as unknown as Database;
});
beforeEach(() => {
  forgetRewardCatalogue(counted);
  forgetRewardCatalogue(t.db);
  statements.length = 0;
});
afterAll(async () => {
  await t.drop();
});

const nameIn = (catalogue: { id: string; name: string }[], id: string) =>
  catalogue.find((r) => r.id === id)?.name;

describe("activeRewardCatalogue", () => {
  it("is read once for concurrent callers and reused within the cache time", async () => {
    const now = Date.now();
    const all = await Promise.all(
      Array.from({ length: 20 }, () => activeRewardCatalogue(counted, now)),
    );
    expect(statements).toHaveLength(1);
    expect(new Set(all).size).toBe(1);
    await activeRewardCatalogue(counted, now + REWARD_CATALOGUE_CACHE_MS - 1);
    expect(statements).toHaveLength(1);
    await activeRewardCatalogue(counted, now + REWARD_CATALOGUE_CACHE_MS);
    expect(statements).toHaveLength(2);
  });

  it("shows an edit made by another process once the cache time has passed", async () => {
    const { id } = await createReward(
      { db: t.db, actor: manager, meta },
      {
        name: `Juice ${unique()}`,
        pointsCost: 150,
      },
    );
    const now = Date.now();
    expect(nameIn(await activeRewardCatalogue(counted, now), id)).toMatch(/^Juice/);
    // Another app process (the admin) renames it: not through this handle.
    await t.db.update(schema.rewards).set({ name: "Fresh juice" }).where(eq(schema.rewards.id, id));
    expect(nameIn(await activeRewardCatalogue(counted, now + 1000), id)).toMatch(/^Juice/);
    expect(nameIn(await activeRewardCatalogue(counted, now + REWARD_CATALOGUE_CACHE_MS), id)).toBe(
      "Fresh juice",
    );
    // Retired there: gone from the catalogue after the cache time too.
    await t.db.update(schema.rewards).set({ active: false }).where(eq(schema.rewards.id, id));
    const later = now + REWARD_CATALOGUE_CACHE_MS + 1000;
    expect(nameIn(await activeRewardCatalogue(counted, later), id)).toBe("Fresh juice");
    expect(
      nameIn(await activeRewardCatalogue(counted, later + REWARD_CATALOGUE_CACHE_MS), id),
    ).toBeUndefined();
  });

  it("an edit in this process shows at once, on the portal home page too", async () => {
    const customer = await insertCustomer(t.db);
    const { id } = await createReward(
      { db: t.db, actor: manager, meta },
      {
        name: `Cake ${unique()}`,
        pointsCost: 1_000_000,
      },
    );
    const before = await portalSummary({ db: t.db }, { customerId: customer.id });
    expect(before.rewards.next?.id).toBeDefined();

    await updateReward({ db: t.db, actor: manager, meta }, { id, pointsCost: 1 });
    expect(nameIn(await activeRewardCatalogue(t.db), id)).toMatch(/^Cake/);
    const cheaper = (await activeRewardCatalogue(t.db)).find((r) => r.id === id);
    expect(cheaper?.pointsCost).toBe(1);

    await updateReward({ db: t.db, actor: manager, meta }, { id, active: false });
    expect(nameIn(await activeRewardCatalogue(t.db), id)).toBeUndefined();
    const after = await portalSummary({ db: t.db }, { customerId: customer.id });
    expect([...after.rewards.affordable, after.rewards.next].some((r) => r?.id === id)).toBe(false);
  });

  it("is kept per database handle", async () => {
    await activeRewardCatalogue(counted);
    await activeRewardCatalogue(t.db);
    expect(statements).toHaveLength(1);
    await activeRewardCatalogue(counted);
    expect(statements).toHaveLength(1);
  });
});
