import { createSession } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { requestCustomerCode } from "@xplorium/core/auth";
import { createBooking, setBookingStatus } from "@xplorium/core/bookings";
import { confirmConsent, setConsentByCustomer } from "@xplorium/core/consent";
import { changeTag, setCustomerNotes, updateCustomer } from "@xplorium/core/customers";
import { adjustPoints, redeemReward, setVip } from "@xplorium/core/loyalty";
import {
  createCampaign,
  createSegment,
  requestAutomationRun,
  sendCampaignNow,
  sendCampaignTest,
  setAutomationEnabled,
  updateAutomation,
} from "@xplorium/core/marketing";
import { exportPersonalData } from "@xplorium/core/privacy";
import { type Database, schema } from "@xplorium/db";
import { unique } from "@xplorium/db/testing";
import { and, eq } from "drizzle-orm";

/**
 * A family that has touched every table that refers to customers, through the real services
 * wherever there is one: bookings (one completed, with notes), points (award, adjustment with
 * a note naming them, redemption), a voucher, tier changes (a VIP reason naming them), consent
 * (double opt-in confirmed from the emailed link, a portal grant), emails (confirmation,
 * sign-in code) and a provider event repeating the address, a sign-in code and session, a rate
 * limit bucket keyed by the address, an alias from a merge, a points-expiry notice, an export
 * request, staff notes (their phone and birthday written the way people write them), a tag,
 * an earlier name and phone in the audit log, and an imported booking not yet linked that
 * carries their address. `mailEveryKind` adds a campaign, an automation and a test send
 * previewed as them.
 */
export interface Family {
  id: string;
  label: string;
  email: string;
  alias: string;
  firstName: string;
  name: string;
  oldName: string;
  phone: string;
  oldPhone: string;
  birthDate: string;
  /**
   * Every string that identifies them, for the "no trace left" scan: addresses and their local
   * parts, full names, first and last names, phone numbers as stored, the birth date in the
   * ways dates are written (ISO, 14.03.2016, 14/03/2016, …).
   */
  needles: string[];
  /** Their phone numbers' digits without country code or trunk 0, to find them in any format. */
  phoneDigits: string[];
  unlinkedBookingId: string;
}

