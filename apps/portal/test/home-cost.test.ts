import { sessionCookieName } from "@xplorium/auth";
import { CONNECTION_PARAMETERS, type Database, schema } from "@xplorium/db";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REWARD_CATALOGUE_CACHE_MS } from "../../../packages/core/src/loyalty/rewards";
import { buildPortalFamily, insertCatalogue } from "../../../tests/support/portal-fixture";
import * as home from "../app/routes/_account._index";
import { accountPage, type PortalPages, startPortalPages } from "./portal-pages";

/**
 * What one view of the portal's home page costs the database (docs/performance.md): the page's
 * three loaders share one session check, and the page's data is three statements plus the
 * rewards catalogue, which the process keeps for REWARD_CATALOGUE_CACHE_MS. Counted with
 * postgres.js's `debug` hook on the connection the app uses, over real HTTP.
 */

let pages: PortalPages;
let client: postgres.Sql;
let cookie: string;
const statements: string[] = [];

beforeAll(async () => {
  pages = await startPortalPages({
    routes: [accountPage("_account._index", null, home)],
    // The app's own connection, watched with postgres.js's `debug` hook.
    db: (t) => {
      client = postgres(t.url, {
        max: 5,
        onnotice: () => {},
        connection: CONNECTION_PARAMETERS,
        // postgres.js reads the array types once per new connection: setup, not the page's cost.
        debug: (_connection, query) => {
          if (!/pg_catalog\.pg_type/.test(query)) statements.push(query);
        },
      });
      return drizzle(client, { schema, casing: "snake_case" }) as unknown as Database;
    },
  });
  const catalogue = await insertCatalogue(pages.t.db);
  const fixture = await buildPortalFamily(pages.t.db, pages.env, catalogue);
  cookie = await pages.cookieFor(fixture.family.id);
});
afterAll(async () => {
  await client?.end({ timeout: 1 });
  await pages?.close();
});

/** The statements one GET of the home page sends. */
async function viewHome(): Promise<string[]> {
  statements.length = 0;
  const res = await fetch(`${pages.url}/`, { headers: { cookie } });
  const html = await res.text();
  expect(res.status).toBe(200);
  expect(html).toContain('data-testid="points-balance"');
  return [...statements];
}

const readsSessions = (q: string) => /\bfrom "sessions"/.test(q);
const readsRewardCatalogue = (q: string) => /\bfrom "rewards"/.test(q);

describe("portal home page cost", () => {
  it("checks the session once per view and sends at most 5 statements (4 once warm)", async () => {
    const first = await viewHome();
    // Three loaders (root, layout, page) ran; two of them need the customer: one session read.
    expect(first.filter(readsSessions)).toHaveLength(1);
    expect(first.length).toBeLessThanOrEqual(5);
    // No writes on a plain view: last_verified_at moves at most once an activity interval.
    expect(first.filter((q) => /^\s*(insert|update|delete)\b/i.test(q))).toEqual([]);

    const second = await viewHome();
    expect(second.filter(readsSessions)).toHaveLength(1);
    // The catalogue came from the process's copy.
    expect(second.filter(readsRewardCatalogue)).toEqual([]);
    expect(second.length).toBeLessThanOrEqual(4);
  });

  it("reads the catalogue again once its copy is older than the cache time", async () => {
    expect(REWARD_CATALOGUE_CACHE_MS).toBeLessThanOrEqual(10_000);
    await viewHome();
    await new Promise((r) => setTimeout(r, REWARD_CATALOGUE_CACHE_MS + 50));
    const later = await viewHome();
    expect(later.filter(readsRewardCatalogue)).toHaveLength(1);
  }, 20_000);

  it("a signed-out view sends no statement beyond the one session read", async () => {
    statements.length = 0;
    const res = await fetch(`${pages.url}/`, {
      headers: { cookie: `${sessionCookieName("CUSTOMER", { secure: false })}=nope.nope` },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in");
    expect(statements.filter(readsSessions).length).toBeLessThanOrEqual(1);
  });
});
