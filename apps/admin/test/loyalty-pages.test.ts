import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { systemActor } from "@xplorium/core/actor";
import { createReward, redeemReward } from "@xplorium/core/loyalty";
import { insertCustomer, unique } from "@xplorium/db/testing";
import { createElement } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { ledgerDrift, postPoints } from "../../../packages/core/src/loyalty/ledger";
import { visibleText } from "../../../tests/support/remix-route-server";
import { VouchersCard } from "../app/components/customer/vouchers-card";
import { loadVouchersCard } from "../app/components/customer/vouchers-card.server";
import { requireStaff } from "../app/lib/session.server";
import * as rewardsPage from "../app/routes/_app.loyalty_.rewards";
import * as vouchersPage from "../app/routes/_app.loyalty_.vouchers";
import { page, useAdminPages } from "./admin-pages";

/**
 * /loyalty/rewards and /loyalty/vouchers over real HTTP (Express + Remix + the real route
 * modules + tRPC in-process + a real database), and the customer page's vouchers card mounted
 * the way the customer page is meant to mount it (loadVouchersCard in the loader, VouchersCard
 * in the page).
 */

/** Stands in for the customer detail page: its loader line and its JSX line, nothing else. */
const customerPageWithCard = {
  loader: async ({ request, context, params }: LoaderFunctionArgs) => {
    const { api, staff } = await requireStaff(request, context, "read:customer");
    const detail = await api.customers.byId({ id: params.id ?? "" });
    const vouchers = await loadVouchersCard(api, staff.role, detail.customer.id);
    return { customer: detail.customer, vouchers };
  },
  default: function Page() {
    const { customer: c, vouchers } = useLoaderData<typeof customerPageWithCard.loader>();
    return vouchers
      ? createElement(VouchersCard, { customerId: c.id, balance: c.loyaltyPoints, ...vouchers })
      : null;
  },
};

const pages = useAdminPages({
  routes: [
    page("_app.loyalty_.rewards", "loyalty/rewards", rewardsPage),
    page("_app.loyalty_.vouchers", "loyalty/vouchers", vouchersPage),
    page("_app.customers_.$id", "customers/:id", customerPageWithCard),
  ],
});
const meta = { ip: null, userAgent: null, requestId: null };
afterEach(async () => {
  expect(await ledgerDrift(pages.t.db)).toEqual([]);
});

const { cookieFor, get, post } = pages;

async function customerWith(points: number, name = `Parent ${unique()}`) {
  const c = await insertCustomer(pages.t.db, { name });
  await pages.t.db.transaction((tx) =>
    postPoints(tx, {
      customerId: c.id,
      delta: points,
      reason: "BOOKING_COMPLETED",
      idempotencyKey: `earn:${c.id}`,
    }),
  );
  return c;
}

describe("/loyalty/rewards", () => {
  it("managers add a reward (errors inline), then deactivate it", async () => {
    const cookie = await cookieFor("MANAGER");
    const bad = await post("/loyalty/rewards", cookie, {
      intent: "create",
      name: "Ice cream",
      description: "",
      pointsCost: "0",
      stock: "-2",
      voucherValidityDays: "30",
    });
    expect(bad.status).toBe(400);
    const badText = visibleText(await bad.text());
    expect(badText).toContain("The points cost must be more than zero.");
    expect(badText).toContain("Stock cannot be negative.");

    const name = `Ice cream ${unique()}`;
    const ok = await post("/loyalty/rewards", cookie, {
      intent: "create",
      name,
      description: "One scoop",
      pointsCost: "1,200",
      stock: "",
      voucherValidityDays: "30",
      active: "on",
    });
    expect(ok.status).toBe(200);
    const [row] = await pages.t
      .sql`select id, points_cost, stock, active from rewards where name = ${name}`;
    expect(row).toMatchObject({ points_cost: 1200, stock: null, active: true });

    const page = visibleText(await (await get("/loyalty/rewards", cookie)).text());
    expect(page).toContain(name);
    expect(page).toContain("Unlimited");
    expect(page).toContain("Add a reward");

    const edit = visibleText(await (await get(`/loyalty/rewards?edit=${row!.id}`, cookie)).text());
    expect(edit).toContain(`Edit “${name}”`);

    expect(
      (await post("/loyalty/rewards", cookie, { intent: "deactivate", id: row!.id })).status,
    ).toBe(200);
    const [after] = await pages.t.sql`select active from rewards where id = ${row!.id}`;
    expect(after!.active).toBe(false);
  });

  it("front desk sees the catalogue but cannot edit it", async () => {
    const cookie = await cookieFor("FRONT_DESK");
    const page = await get("/loyalty/rewards", cookie);
    expect(page.status).toBe(200);
    expect(visibleText(await page.text())).not.toContain("Add a reward");
    const res = await post("/loyalty/rewards", cookie, {
      intent: "create",
      name: "Nope",
      pointsCost: "10",
      voucherValidityDays: "10",
    });
    expect(res.status).toBe(403);
  });
});