/** "+381641234567" → "641234567": what every way of writing the number contains. */
export const nationalDigits = (e164: string) => e164.replace(/^\+381/, "");
/** "+381641234567" → "064 123 4567", as people write it at home. */
const nationalSpaced = (e164: string) => {
  const d = `0${nationalDigits(e164)}`;
  return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
};
/** "+381641234567" → "064-123-45-67". */
const nationalDashed = (e164: string) => {
  const d = `0${nationalDigits(e164)}`;
  return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`;
};

/** An ISO date in the ways people write it: 2016-03-14, 14.03.2016, 14/03/2016, 14.3.2016 … */
export function dateForms(iso: string): string[] {
  const [y, m, d] = iso.split("-") as [string, string, string];
  const [mm, dd] = [String(Number(m)), String(Number(d))];
  return [
    iso,
    `${d}.${m}.${y}`,
    `${d}/${m}/${y}`,
    `${d}-${m}-${y}`,
    `${dd}.${mm}.${y}`,
    `${m}/${d}/${y}`,
    `${y}/${m}/${d}`,
    `${y}${m}${d}`,
  ];
}

export interface FixtureContext {
  db: Database;
  env: Env;
  staff: { type: "staff"; id: string; role: "MANAGER" };
  rewardId: string;
}

const at = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

export async function buildFamily(
  ctx: FixtureContext,
  opts: { label: string; firstName: string; phone: string; oldPhone: string; birthDate: string },
): Promise<Family> {
  const { db, env, staff } = ctx;
  const u = unique();
  const email = `${opts.label}.${u}@example.com`;
  const alias = `${opts.label}.old.${u}@example.com`;
  const oldLastName = `Maiden${u.slice(-4)}`;
  const lastName = `Family${u.slice(-4)}`;
  const oldName = `${opts.firstName} ${oldLastName}`;
  const name = `${opts.firstName} ${lastName}`;
  const { birthDate } = opts;
  const staffMeta = { ip: "10.50.0.1", userAgent: "staff browser", requestId: `fx-${u}` };
  const theirMeta = {
    ip: `10.60.${opts.label.length}.7`,
    userAgent: `${opts.firstName}'s phone`,
    requestId: `fx-c-${u}`,
  };

  // A booking at the desk: creates the customer with the old name and phone, marketing ticked.
  const first = await createBooking(
    { db, actor: staff, meta: staffMeta, config: env },
    {
      email,
      name: oldName,
      phone: opts.oldPhone,
      type: "PARTY",
      scheduledAt: at(40),
      guests: 8,
      amount: 25_000,
      notes: `Cake for ${opts.firstName}, call ${opts.oldPhone} or ${nationalSpaced(opts.oldPhone)}`,
      marketingConsent: true,
      source: "ADMIN",
    },
  );
  const id = first.booking.customerId!;
  await setBookingStatus(
    { db, actor: staff, meta: staffMeta, config: env },
    { bookingId: first.booking.id, status: "COMPLETED" },
  );
  const second = await createBooking(
    { db, actor: staff, meta: staffMeta, config: env },
    {
      email,
      type: "CAFE",
      scheduledAt: at(10),
      guests: 2,
      amount: 1_250,
      marketingConsent: false,
      source: "ADMIN",
    },
  );
  await setBookingStatus(
    { db, actor: staff, meta: staffMeta, config: env },
    { bookingId: second.booking.id, status: "APPROVED" },
  );

  // Double opt-in confirmed from the emailed link.
  const [confirmEmail] = await db
    .select({ html: schema.emailMessages.html })
    .from(schema.emailMessages)
    .where(
      and(
        eq(schema.emailMessages.customerId, id),
        eq(schema.emailMessages.template, "consent-confirm"),
      ),
    );
  const token = /\/consent\/confirm\/([^"]+)"/.exec(confirmEmail!.html!)![1]!;
  await confirmConsent({ db, meta: theirMeta, config: env }, { token });
  await setConsentByCustomer(
    { db, actor: { type: "customer", id }, meta: theirMeta, config: env },
    {
      channel: "SMS",
      granted: true,
    },
  );

  // Staff correct the profile (the old name and phone stay in the audit log), notes, a tag.
  await updateCustomer(
    { db, actor: staff, meta: staffMeta, config: env },
    {
      customerId: id,
      name,
      phone: opts.phone,
      birthDate,
      clear: [],
    },
  );
  await setCustomerNotes(
    { db, actor: staff, meta: staffMeta },
    {
      customerId: id,
      notes: `${name} prefers the quiet room; mobile ${nationalDashed(opts.phone)}; born ${dateForms(birthDate)[1]}`,
    },
  );
  await changeTag(
    { db, actor: staff, meta: staffMeta },
    { customerId: id, tag: `vip-${opts.label}`, op: "add" },
  );
  await db
    .update(schema.customers)
    .set({ userId: `site-user-${u}` })
    .where(eq(schema.customers.id, id));

  // Points: a manual adjustment naming them, VIP with a reason naming them, a redemption.
  await adjustPoints(
    { db, actor: staff, meta: staffMeta },
    {
      customerId: id,
      delta: 1_200,
      // Free text as staff type it: the number and birthday written their own way.
      reason: `Goodwill for ${name}; call ${nationalSpaced(opts.phone)}, born ${dateForms(birthDate)[2]}`,
    },
  );
  await setVip(
    { db, actor: staff, meta: staffMeta },
    { customerId: id, vip: true, reason: `${name} is family` },
  );
  await redeemReward(
    { db, actor: { type: "customer", id }, meta: theirMeta },
    {
      customerId: id,
      rewardId: ctx.rewardId,
    },
  );

  // Signing in: a code by email (rate-limit bucket keyed by the address) and a session.
  await requestCustomerCode({ db, config: env, meta: theirMeta }, { email });
  await createSession(db, { kind: "CUSTOMER", customerId: id }, theirMeta);

  // An alias from an earlier merge, an expiry notice, a provider event repeating the address.
  await db.insert(schema.customerEmailAliases).values({ email: alias, customerId: id });
  await db.insert(schema.pointsExpiryNotices).values({
    customerId: id,
    dueOn: "2027-01-01",
    expiresOn: "2027-01-15",
    points: 700,
  });
  const [anyEmail] = await db
    .select({ id: schema.emailMessages.id })
    .from(schema.emailMessages)
    .where(eq(schema.emailMessages.customerId, id))
    .limit(1);
  await db.insert(schema.emailEvents).values({
    emailMessageId: anyEmail!.id,
    svixId: `msg_${u}`,
    type: "email.delivered",
    payload: { type: "email.delivered", data: { to: [email], subject: "Hello" } },
    occurredAt: new Date(),
  });

  // They downloaded their data once.
  await exportPersonalData(
    { db, actor: { type: "customer", id }, meta: theirMeta },
    { customerId: id, source: "PORTAL" },
  );

  // An imported booking, not linked yet, under the alias.
  const [unlinked] = await db
    .insert(schema.bookings)
    .values({
      customerId: null,
      type: "PLAYGROUND",
      status: "COMPLETED",
      scheduledAt: at(90),
      completedAt: at(90),
      amount: 900,
      currency: env.CURRENCY,
      contactEmail: ` ${alias.toUpperCase()} `,
      contactName: oldName,
      contactPhone: opts.oldPhone,
      source: "IMPORT",
    })
    .returning({ id: schema.bookings.id });

  return {
    id,
    label: opts.label,
    email,
    alias,
    firstName: opts.firstName,
    name,
    oldName,
    phone: opts.phone,
    oldPhone: opts.oldPhone,
    birthDate,
    needles: [
      email,
      alias,
      email.split("@")[0]!,
      alias.split("@")[0]!,
      name,
      oldName,
      opts.firstName,
      lastName,
      oldLastName,
      opts.phone,
      opts.oldPhone,
      ...dateForms(birthDate),
    ],
    phoneDigits: [nationalDigits(opts.phone), nationalDigits(opts.oldPhone)],
    unlinkedBookingId: unlinked!.id,
  };
}

/**
 * Before the families are built: the tier-upgrade automation on, greeting by first name (a
 * family's VIP upgrade in `buildFamily` is then an upgrade to mail).
 */
export async function personalisedAutomation(ctx: FixtureContext) {
  const { db, staff } = ctx;
  const meta = { ip: null, userAgent: null, requestId: "fx-automation" };
  await updateAutomation(
    { db, actor: staff, meta },
    {
      kind: "TIER_UPGRADE",
      subject: "Well done {{firstName}}, you are now {{tier}}",
      preheader: "A treat for {{firstName}}",
      bodyMarkdown: "Hi {{firstName}}, enjoy your {{tier}} perks.",
    },
  );
  await setAutomationEnabled({ db, actor: staff, meta }, { kind: "TIER_UPGRADE", enabled: true });
}

/**
 * The mail a family gets beyond `buildFamily`'s, through the real services, queued for the
 * worker to deliver: a campaign greeting them by first name (to a segment of their tag), the
 * tier-upgrade automation (`personalisedAutomation`), and a test send of that campaign to a
 * staff address, previewed as them.
 */
export async function mailEveryKind(ctx: FixtureContext, family: Family) {
  const { db, env, staff } = ctx;
  const meta = { ip: "10.50.0.2", userAgent: "staff browser", requestId: `fx-mail-${unique()}` };
  const segment = await createSegment(
    { db, actor: staff, meta },
    {
      name: `Family ${family.label} ${unique()}`,
      filter: { tagsAll: [`vip-${family.label}`] },
    },
  );
  const campaign = await createCampaign(
    { db, actor: staff, meta },
    {
      name: `Party news ${unique()}`,
      subject: "{{firstName}}, a party just for you",
      preheader: "For {{firstName}} only",
      bodyMarkdown: "Hi {{firstName}}, you have {{points}} points.",
      segmentId: segment.id,
    },
  );
  await sendCampaignTest(
    { db, actor: staff, meta, config: env },
    {
      id: campaign.id,
      to: ["desk.tester@xplorium.example"],
      customerId: family.id,
    },
  );
  await sendCampaignNow({ db, actor: staff, meta }, { id: campaign.id });
  await requestAutomationRun({ db, actor: staff, meta }, { kind: "TIER_UPGRADE" });
  return { campaignId: campaign.id };
}
