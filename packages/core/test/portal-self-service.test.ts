import { loadEnv } from "@xplorium/config";
import {
  confirmConsent,
  portalPrivacyOverview,
  setConsentByCustomer,
  setConsentByStaff,
} from "@xplorium/core/consent";
import { portalProfile, updateCustomer, updateOwnProfile } from "@xplorium/core/customers";
import { schema } from "@xplorium/db";
import { insertCustomer, insertStaffActor } from "@xplorium/db/testing";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CONSENT_WORDING } from "../src/consent/consent";
import { BIRTH_DATE_LOCKED_MESSAGE } from "../src/customers/portal-profile";
import { useTestDatabase } from "./support";

const config = loadEnv({
  NODE_ENV: "test",
  PORTAL_URL: "http://portal.test:3001",
  SESSION_SECRET: "portal-self-service-secret-0123456789-abc",
});
const meta = { ip: "198.51.100.7", userAgent: "vitest phone", requestId: "self-service" };
const region = { DEFAULT_PHONE_REGION: "RS" };

const t = useTestDatabase();

const me = async () => {
  const c = await insertCustomer(t.db, { name: "Ana Petrović" });
  return { customer: c, actor: { type: "customer" as const, id: c.id } };
};
const row = async (id: string) =>
  (await t.db.select().from(schema.customers).where(eq(schema.customers.id, id)))[0]!;
const audits = (id: string, action: string) =>
  t.sql`select actor_type, actor_id, ip, details from audit_log
        where entity_id = ${id} and action = ${action} order by id`;

