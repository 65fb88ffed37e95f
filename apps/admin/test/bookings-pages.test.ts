import { unique } from "@xplorium/db/testing";
import { describe, expect, it } from "vitest";
import { visibleText } from "../../../tests/support/remix-route-server";
import * as bookingsPage from "../app/routes/_app.bookings";
import * as newBookingPage from "../app/routes/_app.bookings_.new";
import * as newCustomerPage from "../app/routes/_app.customers_.new";
import { page, useAdminPages } from "./admin-pages";

/**
 * /bookings, /bookings/new and /customers/new over real HTTP (Remix + the real route modules +
 * tRPC in-process + a real database): the forms' refusals inline, what they record, and who may
 * post them.
 */

const pages = useAdminPages({
  routes: [
    page("_app.bookings", "bookings", bookingsPage),
    page("_app.bookings_.new", "bookings/new", newBookingPage),
    page("_app.customers_.new", "customers/new", newCustomerPage),
  ],
  env: { PORTAL_URL: "http://portal.test", TIME_ZONE: "Europe/Belgrade" },
});

const text = async (r: Response) => visibleText(await r.text());
/**
 * A row button's post as the page sends it (single fetch: `/bookings.data`), whose answer
 * carries the toast; the HTML answer of a plain post shows the list, the toast being a script's.
 */
const rowAction = (cookie: string, fields: Record<string, string>) =>
  pages.post("/bookings.data", cookie, fields);

const booking = (email: string) => ({
  email,
  name: "Walk-In Family",
  type: "PARTY",
  scheduledAt: "2026-11-20T16:00",
  guests: "9",
  amount: "149,90",
});

describe("/bookings/new", () => {
  it("shows the amount and time refusals inline, keeps what was typed, and records nothing", async () => {
    const cookie = await pages.cookieFor("FRONT_DESK");
    const email = `bad-${unique()}@example.com`;
    const res = await pages.post("/bookings/new", cookie, {
      ...booking(email),
      amount: "lots",
      scheduledAt: "",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    const shown = visibleText(html);
    expect(shown).toContain("Please check the highlighted fields.");
    expect(shown).toContain("Enter an amount like 25.50.");
    expect(shown).toContain("Enter the date and time of the visit.");
    expect(html).toContain(`value="${email}"`);
    expect(await pages.t.sql`select 1 from bookings where contact_email = ${email}`).toHaveLength(
      0,
    );
  });

  it("records a walk-in in venue time and leads to the list with the message; marketing may not", async () => {
    const cookie = await pages.cookieFor("FRONT_DESK");
    const email = `Walk.In-${unique()}@Example.com`;
    const res = await pages.post("/bookings/new", cookie, booking(` ${email} `));
    expect(res.status).toBe(302);
    const location = res.headers.get("location") ?? "";
    expect(decodeURIComponent(location)).toContain(
      `Booking recorded for a new customer (${email.toLowerCase()}).`,
    );
    const [row] = await pages.t.sql`select amount, guests, type, scheduled_at from bookings
      where contact_email = ${email.toLowerCase()}`;
    expect({ ...row, amount: Number(row!.amount) }).toMatchObject({
      amount: 14990,
      guests: 9,
      type: "PARTY",
    });
    // 16:00 in Belgrade in November is 15:00 UTC.
    expect(new Date(String(row!.scheduled_at)).toISOString()).toBe("2026-11-20T15:00:00.000Z");
    // The list it leads to shows the booking (the message itself is a toast, drawn by a script).
    expect(await text(await pages.get(location, cookie))).toContain(
      "Walk-In Family Party Pending 9 €149.90",
    );

    const marketing = await pages.cookieFor("MARKETING");
    expect((await pages.post("/bookings/new", marketing, booking(email))).status).toBe(403);
  });
});

describe("/bookings row actions", () => {
  it("completes a booking (+points), records the review once, and refuses a made-up status", async () => {
    const cookie = await pages.cookieFor("MANAGER");
    const email = `row-${unique()}@example.com`;
    await pages.post("/bookings/new", cookie, { ...booking(email), amount: "20" });
    const [b] = await pages.t.sql`select id from bookings where contact_email = ${email}`;
    const bookingId = String(b!.id);

    const list = await text(await pages.get(`/bookings?q=${email}`, cookie));
    expect(list).toContain("Complete");

    const done = await rowAction(cookie, { intent: "status", bookingId, status: "COMPLETED" });
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/Booking completed\. \+\d+ points\./);
    const [completed] = await pages.t.sql`select status from bookings where id = ${bookingId}`;
    expect(completed!.status).toBe("COMPLETED");
    expect(await text(await pages.get(`/bookings?q=${email}`, cookie))).toContain("Review posted");

    const review = await rowAction(cookie, { intent: "review", bookingId });
    expect(await review.text()).toContain("Review recorded: +25 points.");
    const again = await rowAction(cookie, { intent: "review", bookingId });
    expect(await again.text()).toContain("Already recorded.");

    const noIntent = await rowAction(cookie, { bookingId, status: "COMPLETED" });
    expect(await noIntent.text()).toContain("Nothing to change.");

    const bad = await rowAction(cookie, { intent: "status", bookingId, status: "PENDING" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose approve, complete or cancel.");
    const unknown = await rowAction(cookie, { intent: "explode", bookingId });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Unknown action.");
    const desk = await pages.cookieFor("MARKETING");
    expect(
      (await rowAction(desk, { intent: "status", bookingId, status: "CANCELLED" })).status,
    ).toBe(403);
  });
});

describe("/customers/new", () => {
  it("shows the phone refusal inline, then creates the customer and opens their page", async () => {
    const cookie = await pages.cookieFor("FRONT_DESK");
    const email = `new-${unique()}@example.com`;
    const bad = await pages.post("/customers/new", cookie, { email, phone: "12" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(visibleText(html)).toContain("That is not a valid phone number");
    expect(html).toContain(`value="${email}"`);

    const empty = await pages.post("/customers/new", cookie, { email: "" });
    expect(empty.status).toBe(400);
    expect(await text(empty)).toContain("Enter an email address.");

    const ok = await pages.post("/customers/new", cookie, {
      email,
      name: "New Family",
      phone: "+381 64 555 1234",
      preferredContactMethod: "SMS",
    });
    expect(ok.status).toBe(302);
    const [c] = await pages.t.sql`select id, phone, preferred_contact_method from customers
      where email = ${email}`;
    expect(ok.headers.get("location")).toBe(`/customers/${c!.id}?created=1`);
    expect(c).toMatchObject({ phone: "+381645551234", preferred_contact_method: "SMS" });

    const existing = await pages.post("/customers/new", cookie, { email, name: "Renamed" });
    expect(existing.headers.get("location")).toBe(`/customers/${c!.id}?existing=1`);
  });
});
