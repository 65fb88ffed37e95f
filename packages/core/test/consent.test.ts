import { loadEnv } from "@xplorium/config";
import {
  confirmConsent,
  consentHistory,
  previewConsentLink,
  setConsentByStaff,
} from "@xplorium/core/consent";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaff } from "@xplorium/db/testing";
import { JOBS } from "@xplorium/domain";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CONSENT_WORDING, recordConsentChange } from "../src/consent/consent";
import { useTestDatabase } from "./support";

const t = useTestDatabase(async (t) => {
  actor = { type: "staff", id: (await insertStaff(t.db)).id, role: "FRONT_DESK" };
});
const config = loadEnv({
  NODE_ENV: "test",
  PORTAL_URL: "http://portal.test:3001",
  SESSION_SECRET: "consent-test-secret-0123456789-abcdefghij",
});
let actor: { type: "staff"; id: string; role: "FRONT_DESK" };
const meta = { ip: "10.9.0.1", userAgent: "vitest staff browser", requestId: "consent-test" };
const customerMeta = { ip: "10.9.0.2", userAgent: "vitest phone", requestId: "consent-confirm" };

const events = (customerId: string) =>
  t.db
    .select()
    .from(schema.consentEvents)
    .where(eq(schema.consentEvents.customerId, customerId))
    .orderBy(schema.consentEvents.createdAt);

const flags = async (customerId: string) => {
  const [row] = await t.db
    .select({ email: schema.customers.marketingOptIn, sms: schema.customers.smsOptIn })
    .from(schema.customers)
    .where(eq(schema.customers.id, customerId));
  return row!;
};

const confirmationEmails = (customerId: string) =>
  t.db
    .select()
    .from(schema.emailMessages)
    .where(
      and(
        eq(schema.emailMessages.customerId, customerId),
        eq(schema.emailMessages.template, "consent-confirm"),
      ),
    )
    .orderBy(schema.emailMessages.createdAt);

const sendJobsFor = async (emailMessageId: string) =>
  (
    await t.sql`
      select count(*)::int as n from graphile_worker.jobs j
      join graphile_worker._private_jobs p on p.id = j.id
      where j.task_identifier = ${JOBS.sendEmail} and p.payload->>'emailMessageId' = ${emailMessageId}`
  )[0]!.n as number;

const audits = (customerId: string, action: string) =>
  t.sql`select actor_type, actor_id, details, ip from audit_log
        where entity_id = ${customerId} and action = ${action} order by id`;

/** The token of the confirmation link in a stored email. */
function tokenFrom(html: string): string {
  const match = /href="http:\/\/portal\.test:3001\/consent\/confirm\/([^"]+)"/.exec(html);
  expect(match, "a confirmation link in the email").not.toBeNull();
  return match![1]!;
}

async function staffGrant(customerId: string, channel: "EMAIL" | "SMS" = "EMAIL") {
  return setConsentByStaff(
    { db: t.db, actor, meta, config },
    { customerId, channel, granted: true },
  );
}
async function staffWithdraw(customerId: string, channel: "EMAIL" | "SMS" = "EMAIL") {
  return setConsentByStaff(
    { db: t.db, actor, meta, config },
    { customerId, channel, granted: false },
  );
}
async function latestToken(customerId: string) {
  const emails = await confirmationEmails(customerId);
  return tokenFrom(emails.at(-1)!.html!);
}