describe("portal.updateProfile (right to rectification)", () => {
  it("saves name, phone in E.164 and the preferred contact, audited with the customer as actor", async () => {
    const { customer, actor } = await me();
    const r = await updateOwnProfile(
      { db: t.db, actor, meta, config: region },
      {
        name: "  Ana Petrović-Jovanović ",
        phone: "064 123 4567",
        preferredContactMethod: "SMS",
      },
    );
    expect(r).toEqual({
      changed: true,
      fields: ["name", "phone", "preferredContactMethod"],
    });
    expect(await row(customer.id)).toMatchObject({
      name: "Ana Petrović-Jovanović",
      phone: "+381641234567",
      preferredContactMethod: "SMS",
      birthDate: null,
    });
    const [audit, ...more] = await audits(customer.id, "customer.updated");
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ actor_type: "CUSTOMER", actor_id: customer.id, ip: meta.ip });
    expect(audit!.details).toMatchObject({
      via: "portal",
      changes: {
        name: { before: "Ana Petrović", after: "Ana Petrović-Jovanović" },
        phone: { before: null, after: "+381641234567" },
      },
    });
    // Saving the same again writes nothing.
    expect(
      await updateOwnProfile(
        { db: t.db, actor, meta, config: region },
        {
          name: "Ana Petrović-Jovanović",
          phone: "+381641234567",
          preferredContactMethod: "SMS",
        },
      ),
    ).toEqual({ changed: false });
    expect(await audits(customer.id, "customer.updated")).toHaveLength(1);
  });

  it("explains a bad phone, a missing name, and SMS without a phone, field by field", async () => {
    const { customer, actor } = await me();
    const attempt = (input: Parameters<typeof updateOwnProfile>[1]) =>
      updateOwnProfile({ db: t.db, actor, meta, config: region }, input);
    await expect(
      attempt({ name: "Ana", phone: "12", preferredContactMethod: "EMAIL" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      fieldErrors: { phone: [expect.stringMatching(/not a valid phone/)] },
    });
    await expect(attempt({ name: "  ", preferredContactMethod: "EMAIL" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["name"], message: "Enter your name." })],
    });
    await expect(
      attempt({ name: "Ana", phone: "", preferredContactMethod: "SMS" }),
    ).rejects.toMatchObject({
      fieldErrors: { phone: [expect.stringMatching(/Add a phone number/)] },
    });
    await expect(
      attempt({ name: "Ana", preferredContactMethod: "EMAIL", birthDate: "2999-01-01" }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["birthDate"] })] });
    expect((await row(customer.id)).name).toBe("Ana Petrović");
  });

  it("a blank phone removes it", async () => {
    const { customer, actor } = await me();
    await updateOwnProfile(
      { db: t.db, actor, meta, config: region },
      { name: "Ana", phone: "+381641234567", preferredContactMethod: "EMAIL" },
    );
    await updateOwnProfile(
      { db: t.db, actor, meta, config: region },
      { name: "Ana", phone: "", preferredContactMethod: "EMAIL" },
    );
    expect((await row(customer.id)).phone).toBeNull();
  });

  it("the birth date can be set once; then only staff change it", async () => {
    const { customer, actor } = await me();
    const base = { name: "Ana", preferredContactMethod: "EMAIL" as const };
    expect((await portalProfile({ db: t.db }, { customerId: customer.id })).birthDateLocked).toBe(
      false,
    );

    const before = Date.now();
    await updateOwnProfile(
      { db: t.db, actor, meta, config: region },
      { ...base, birthDate: "2017-06-02" },
    );
    const set = await row(customer.id);
    expect(set.birthDate).toBe("2017-06-02");
    // The 30-day birthday-bonus lock counts from here.
    expect(set.birthDateSetAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await portalProfile({ db: t.db }, { customerId: customer.id })).toMatchObject({
      birthDate: "2017-06-02",
      birthDateLocked: true,
    });

    // The same date again is fine (the form may send it); another one is refused, clearly.
    await updateOwnProfile(
      { db: t.db, actor, meta, config: region },
      { ...base, birthDate: "2017-06-02" },
    );
    await expect(
      updateOwnProfile(
        { db: t.db, actor, meta, config: region },
        { ...base, name: "Changed", birthDate: "2017-06-20" },
      ),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: BIRTH_DATE_LOCKED_MESSAGE,
      fieldErrors: { birthDate: [BIRTH_DATE_LOCKED_MESSAGE] },
    });
    // Nothing of the refused save was written.
    expect(await row(customer.id)).toMatchObject({ name: "Ana", birthDate: "2017-06-02" });
    expect((await row(customer.id)).birthDateSetAt).toEqual(set.birthDateSetAt);

    // Staff can correct it (customers.update), which restarts the lock.
    const staff = await insertStaffActor(t.db);
    await updateCustomer(
      { db: t.db, actor: staff, meta, config: region },
      {
        customerId: customer.id,
        birthDate: "2017-06-20",
        clear: [],
      },
    );
    const corrected = await row(customer.id);
    expect(corrected.birthDate).toBe("2017-06-20");
    expect(corrected.birthDateSetAt!.getTime()).toBeGreaterThan(set.birthDateSetAt!.getTime());
  });

  it("an erased customer has no profile to edit", async () => {
    const { customer, actor } = await me();
    await t.sql`update customers set erased_at = now() where id = ${customer.id}`;
    await expect(
      updateOwnProfile(
        { db: t.db, actor, meta, config: region },
        { name: "Ana", preferredContactMethod: "EMAIL" },
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(portalProfile({ db: t.db }, { customerId: customer.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("portal.setConsent", () => {
  const events = (id: string) =>
    t.db
      .select()
      .from(schema.consentEvents)
      .where(eq(schema.consentEvents.customerId, id))
      .orderBy(asc(schema.consentEvents.createdAt));

  it("records every toggle as a confirmed PORTAL event with the wording shown, and audits it", async () => {
    const { customer, actor } = await me();
    const toggles = [
      { channel: "EMAIL", granted: true },
      { channel: "SMS", granted: true },
      { channel: "EMAIL", granted: false },
      { channel: "SMS", granted: false },
      { channel: "EMAIL", granted: true },
    ] as const;
    for (const toggle of toggles) {
      const r = await setConsentByCustomer(
        { db: t.db, actor, meta, config },
        {
          ...toggle,
          wordingVersion: CONSENT_WORDING[toggle.channel].version,
        },
      );
      expect(r).toMatchObject({ changed: true, state: "CONFIRMED", confirmationEmailId: null });
    }
    const recorded = await events(customer.id);
    expect(recorded.map((e) => [e.channel, e.action])).toEqual(
      toggles.map((x) => [x.channel, x.granted ? "GRANTED" : "WITHDRAWN"]),
    );
    for (const e of recorded) {
      expect(e).toMatchObject({
        state: "CONFIRMED",
        source: "PORTAL",
        wordingVersion: CONSENT_WORDING[e.channel].version,
        wording: CONSENT_WORDING[e.channel].text,
        ip: meta.ip,
        userAgent: meta.userAgent,
        staffUserId: null,
      });
      // Given and confirmed by the signed-in customer in one moment: both are recorded.
      expect(e.confirmedAt).toBeInstanceOf(Date);
      expect(e.confirmedAt!.getTime()).toBe(e.createdAt.getTime());
    }
    expect(await row(customer.id)).toMatchObject({ marketingOptIn: true, smsOptIn: false });
    const changes = await audits(customer.id, "customer.consent_changed");
    expect(changes).toHaveLength(toggles.length);
    expect(changes[0]).toMatchObject({ actor_type: "CUSTOMER", actor_id: customer.id });

    // Toggling to what it already is records nothing.
    const again = await setConsentByCustomer(
      { db: t.db, actor, meta, config },
      {
        channel: "EMAIL",
        granted: true,
      },
    );
    expect(again.changed).toBe(false);
    expect(await events(customer.id)).toHaveLength(toggles.length);
    // The page shows the history without staff names, and the wording to agree to.
    const overview = await portalPrivacyOverview({ db: t.db }, { customerId: customer.id });
    expect(overview.events).toHaveLength(toggles.length);
    expect(overview.events[0]).not.toHaveProperty("staffName");
    expect(overview.wording).toEqual(CONSENT_WORDING);
  });

  it("refuses a grant whose wording changed since the page was shown", async () => {
    const { customer, actor } = await me();
    await expect(
      setConsentByCustomer(
        { db: t.db, actor, meta, config },
        {
          channel: "EMAIL",
          granted: true,
          wordingVersion: "2019-old-wording",
        },
      ),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await events(customer.id)).toHaveLength(0);
    // Withdrawing never depends on the wording.
    await setConsentByCustomer(
      { db: t.db, actor, meta, config },
      { channel: "EMAIL", granted: true },
    );
    const off = await setConsentByCustomer(
      { db: t.db, actor, meta, config },
      {
        channel: "EMAIL",
        granted: false,
        wordingVersion: "anything",
      },
    );
    expect(off.changed).toBe(true);
  });
});

describe("double opt-in (consent not from the signed-in customer)", () => {
  it("stays pending until confirmed, and the event keeps both moments", async () => {
    const { customer } = await me();
    const staff = await insertStaffActor(t.db);
    const staffMeta = { ip: "10.0.0.9", userAgent: "desk", requestId: "doi" };
    const r = await setConsentByStaff(
      { db: t.db, actor: staff, meta: staffMeta, config },
      {
        customerId: customer.id,
        channel: "EMAIL",
        granted: true,
      },
    );
    const [pending] = await t.db
      .select()
      .from(schema.consentEvents)
      .where(eq(schema.consentEvents.id, r.eventId!));
    expect(pending).toMatchObject({ state: "PENDING", confirmedAt: null });
    expect((await row(customer.id)).marketingOptIn).toBe(false);
    // Asked at one moment ...
    await t.sql`update consent_events set created_at = now() - interval '2 hours' where id = ${r.eventId!}`;
    const [email] = await t.db
      .select({ html: schema.emailMessages.html })
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.id, r.confirmationEmailId!));
    const token = /\/consent\/confirm\/([^"]+)"/.exec(email!.html!)![1]!;
    // ... confirmed at another.
    await confirmConsent({ db: t.db, meta, config }, { token });
    const [confirmed] = await t.db
      .select()
      .from(schema.consentEvents)
      .where(eq(schema.consentEvents.id, r.eventId!));
    expect(confirmed!.state).toBe("CONFIRMED");
    expect(confirmed!.createdAt.getTime()).toBeLessThan(Date.now() - 60 * 60 * 1000);
    expect(confirmed!.confirmedAt!.getTime()).toBeGreaterThan(Date.now() - 60 * 1000);
    expect((await row(customer.id)).marketingOptIn).toBe(true);
    // The portal history shows both.
    const [shown] = (await portalPrivacyOverview({ db: t.db }, { customerId: customer.id })).events;
    expect(shown).toMatchObject({ source: "STAFF", status: "CONFIRMED" });
    expect(shown!.createdAt).toEqual(confirmed!.createdAt);
    expect(shown!.confirmedAt).toEqual(confirmed!.confirmedAt);
  });
});
