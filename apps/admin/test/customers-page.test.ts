import { beforeAll, describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as customersPage from "../app/routes/_app.customers";
import { page, useAdminPages } from "./admin-pages";

/** /customers over real HTTP (Remix + tRPC in-process + PostgreSQL): the count streams in. */

const pages = useAdminPages({
  routes: [page("_app.customers", "customers", customersPage)],
});

beforeAll(async () => {
  await pages.t.sql`insert into customers (email, name, referral_code, last_booking_at)
    select 'mila' || g || '@example.com', 'Mila Ilić ' || g, 'XPMILA' || g,
           now() - make_interval(days => g)
    from generate_series(1, 2500) g`;
  await pages.t.sql`insert into customers (email, name, referral_code)
    values ('nenad.quist@example.com', 'Nenad Quist', 'XPNENAD1')`;
  await pages.t.sql`analyze customers`;
});

describe("/customers", () => {
  it("shows the page and the streamed count of the whole list", async () => {
    const cookie = await pages.cookieFor("FRONT_DESK");
    const res = await pages.get("/customers", cookie);
    expect(res.status).toBe(200);
    const text = visibleText(await res.text());
    expect(text).toContain("2,501 customers");
    expect(text).toContain("mila1@example.com");
    expect(text).not.toContain("listed by last booking");
  });

  it("lists a search with many matches by last booking and says so; a rare one by best match", async () => {
    const cookie = await pages.cookieFor("FRONT_DESK");
    const many = visibleText(await (await pages.get("/customers?q=mila", cookie)).text());
    expect(many).toContain("2,500 matching customers");
    expect(many).toContain("listed by last booking rather than by best match");
    expect(many.indexOf("mila1@example.com")).toBeLessThan(many.indexOf("mila2@example.com"));

    const few = visibleText(await (await pages.get("/customers?q=nenad%20quist", cookie)).text());
    expect(few).toContain("1 matching customer");
    expect(few).not.toContain("1 matching customers");
    expect(few).toContain("nenad.quist@example.com");
    expect(few).not.toContain("listed by last booking");
  });
});
