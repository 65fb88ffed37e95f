import { createContext, personalDataResponse } from "@xplorium/api";
import { createSession, sessionCookieName } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { refreshAnalytics } from "@xplorium/core/analytics";
import { requestCustomerCode } from "@xplorium/core/auth";
import { queueEmail } from "@xplorium/core/messaging";
import { eraseCustomer } from "@xplorium/core/privacy";
import { schema } from "@xplorium/db";
import { insertStaff, type TestDatabase, unique } from "@xplorium/db/testing";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { appCaller } from "../packages/api/test/support";
import { syncFromBookings } from "../packages/core/src/customers/sync-from-bookings";
import { ledgerDrift } from "../packages/core/src/loyalty/ledger";
import { PERSONAL_DATA_TABLES } from "../packages/core/src/privacy/personal-data-export";
import { emailSuppressionHash } from "../packages/core/src/privacy/suppression-hash";
import type { FakeResend, ResendEmailBody } from "./support/fake-resend";
import {
  buildFamily,
  type Family,
  type FixtureContext,
  mailEveryKind,
  personalisedAutomation,
} from "./support/privacy-fixture";
import { unzipText } from "./support/unzip";
import { useWorkerFixture } from "./support/worker-fixture";

/**
 * The right of access and the right to erasure end to end, on a real database: two families
 * (A and B) that each touched every table referring to customers; A downloads their data
 * (through the portal procedure, packaged as the zip the browser gets), then deletes their
 * account; the confirmation email goes out through the job queue and the real `resend` SDK to
 * a local fake of the Resend API; afterwards every text and jsonb column of every table is
 * scanned for A's addresses (and their local parts), names (full, first and last), phone
 * numbers (their digits, however written) and birth date (however written). Before that, each
 * family got every kind of email through the real sending paths, delivered by the worker's
 * tasks: a consent confirmation, a sign-in code, a campaign and an automation that greet them
 * by first name, and a test send of that campaign to staff, previewed as them.
 */

const API_KEY = "re_test_privacy";
const w = useWorkerFixture({
  resend: { apiKey: API_KEY },
  env: { PORTAL_URL: "http://portal.test:3001" },
});
let t: TestDatabase;
let env: Env;
let fake: FakeResend;
let fx: FixtureContext;
let A: Family;
let B: Family;
let ip = 0;

beforeAll(async () => {
  ({ t, env, resend: fake } = w);
  const staff = await insertStaff(t.db, { role: "MANAGER" });
  const [reward] = await t.db
    .insert(schema.rewards)
    .values({ code: `FREE_BEVERAGE_${unique()}`, name: "Free beverage", pointsCost: 500 })
    .returning();
  fx = {
    db: t.db,
    env,
    staff: { type: "staff", id: staff.id, role: "MANAGER" },
    rewardId: reward!.id,
  };
  await personalisedAutomation(fx);
  A = await buildFamily(fx, {
    label: "ana",
    firstName: "Anastasija",
    phone: "+381641234567",
    oldPhone: "+381601112223",
    birthDate: "2016-03-14",
  });
  B = await buildFamily(fx, {
    label: "bojan",
    firstName: "Bojana",
    phone: "+381657654321",
    oldPhone: "+381639998887",
    birthDate: "2015-11-02",
  });
  await mailEveryKind(fx, A);
  await mailEveryKind(fx, B);
  // B joined with A's referral code: A's data must not show who B is.
  await t.db
    .update(schema.customers)
    .set({ referredById: A.id })
    .where(eq(schema.customers.id, B.id));
}, 120_000);

async function portalAs(customerId: string | null) {
  const headers = new Headers({ "user-agent": "vitest privacy" });
  if (customerId) {
    const { token } = await createSession(t.db, { kind: "CUSTOMER", customerId });
    headers.set("cookie", `${sessionCookieName("CUSTOMER", { secure: false })}=${token}`);
  }
  ++ip;
  const { api, resHeaders } = await appCaller(t.db, env, "portal", {
    headers,
    ip: `10.70.0.${ip}`,
    requestId: `privacy-${ip}`,
  });
  return { api, resHeaders, cookie: headers.get("cookie") };
}