describe("marketing consent: double opt-in", () => {
  it("a staff grant is PENDING, leaves the flag off, queues one confirmation email and is audited", async () => {
    const c = await insertCustomer(t.db, { name: "Ana Petrović" });
    const r = await staffGrant(c.id);
    expect(r).toMatchObject({
      changed: true,
      channel: "EMAIL",
      state: "PENDING",
      before: { optedIn: false, awaitingSince: null },
      after: { optedIn: false },
    });
    expect(r.after.awaitingSince).toBeInstanceOf(Date);

    const [event, ...more] = await events(c.id);
    expect(more).toHaveLength(0);
    expect(event).toMatchObject({
      id: r.eventId,
      channel: "EMAIL",
      action: "GRANTED",
      state: "PENDING",
      source: "STAFF",
      wordingVersion: CONSENT_WORDING.EMAIL.version,
      wording: CONSENT_WORDING.EMAIL.text,
      staffUserId: actor.id,
      ip: meta.ip,
      userAgent: meta.userAgent,
      confirmedAt: null,
    });
    expect(await flags(c.id)).toEqual({ email: false, sms: false });

    const [email, ...moreEmails] = await confirmationEmails(c.id);
    expect(moreEmails).toHaveLength(0);
    expect(email).toMatchObject({
      id: r.confirmationEmailId,
      kind: "TRANSACTIONAL",
      toEmail: c.email,
      status: "QUEUED",
      transport: "OUTBOX",
      subject: "Please confirm you want Xplorium emails",
    });
    expect(email!.html).toContain("Hi Ana,");
    expect(email!.html).toContain(CONSENT_WORDING.EMAIL.text);
    expect(email!.text).toContain("Yes, confirm");
    expect(tokenFrom(email!.html!)).toMatch(new RegExp(`^${r.eventId}\\.[A-Za-z0-9_-]{43}$`));
    expect(await sendJobsFor(email!.id)).toBe(1);

    const [audit, ...moreAudits] = await audits(c.id, "customer.consent_changed");
    expect(moreAudits).toHaveLength(0);
    expect(audit).toMatchObject({ actor_type: "STAFF", actor_id: actor.id, ip: meta.ip });
    expect(audit!.details).toMatchObject({
      channel: "EMAIL",
      granted: true,
      state: "PENDING",
      consentEventId: r.eventId,
      before: { optedIn: false, awaitingSince: null },
      after: { optedIn: false, awaitingSince: expect.any(String) },
    });
  });

  it("confirming from the link opts in; a second confirm answers 'already confirmed'", async () => {
    const c = await insertCustomer(t.db);
    const r = await staffGrant(c.id, "SMS");
    const token = await latestToken(c.id);
    expect((await confirmationEmails(c.id))[0]!.subject).toBe(
      "Please confirm you want Xplorium SMS messages",
    );

    // Looking at the link changes nothing.
    expect(await previewConsentLink({ db: t.db, config }, { token })).toMatchObject({
      status: "ready",
      channel: "SMS",
      wording: CONSENT_WORDING.SMS.text,
    });
    expect(await flags(c.id)).toEqual({ email: false, sms: false });

    const first = await confirmConsent({ db: t.db, meta: customerMeta, config }, { token });
    expect(first).toMatchObject({ status: "confirmed", channel: "SMS", optedIn: true });
    expect(await flags(c.id)).toEqual({ email: false, sms: true });
    const [event] = await events(c.id);
    expect(event).toMatchObject({ id: r.eventId, state: "CONFIRMED" });
    expect(event!.confirmedAt).toBeInstanceOf(Date);
    const [audit, ...more] = await audits(c.id, "customer.consent_confirmed");
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ actor_type: "CUSTOMER", actor_id: c.id, ip: customerMeta.ip });
    expect(audit!.details).toMatchObject({
      channel: "SMS",
      consentEventId: r.eventId,
      userAgent: customerMeta.userAgent,
      after: { optedIn: true },
    });

    const second = await confirmConsent({ db: t.db, meta: customerMeta, config }, { token });
    expect(second).toMatchObject({ status: "already_confirmed", channel: "SMS", optedIn: true });
    expect(second.confirmedAt?.getTime()).toBe(event!.confirmedAt!.getTime());
    expect(await audits(c.id, "customer.consent_confirmed")).toHaveLength(1);
    expect(await events(c.id)).toHaveLength(1);
    expect((await previewConsentLink({ db: t.db, config }, { token })).status).toBe(
      "already_confirmed",
    );
  });

  it("refuses forged and mangled links and changes nothing", async () => {
    const c = await insertCustomer(t.db);
    await staffGrant(c.id);
    const token = await latestToken(c.id);
    const [id, mac] = token.split(".") as [string, string];
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    const other = await insertCustomer(t.db);
    const otherGrant = await staffGrant(other.id);
    const otherSecret = { SESSION_SECRET: "another-secret-entirely-0123456789-abcdef" };
    const forged = [
      `${id}.${flipped}`,
      // A real MAC moved onto another event.
      `${otherGrant.eventId}.${mac}`,
      `${id}.${mac}=`,
      id,
      "not-a-token",
      `${id}.`,
    ];
    for (const bad of forged) {
      await expect(
        confirmConsent({ db: t.db, meta: customerMeta, config }, { token: bad }),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: expect.stringMatching(/not valid/),
      });
      expect(await previewConsentLink({ db: t.db, config }, { token: bad })).toMatchObject({
        status: "invalid",
      });
    }
    // Signed with a different secret: worthless here.
    await expect(
      confirmConsent({ db: t.db, meta: customerMeta, config: otherSecret }, { token }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await flags(c.id)).toEqual({ email: false, sms: false });
    expect((await events(c.id))[0]!.state).toBe("PENDING");
  });

  it("refuses an expired link, and a new grant then sends a fresh one", async () => {
    const c = await insertCustomer(t.db);
    const r = await staffGrant(c.id);
    const token = await latestToken(c.id);
    await t.sql`update consent_events set created_at = now() - interval '7 days 1 minute' where id = ${r.eventId!}`;

    expect(await previewConsentLink({ db: t.db, config }, { token })).toMatchObject({
      status: "expired",
      message: expect.stringMatching(/expired/),
    });
    await expect(
      confirmConsent({ db: t.db, meta: customerMeta, config }, { token }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/expired/),
    });
    expect(await flags(c.id)).toEqual({ email: false, sms: false });

    // An expired request no longer awaits anything, so granting again is a real change.
    const again = await staffGrant(c.id);
    expect(again).toMatchObject({ changed: true, state: "PENDING" });
    expect(again.before.awaitingSince).toBeNull();
    expect(await confirmationEmails(c.id)).toHaveLength(2);
    // The old link is now superseded as well as expired; the new one works.
    await expect(
      confirmConsent({ db: t.db, meta: customerMeta, config }, { token }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const fresh = await latestToken(c.id);
    expect(
      (await confirmConsent({ db: t.db, meta: customerMeta, config }, { token: fresh })).status,
    ).toBe("confirmed");
    expect((await flags(c.id)).email).toBe(true);
  });

  it("a withdrawal is immediate and CONFIRMED, and audited", async () => {
    const c = await insertCustomer(t.db);
    await staffGrant(c.id);
    await confirmConsent(
      { db: t.db, meta: customerMeta, config },
      { token: await latestToken(c.id) },
    );
    expect((await flags(c.id)).email).toBe(true);

    const r = await staffWithdraw(c.id);
    expect(r).toMatchObject({
      changed: true,
      state: "CONFIRMED",
      before: { optedIn: true, awaitingSince: null },
      after: { optedIn: false, awaitingSince: null },
      confirmationEmailId: null,
    });
    expect((await flags(c.id)).email).toBe(false);
    const last = (await events(c.id)).at(-1)!;
    expect(last).toMatchObject({ action: "WITHDRAWN", state: "CONFIRMED", source: "STAFF" });
    expect(last.confirmedAt).toBeInstanceOf(Date);
    expect(await confirmationEmails(c.id)).toHaveLength(1);
    const changes = await audits(c.id, "customer.consent_changed");
    expect(changes).toHaveLength(2);
    expect(changes[1]!.details).toMatchObject({
      granted: false,
      before: { optedIn: true },
      after: { optedIn: false },
    });
  });

  it("withdrawing cancels a pending grant: its old link can no longer opt in", async () => {
    const c = await insertCustomer(t.db);
    await staffGrant(c.id);
    const token = await latestToken(c.id);
    const w = await staffWithdraw(c.id);
    expect(w).toMatchObject({ changed: true, before: { optedIn: false } });
    expect(w.before.awaitingSince).toBeInstanceOf(Date);
    expect(w.after).toEqual({ optedIn: false, awaitingSince: null });

    expect(await previewConsentLink({ db: t.db, config }, { token })).toMatchObject({
      status: "superseded",
    });
    await expect(
      confirmConsent({ db: t.db, meta: customerMeta, config }, { token }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/no longer valid/),
    });
    expect((await flags(c.id)).email).toBe(false);
    expect((await events(c.id)).map((e) => [e.action, e.state])).toEqual([
      ["GRANTED", "PENDING"],
      ["WITHDRAWN", "CONFIRMED"],
    ]);
    expect(await audits(c.id, "customer.consent_confirmed")).toHaveLength(0);
  });

  it("a confirmed grant that is later withdrawn stays withdrawn when its link is used again", async () => {
    const c = await insertCustomer(t.db);
    await staffGrant(c.id);
    const token = await latestToken(c.id);
    await confirmConsent({ db: t.db, meta: customerMeta, config }, { token });
    await staffWithdraw(c.id);
    const again = await confirmConsent({ db: t.db, meta: customerMeta, config }, { token });
    expect(again).toMatchObject({ status: "already_confirmed", optedIn: false });
    expect((await flags(c.id)).email).toBe(false);
  });

  it("no-op changes record nothing, queue nothing and audit nothing", async () => {
    const c = await insertCustomer(t.db);
    // Withdrawing what was never given.
    expect((await staffWithdraw(c.id)).changed).toBe(false);
    expect((await staffWithdraw(c.id, "SMS")).changed).toBe(false);

    // A second grant while the first still awaits confirmation: no second email.
    await staffGrant(c.id);
    const repeat = await staffGrant(c.id);
    expect(repeat).toMatchObject({ changed: false, eventId: null, confirmationEmailId: null });
    expect(repeat.before.awaitingSince).toBeInstanceOf(Date);
    expect(await events(c.id)).toHaveLength(1);
    expect(await confirmationEmails(c.id)).toHaveLength(1);

    // Granting what is already confirmed-granted.
    await confirmConsent(
      { db: t.db, meta: customerMeta, config },
      { token: await latestToken(c.id) },
    );
    expect((await staffGrant(c.id)).changed).toBe(false);
    const portalGrant = await t.db.transaction((tx) =>
      recordConsentChange(tx, config, {
        customerId: c.id,
        channel: "EMAIL",
        granted: true,
        source: "PORTAL",
        confirmed: true,
      }),
    );
    expect(portalGrant.changed).toBe(false);

    // Withdrawing twice: the second one is a no-op.
    expect((await staffWithdraw(c.id)).changed).toBe(true);
    expect((await staffWithdraw(c.id)).changed).toBe(false);

    expect(await events(c.id)).toHaveLength(2);
    expect(await confirmationEmails(c.id)).toHaveLength(1);
    expect(await audits(c.id, "customer.consent_changed")).toHaveLength(2);
  });

  it("two staff granting at the same moment record one pending grant and one email", async () => {
    const c = await insertCustomer(t.db);
    const results = await Promise.all([staffGrant(c.id), staffGrant(c.id), staffGrant(c.id)]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await events(c.id)).toHaveLength(1);
    expect(await confirmationEmails(c.id)).toHaveLength(1);
  });

  it("two confirms of the same link at once opt in once", async () => {
    const c = await insertCustomer(t.db);
    await staffGrant(c.id);
    const token = await latestToken(c.id);
    const results = await Promise.all([
      confirmConsent({ db: t.db, meta: customerMeta, config }, { token }),
      confirmConsent({ db: t.db, meta: customerMeta, config }, { token }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["already_confirmed", "confirmed"]);
    expect(await audits(c.id, "customer.consent_confirmed")).toHaveLength(1);
  });
});