describe("/loyalty/vouchers", () => {
  it("looks a typed code up, confirms, and marks it used once", async () => {
    const cookie = await cookieFor("FRONT_DESK");
    const c = await customerWith(600, "Ana Counter");
    const r = await createReward(
      { db: pages.t.db, actor: systemActor, meta },
      {
        name: "Hot chocolate",
        pointsCost: 500,
      },
    );
    const { voucher } = await redeemReward(
      { db: pages.t.db, actor: systemActor, meta },
      {
        customerId: c.id,
        rewardId: r.id,
      },
    );

    const typed = encodeURIComponent(voucher.code.toLowerCase().replaceAll("-", " "));
    const found = visibleText(await (await get(`/loyalty/vouchers?code=${typed}`, cookie)).text());
    expect(found).toContain(voucher.code);
    expect(found).toContain("Ana Counter");
    expect(found).toContain("Hot chocolate");
    expect(found).toContain("Ready to use");
    expect(found).toContain("Mark used");
    expect(found).toContain("Cancel and refund");

    const confirm = visibleText(
      await (await get(`/loyalty/vouchers?code=${voucher.code}&confirm=use`, cookie)).text(),
    );
    expect(confirm).toContain("Yes, mark used");

    const used = await post(`/loyalty/vouchers?code=${voucher.code}`, cookie, {
      intent: "markUsed",
      voucherId: voucher.id,
    });
    expect(used.status).toBe(200);
    expect(visibleText(await used.text())).toContain("Used");

    const again = await post(`/loyalty/vouchers?code=${voucher.code}`, cookie, {
      intent: "markUsed",
      voucherId: voucher.id,
    });
    expect(again.status).toBe(409);
    expect(visibleText(await again.text())).toMatch(/Already used on .+/);

    const missing = visibleText(
      await (await get("/loyalty/vouchers?code=XP-0000-OOOO", cookie)).text(),
    );
    expect(missing).toContain("Voucher codes never contain 0, O, 1, I or L");

    const recent = visibleText(await (await get("/loyalty/vouchers", cookie)).text());
    expect(recent).toContain("Recent vouchers");
    expect(recent).toContain(voucher.code);
  });

  it("cancels with a refund after confirmation", async () => {
    const cookie = await cookieFor("MANAGER");
    const c = await customerWith(500);
    const r = await createReward(
      { db: pages.t.db, actor: systemActor, meta },
      { name: "Cake", pointsCost: 500 },
    );
    const { voucher } = await redeemReward(
      { db: pages.t.db, actor: systemActor, meta },
      {
        customerId: c.id,
        rewardId: r.id,
      },
    );
    const confirm = visibleText(
      await (await get(`/loyalty/vouchers?code=${voucher.code}&confirm=cancel`, cookie)).text(),
    );
    expect(confirm).toContain(`Cancel ${voucher.code} and refund 500 points?`);
    const res = await post(`/loyalty/vouchers?code=${voucher.code}`, cookie, {
      intent: "cancel",
      voucherId: voucher.id,
      reason: "Wrong reward",
    });
    expect(res.status).toBe(200);
    const [row] = await pages.t.sql`select loyalty_points from customers where id = ${c.id}`;
    expect(row!.loyalty_points).toBe(500);
  });

  it("is closed to marketing staff", async () => {
    const cookie = await cookieFor("MARKETING");
    expect((await get("/loyalty/vouchers", cookie)).status).toBe(403);
  });
});

describe("customer page vouchers card", () => {
  it("lists the customer's vouchers and redeems once per form render", async () => {
    const cookie = await cookieFor("FRONT_DESK");
    const c = await customerWith(1200);
    const cheap = await createReward(
      { db: pages.t.db, actor: systemActor, meta },
      {
        name: `Juice ${unique()}`,
        pointsCost: 500,
      },
    );
    await createReward(
      { db: pages.t.db, actor: systemActor, meta },
      {
        name: `Party ${unique()}`,
        pointsCost: 2500,
      },
    );
    const html = await (await get(`/customers/${c.id}`, cookie)).text();
    const text = visibleText(html);
    expect(text).toContain("Redeem a reward for this customer");
    expect(text).toContain("No vouchers yet");
    expect(text).toMatch(/Party \S+ · 2,500 points \(needs 1,300 more\)/);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
    expect(key).toBeDefined();

    const fields = {
      intent: "redeem",
      customerId: c.id,
      rewardId: cheap.id,
      idempotencyKey: key!,
    };
    const [a, b] = await Promise.all([
      post("/loyalty/vouchers", cookie, fields),
      post("/loyalty/vouchers", cookie, fields),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const vouchers = await pages.t.sql`select code from vouchers where customer_id = ${c.id}`;
    expect(vouchers).toHaveLength(1);

    const after = visibleText(await (await get(`/customers/${c.id}`, cookie)).text());
    expect(after).toContain(vouchers[0]!.code);
    expect(after).toContain("Ready to use");
    expect(after).toContain("Balance: 700 points");
  });

  it("is not shown to marketing staff", async () => {
    const cookie = await cookieFor("MARKETING");
    const c = await customerWith(100);
    const text = visibleText(await (await get(`/customers/${c.id}`, cookie)).text());
    expect(text).not.toContain("Vouchers");
  });
});