// The worker's own tasks: sends, campaigns, automations.
const runJobs = () => w.runJobs();

/** Rows of each customer-referencing table that belong to a customer, as the export defines. */
async function rowCounts(f: Family) {
  const [r] = await t.sql`
    select
      (select count(*)::int from customer_email_aliases where customer_id = ${f.id}) as aliases,
      (select count(*)::int from bookings where customer_id = ${f.id}
         or (customer_id is null and lower(btrim(contact_email)) in (${f.email}, ${f.alias}))) as bookings,
      (select count(*)::int from loyalty_ledger where customer_id = ${f.id}) as ledger,
      (select count(*)::int from vouchers where customer_id = ${f.id}) as vouchers,
      (select count(*)::int from tier_changes where customer_id = ${f.id}) as tier_changes,
      (select count(*)::int from consent_events where customer_id = ${f.id}) as consent,
      (select count(*)::int from email_messages where customer_id = ${f.id}) as emails,
      (select count(*)::int from email_events e join email_messages m on m.id = e.email_message_id
         where m.customer_id = ${f.id}) as email_events,
      (select count(*)::int from points_expiry_notices where customer_id = ${f.id}) as notices,
      (select count(*)::int from sessions where customer_id = ${f.id}) as sessions,
      (select count(*)::int from login_codes where customer_id = ${f.id}) as codes,
      (select count(*)::int from gdpr_requests where customer_id = ${f.id}) as requests,
      (select count(*)::int from customers where referred_by_id = ${f.id}) as friends`;
  return r as Record<string, number>;
}

/** Every uuid of a customer's rows, in every table that has them. */
async function rowIds(f: Family): Promise<string[]> {
  const rows = await t.sql`
    select id::text from bookings where customer_id = ${f.id}
    union all select id::text from loyalty_ledger where customer_id = ${f.id}
    union all select id::text from vouchers where customer_id = ${f.id}
    union all select id::text from tier_changes where customer_id = ${f.id}
    union all select id::text from consent_events where customer_id = ${f.id}
    union all select id::text from email_messages where customer_id = ${f.id}
    union all select id::text from gdpr_requests where customer_id = ${f.id}
    union all select ${f.id}::text`;
  return rows.map((r) => r.id as string);
}

/** Every text, jsonb and text[] column of every table, in public and the job queue's schema. */
async function textColumns() {
  return t.sql<{ table_schema: string; table_name: string; column_name: string }[]>`
    select c.table_schema, c.table_name, c.column_name
    from information_schema.columns c
    join information_schema.tables tb
      on tb.table_schema = c.table_schema and tb.table_name = c.table_name
    where c.table_schema in ('public', 'graphile_worker')
      and tb.table_type = 'BASE TABLE'
      and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
           or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar')))
    order by 1, 2, 3`;
}

/**
 * Where any of the strings occurs (case-insensitive) in any text column, or any of the phone
 * numbers' digit sequences however written (+381 64 123 4567, 064/123-4567 …: up to three
 * non-alphanumeric characters between digits): "table.column: n".
 */