describe("recordConsentChange in a caller's transaction", () => {
  it("records a booking-form grant as pending, and a rollback leaves no event, email or job", async () => {
    const c = await insertCustomer(t.db);
    let emailId: string | null = null;
    await expect(
      t.db.transaction(async (tx) => {
        const r = await recordConsentChange(tx, config, {
          customerId: c.id,
          channel: "EMAIL",
          granted: true,
          source: "BOOKING_FORM",
          confirmed: false,
          ip: "203.0.113.9",
          userAgent: "booking site",
        });
        expect(r).toMatchObject({ changed: true, state: "PENDING" });
        emailId = r.confirmationEmailId;
        throw new Error("the booking failed");
      }),
    ).rejects.toThrow("the booking failed");
    expect(emailId).not.toBeNull();
    expect(await events(c.id)).toHaveLength(0);
    expect(await confirmationEmails(c.id)).toHaveLength(0);
    expect(await sendJobsFor(emailId!)).toBe(0);
  });

  it("records the wording the booking site showed, when it passes its own", async () => {
    const c = await insertCustomer(t.db);
    const wording = { version: "booking-site-2026-03", text: "Yes, send me Xplorium offers." };
    await t.db.transaction((tx) =>
      recordConsentChange(tx, config, {
        customerId: c.id,
        channel: "EMAIL",
        granted: true,
        source: "BOOKING_FORM",
        confirmed: false,
        wording,
      }),
    );
    expect((await events(c.id))[0]).toMatchObject({
      wordingVersion: wording.version,
      wording: wording.text,
    });
    const token = await latestToken(c.id);
    expect((await confirmationEmails(c.id))[0]!.html).toContain(wording.text);
    expect(await previewConsentLink({ db: t.db, config }, { token })).toMatchObject({
      wording: wording.text,
    });
  });

  it("a customer's own grant (portal) opts in at once without an email and supersedes a pending one", async () => {
    const c = await insertCustomer(t.db);
    await staffGrant(c.id);
    const staleToken = await latestToken(c.id);
    const r = await t.db.transaction((tx) =>
      recordConsentChange(tx, config, {
        customerId: c.id,
        channel: "EMAIL",
        granted: true,
        source: "PORTAL",
        confirmed: true,
        ip: "198.51.100.4",
      }),
    );
    expect(r).toMatchObject({
      changed: true,
      state: "CONFIRMED",
      after: { optedIn: true, awaitingSince: null },
      confirmationEmailId: null,
    });
    expect((await flags(c.id)).email).toBe(true);
    expect(await confirmationEmails(c.id)).toHaveLength(1);
    await expect(
      confirmConsent({ db: t.db, meta: customerMeta, config }, { token: staleToken }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await flags(c.id)).email).toBe(true);
  });

  it("refuses an unknown or erased customer", async () => {
    const c = await insertCustomer(t.db);
    await t.sql`update customers set erased_at = now() where id = ${c.id}`;
    for (const customerId of [c.id, "00000000-0000-4000-8000-00000000dead"]) {
      await expect(staffGrant(customerId)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(consentHistory({ db: t.db }, { customerId })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
  });
});

describe("consentHistory", () => {
  it("lists events newest first with what became of each pending grant", async () => {
    const staff = await insertStaff(t.db, { name: "Mila Front Desk" });
    const c = await insertCustomer(t.db);
    const as = { type: "staff" as const, id: staff.id, role: "FRONT_DESK" as const };
    const set = (channel: "EMAIL" | "SMS", granted: boolean) =>
      setConsentByStaff(
        { db: t.db, actor: as, meta, config },
        { customerId: c.id, channel, granted },
      );

    await set("EMAIL", true); // superseded by the withdrawal
    await set("EMAIL", false);
    const expired = await set("SMS", true);
    await t.sql`update consent_events set created_at = created_at - interval '8 days' where id = ${expired.eventId!}`;
    await set("EMAIL", true); // awaiting

    const h = await consentHistory({ db: t.db }, { customerId: c.id });
    expect(h.events.map((e) => [e.channel, e.action, e.status])).toEqual([
      ["EMAIL", "GRANTED", "AWAITING"],
      ["EMAIL", "WITHDRAWN", "CONFIRMED"],
      ["EMAIL", "GRANTED", "SUPERSEDED"],
      ["SMS", "GRANTED", "EXPIRED"],
    ]);
    expect(h.events[0]).toMatchObject({ source: "STAFF", staffName: "Mila Front Desk" });
    expect(h.channels.EMAIL.optedIn).toBe(false);
    expect(h.channels.EMAIL.awaitingSince).toEqual(h.events[0]!.createdAt);
    expect(h.channels.SMS).toEqual({ optedIn: false, awaitingSince: null });
  });
});