async function occurrences(needles: string[], phoneDigits: string[] = []): Promise<string[]> {
  const found: string[] = [];
  const patterns = needles.map((n) => `%${n.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  const phones = phoneDigits.map((d) => d.split("").join("[^[:alnum:]]{0,3}"));
  for (const col of await textColumns()) {
    const [row] = await t.sql`
      select count(*)::int as n from ${t.sql(col.table_schema)}.${t.sql(col.table_name)}
      where ${t.sql(col.column_name)}::text ilike any(${patterns}::text[])
        or ${t.sql(col.column_name)}::text ~ any(${phones}::text[])`;
    if (row!.n > 0)
      found.push(`${col.table_schema}.${col.table_name}.${col.column_name}: ${row!.n}`);
  }
  return found;
}

describe("the privacy checklist", () => {
  it("PERSONAL_DATA_TABLES lists exactly the tables that refer to customers", async () => {
    // A foreign key to customers, or (the analytics snapshot has none) a customer_id column.
    const rows = await t.sql<{ table_name: string }[]>`
      select tc.table_name
      from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'
        and ccu.table_name = 'customers'
      union
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'customer_id'`;
    expect(rows.map((r) => r.table_name).sort()).toEqual(Object.keys(PERSONAL_DATA_TABLES).sort());
  });
});

describe("Download my data", () => {
  it("holds every row A has in every table, as one zip, and nothing of B", async () => {
    // The analytics snapshot holds a profile of A (visits, spend, RFM and churn scores).
    await refreshAnalytics({ db: t.db, config: { TIME_ZONE: "Europe/Belgrade" } });
    const [profile] = await t.db
      .select()
      .from(schema.customerAnalytics)
      .where(eq(schema.customerAnalytics.customerId, A.id));
    expect(profile).toBeDefined();
    const { api } = await portalAs(A.id);
    const before = await t.db.$count(schema.gdprRequests);
    const response = personalDataResponse(await api.portal.exportData());
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="xplorium-my-data-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const files = unzipText(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      "README.txt",
      "bookings.csv",
      "data.json",
      "points.csv",
    ]);
    const json = files["data.json"]!;
    const bookingsCsv = files["bookings.csv"]!;
    const pointsCsv = files["points.csv"]!;
    const data = JSON.parse(json);

    // Recorded: a completed EXPORT request from the portal, in the export itself.
    expect(await t.db.$count(schema.gdprRequests)).toBe(before + 1);
    const exports = data.privacyRequests.filter((r: { type: string }) => r.type === "EXPORT");
    expect(exports.at(-1)).toMatchObject({ source: "PORTAL", status: "COMPLETED" });
    expect(
      data.activity.some((a: { action: string }) => a.action === "customer.data_exported"),
    ).toBe(true);

    // Everything of A: every table's rows, counted in the database.
    const counts = await rowCounts(A);
    expect(data.profile).toMatchObject({
      id: A.id,
      email: A.email,
      name: A.name,
      phone: A.phone,
      birthDate: "2016-03-14",
      tags: [`vip-${A.label}`],
      bookingSiteUserId: expect.stringMatching(/^site-user-/),
    });
    expect(data.profile.staffNotes).toContain("quiet room");
    expect(data.profiling).toMatchObject({
      visits: profile!.visits,
      spent: profile!.spent,
      segment: profile!.rfmSegment,
      churnLevel: profile!.churnLevel,
    });
    expect({
      aliases: data.emailAliases.length,
      bookings: data.bookings.length,
      ledger: data.pointsLedger.length,
      vouchers: data.vouchers.length,
      tier_changes: data.tierChanges.length,
      consent: data.consent.length,
      emails: data.emails.length,
      email_events: data.emails.flatMap((e: { events: unknown[] }) => e.events).length,
      notices: data.pointsExpiryNotices.length,
      sessions: data.signIns.sessions.length,
      codes: data.signIns.codes.length,
      requests: data.privacyRequests.length,
      friends: data.referral.friendsWhoJoined.length,
    }).toEqual(counts);
    for (const [table, n] of Object.entries(counts)) {
      expect(n, `A has rows in ${table}`).toBeGreaterThan(0);
    }
    for (const id of await rowIds(A)) expect(json, `A's row ${id}`).toContain(id);
    expect(data.emailAliases[0].email).toBe(A.alias);
    // The unlinked import under A's old address is theirs too.
    expect(data.bookings.find((b: { id: string }) => b.id === A.unlinkedBookingId)).toMatchObject({
      linkedToYourAccount: false,
    });
    // Consent: the double opt-in's two moments, and the customer's own device, not staff's.
    const optIn = data.consent.find((e: { source: string }) => e.source === "STAFF");
    expect(optIn).toMatchObject({ action: "GRANTED", state: "CONFIRMED", ip: null });
    expect(new Date(optIn.confirmedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(optIn.requestedAt).getTime(),
    );
    const portalGrant = data.consent.find((e: { source: string }) => e.source === "PORTAL");
    expect(portalGrant.userAgent).toBe("Anastasija's phone");

    // Nothing of B: no address, name, phone, row id or customer id, anywhere in the zip.
    const everything = [json, bookingsCsv, pointsCsv].join("\n").toLowerCase();
    for (const needle of B.needles) expect(everything).not.toContain(needle.toLowerCase());
    for (const id of await rowIds(B)) expect(everything).not.toContain(id);

    // The spreadsheets: one line per row, a BOM, and the formula guard on people's text.
    expect(bookingsCsv.startsWith("\uFEFFDate (UTC),Type,Status,Guests,Amount")).toBe(true);
    expect(bookingsCsv.trimEnd().split("\n")).toHaveLength(counts.bookings! + 1);
    expect(bookingsCsv).toContain(`'${A.oldPhone}`);
    expect(bookingsCsv).toContain("250.00,EUR");
    expect(pointsCsv.trimEnd().split("\n")).toHaveLength(counts.ledger! + 1);
    expect(pointsCsv).toContain(`Goodwill for ${A.name}`);
  });
});

describe("Delete my account", () => {
  it("refuses without the typed confirmation and changes nothing", async () => {
    const { api } = await portalAs(A.id);
    for (const confirmation of ["", "delete please", B.email]) {
      await expect(api.portal.deleteAccount({ confirmation })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
    const [row] = await t.db.select().from(schema.customers).where(eq(schema.customers.id, A.id));
    expect(row).toMatchObject({ email: A.email, erasedAt: null });
  });

  it("leaves no trace of A's identity in any table, keeps the accounting and B intact", async () => {
    // Everything queued so far goes out first, so B's rows only change if the erasure does it.
    await runJobs();
    const totalsBefore =
      await t.sql`select count(*)::int as n, sum(amount)::bigint as total from bookings`;
    const aAmountsBefore = await t.sql`
      select id, amount, type, status, scheduled_at from bookings
      where customer_id = ${A.id} or id = ${A.unlinkedBookingId} order by id`;
    const bBefore = await bSnapshot();
    expect(await occurrences(A.needles, A.phoneDigits)).not.toEqual([]);
    // A got every kind of email, delivered; the campaign, the automation and the test send
    // greeted them by first name in the subject.
    const mail = await t.sql`
      select template, status, subject from email_messages
      where customer_id = ${A.id} or subject like ${`[Test] ${A.firstName}%`}`;
    expect(new Set(mail.map((m) => m.template))).toEqual(
      new Set([
        "consent-confirm",
        "sign-in-code",
        "campaign",
        "automation:tier-upgrade",
        "campaign-test",
      ]),
    );
    expect(mail.every((m) => m.status === "SENT")).toBe(true);
    expect(mail.filter((m) => String(m.subject).includes(A.firstName))).toHaveLength(3);

    const { api, resHeaders, cookie } = await portalAs(A.id);
    const other = await portalAs(A.id);
    const r = await api.portal.deleteAccount({ confirmation: ` ${A.email.toUpperCase()} ` });
    expect(r.erasedAt).toBeInstanceOf(Date);
    // This browser's cookie is cleared; every other session of theirs is gone.
    expect(resHeaders.get("set-cookie")).toMatch(/xp_customer_session=;.*Max-Age=0/i);
    for (const c of [cookie, other.cookie]) {
      const ctx = await createContext({
        db: t.db,
        env,
        app: "portal",
        request: new Request(env.PORTAL_URL, { headers: { cookie: c! } }),
        resHeaders: new Headers(),
      });
      expect(ctx.principal).toEqual({ type: "anonymous" });
    }

    // Until it is delivered, the confirmation email is the one row that holds the address.
    expect(await occurrences(A.needles, A.phoneDigits)).toEqual([
      "public.email_messages.to_email: 1",
    ]);
    const [confirmation] = await t.db
      .select()
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.template, "account-erased"));
    expect(confirmation).toMatchObject({ toEmail: A.email, status: "QUEUED", transport: "RESEND" });

    await runJobs();
    const sent = fake
      .delivered()
      .map((req) => req.body as ResendEmailBody)
      .filter((b) => b.subject === "Your Xplorium account has been deleted");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual([A.email]);
    expect(sent[0]!.text).toMatch(/we deleted your Xplorium account/);
    const [after] = await t.db
      .select()
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.id, confirmation!.id));
    expect(after).toMatchObject({ status: "SENT", toEmail: null, html: null, text: null });

    // No table, no column: not the addresses or their local parts, not the names (old or new,
    // whole, first or last), not the phones in any format, not the birth date in any format.
    expect(await occurrences(A.needles, A.phoneDigits)).toEqual([]);
    // Their emails keep what was sent, not to whom: a campaign's and an automation's own
    // subject, merge tags and all; the test send previewed as them stays the staff member's.
    const subjects = await t.sql`
      select template, subject, to_email, html, text from email_messages
      where customer_id = ${A.id} or template = 'campaign-test' and subject like '[Test] {{%'`;
    expect(
      Object.fromEntries(
        subjects
          .filter((m) =>
            ["campaign", "automation:tier-upgrade", "campaign-test"].includes(m.template),
          )
          .map((m) => [m.template, m.subject]),
      ),
    ).toEqual({
      campaign: "{{firstName}}, a party just for you",
      "automation:tier-upgrade": "Well done {{firstName}}, you are now {{tier}}",
      "campaign-test": "[Test] {{firstName}}, a party just for you",
    });
    expect(subjects.find((m) => m.template === "campaign-test")).toMatchObject({
      to_email: "desk.tester@xplorium.example",
      html: null,
      text: null,
    });
    // Nor the analytics profile of their visits and spend.
    expect(
      await t.db.$count(schema.customerAnalytics, eq(schema.customerAnalytics.customerId, A.id)),
    ).toBe(0);
    // The scan does find what is still there, B's phone in any format too.
    expect((await occurrences([B.email])).length).toBeGreaterThan(0);
    expect((await occurrences([], B.phoneDigits)).length).toBeGreaterThan(0);
    expect((await occurrences([B.firstName])).length).toBeGreaterThan(0);

    // Accounting: every booking and amount stays.
    expect(
      await t.sql`select count(*)::int as n, sum(amount)::bigint as total from bookings`,
    ).toEqual(totalsBefore);
    expect(
      await t.sql`
        select id, amount, type, status, scheduled_at from bookings
        where customer_id = ${A.id} order by id`,
    ).toEqual(aAmountsBefore);
    expect(await ledgerDrift(t.db)).toEqual([]);

    // The record: anonymised, erased, opted out; consent proof without the device.
    const [erased] = await t.db
      .select()
      .from(schema.customers)
      .where(eq(schema.customers.id, A.id));
    expect(erased).toMatchObject({
      email: null,
      name: null,
      phone: null,
      birthDate: null,
      notes: null,
      tags: [],
      userId: null,
      marketingOptIn: false,
      smsOptIn: false,
    });
    expect(erased!.erasedAt).toBeInstanceOf(Date);
    const consent = await t.db
      .select()
      .from(schema.consentEvents)
      .where(eq(schema.consentEvents.customerId, A.id));
    expect(consent.every((e) => e.ip === null && e.userAgent === null)).toBe(true);
    expect(
      consent
        .filter((e) => e.action === "WITHDRAWN" && e.source === "PORTAL")
        .map((e) => e.channel)
        .sort(),
    ).toEqual(["EMAIL", "SMS"]);
    expect(
      await t.db
        .select()
        .from(schema.customerEmailAliases)
        .where(eq(schema.customerEmailAliases.customerId, A.id)),
    ).toEqual([]);

    // Recorded and audited; the address kept only as a hash.
    const requests = await t.db
      .select()
      .from(schema.gdprRequests)
      .where(eq(schema.gdprRequests.customerId, A.id));
    expect(requests.find((q) => q.type === "ERASURE")).toMatchObject({
      source: "PORTAL",
      status: "COMPLETED",
      requestedByStaffId: null,
    });
    const [audit] = await t.sql`
      select actor_type, actor_id, ip, details from audit_log
      where action = 'customer.erased' and entity_id = ${A.id}`;
    expect(audit).toMatchObject({ actor_type: "CUSTOMER", actor_id: A.id, ip: null });
    const suppressed = await t.db.select().from(schema.suppressions);
    for (const address of [A.email, A.alias]) {
      expect(suppressed).toContainEqual(
        expect.objectContaining({ emailHash: emailSuppressionHash(address), reason: "ERASURE" }),
      );
    }

    // B: not a byte changed.
    expect(await bSnapshot()).toEqual(bBefore);
  });

  it("sync from bookings, sign-in and sends never bring A back", async () => {
    // The booking site re-sends old bookings under both addresses.
    for (const address of [A.email, ` ${A.alias.toUpperCase()}`]) {
      await t.db.insert(schema.bookings).values({
        type: "CAFE",
        scheduledAt: new Date(),
        currency: env.CURRENCY,
        contactEmail: address,
        contactName: A.name,
        source: "IMPORT",
      });
    }
    const result = await syncFromBookings({
      db: t.db,
      actor: fx.staff,
      meta: {
        ip: null,
        userAgent: null,
        requestId: "privacy-sync",
      },
    });
    expect(result.created).toBe(0);
    expect(result.suppressed).toBe(2);
    expect(
      await t.sql`select id from customers where email in (${A.email}, ${A.alias})`,
    ).toHaveLength(0);

    // No sign-in code for the address, and nothing queued to it by any path.
    const emailsBefore = await t.db.$count(schema.emailMessages);
    await requestCustomerCode(
      {
        db: t.db,
        config: env,
        meta: {
          ip: "10.9.9.9",
          userAgent: null,
          requestId: "privacy-code",
        },
      },
      { email: A.email },
    );
    expect(await t.db.$count(schema.emailMessages)).toBe(emailsBefore);
    const id = await queueEmail(t.db, {
      template: "sign-in-code",
      props: { name: null, code: "123456", magicLink: "http://x.test/", expiresInMinutes: 10 },
      to: A.email.toUpperCase(),
      from: env.EMAIL_FROM,
      transport: "RESEND",
    });
    const [row] = await t.db
      .select()
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.id, id));
    expect(row).toMatchObject({ status: "FAILED", toEmail: null, html: null, text: null });
    expect(row!.error).toMatch(/suppressed \(erasure\)/);
    const jobs = await t.sql`
      select 1 from graphile_worker._private_jobs where payload->>'emailMessageId' = ${id}`;
    expect(jobs).toHaveLength(0);

    // A second erasure finds no one, from the portal or the admin.
    await expect(
      eraseCustomer(
        {
          db: t.db,
          config: env,
          actor: fx.staff,
          meta: { ip: null, userAgent: null, requestId: "again" },
        },
        {
          customerId: A.id,
          source: "STAFF",
          confirmation: "DELETE",
        },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

/** Everything of B's, to compare before and after A's erasure. */
async function bSnapshot() {
  return {
    customer: await t.sql`select * from customers where id = ${B.id}`,
    bookings:
      await t.sql`select * from bookings where customer_id = ${B.id} or id = ${B.unlinkedBookingId} order by id`,
    ledger: await t.sql`select * from loyalty_ledger where customer_id = ${B.id} order by id`,
    vouchers: await t.sql`select * from vouchers where customer_id = ${B.id} order by id`,
    tiers: await t.sql`select * from tier_changes where customer_id = ${B.id} order by id`,
    consent: await t.sql`select * from consent_events where customer_id = ${B.id} order by id`,
    emails: await t.sql`select * from email_messages where customer_id = ${B.id} order by id`,
    events:
      await t.sql`select e.* from email_events e join email_messages m on m.id = e.email_message_id where m.customer_id = ${B.id} order by e.id`,
    aliases: await t.sql`select * from customer_email_aliases where customer_id = ${B.id}`,
    sessions: await t.sql`select * from sessions where customer_id = ${B.id} order by id`,
    audit:
      await t.sql`select * from audit_log where entity_id = ${B.id} or actor_id = ${B.id} order by id`,
    buckets: await t.sql`select * from rate_limit_buckets where key like ${`%${B.email}%`}`,
  };
}
