import { randomUUID } from "node:crypto";
import type { Env } from "@xplorium/config";
import { schema, type Tx } from "@xplorium/db";
import { emailTransportName } from "@xplorium/email";
import { and, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { type ConsentConfig, recordConsentChange } from "../consent/consent";
import { lockCustomerStats } from "../customers/booking-stats";
import { type Deps, nowOf } from "../deps";
import { AppError, notFound } from "../errors";
import { AUTOMATION_TEMPLATE } from "../marketing/automation-runner";
import { queueEmail } from "../messaging/queue";
import {
  ERASED,
  type ErasedIdentity,
  identityPatterns,
  mentions,
  scrubAuditLog,
} from "./audit-scrub";
import type { GdprSource } from "./personal-data-export";
import { emailSuppressionHash } from "./suppression-hash";

const {
  customers: c,
  customerEmailAliases: aliases,
  bookings,
  loyaltyLedger: ledger,
  tierChanges,
  consentEvents,
  emailMessages,
  emailEvents,
  campaigns,
  marketingAutomations,
  sessions,
  loginCodes,
  gdprRequests,
  suppressions,
  rateLimitBuckets,
} = schema;

/** The word that confirms an erasure, besides the customer's own email address. */
export const ERASE_CONFIRM_WORD = "DELETE";

export const eraseConfirmation = z
  .string({ message: `Type your email address or ${ERASE_CONFIRM_WORD} to confirm.` })
  .trim()
  .max(254, { message: "That is too long." });

export type ErasureConfig = ConsentConfig & Pick<Env, "TIME_ZONE">;

export interface EraseCustomerInput {
  customerId: string;
  source: GdprSource;
  /** Typed by the person asking: the customer's email address, or DELETE. */
  confirmation: string;
}

export interface ErasureResult {
  gdprRequestId: string;
  erasedAt: Date;
  /** The "your account has been deleted" email, queued before the address was removed. */
  confirmationEmailId: string | null;
  counts: Record<string, number>;
}

/** Rows an UPDATE or DELETE touched (postgres.js reports it on the result). */
async function affected(query: PromiseLike<unknown>): Promise<number> {
  const result = (await query) as { count?: number };
  return result.count ?? 0;
}

function checkConfirmation(email: string | null, typed: string) {
  const t = typed.trim();
  if (t === ERASE_CONFIRM_WORD || (email !== null && t.toLowerCase() === email)) return;
  throw new AppError(
    "BAD_REQUEST",
    `To delete the account, type its email address or ${ERASE_CONFIRM_WORD}.`,
    {
      fieldErrors: {
        confirmation: [
          t === ""
            ? `Type the email address or ${ERASE_CONFIRM_WORD} to confirm.`
            : `That does not match. Type the email address or ${ERASE_CONFIRM_WORD}, exactly.`,
        ],
      },
    },
  );
}

const distinct = (values: (string | null | undefined)[]) => [
  ...new Set(values.map((v) => v?.trim()).filter((v): v is string => Boolean(v))),
];

/**
 * Erasure (GDPR right to erasure, DESIGN.md "Privacy"), from the portal by the customer or by
 * staff on request, in ONE transaction, so it happens completely or not at all:
 *
 * 1. the customer row is locked and the typed confirmation checked (their email, or DELETE);
 *    marketing consent is withdrawn through the consent log (events with the request's source);
 * 2. a `gdpr_requests` row (ERASURE) is opened, and the confirmation email is queued to the
 *    address while the address still exists. That row is the only copy of the address left
 *    when the transaction commits: deliverEmail sends it past the ERASURE suppression and then
 *    nulls its address and body (the hourly purge does the same if it cannot be delivered);
 * 3. bookings: contact email, name, phone and notes cleared, dates, types, statuses and amounts
 *    kept for accounting; bookings not yet linked that carry one of their addresses are linked
 *    to the erased record and cleared the same way;
 * 4. sessions and sign-in codes deleted (signed out everywhere), rate-limit buckets keyed by
 *    their address deleted;
 * 5. every other email to them, and every test send staff previewed as them: address (theirs),
 *    body and any error text mentioning the address nulled; provider event payloads replaced
 *    (they repeat the address); subjects made impersonal (`impersonalSubjects`: a campaign's or
 *    automation's own subject with its merge tags, not "Hi Zed, …");
 * 6. consent events keep channel, action, state, source, wording and times, as proof of what
 *    was agreed and withdrawn when; IP address and browser are nulled;
 * 7. ledger notes nulled (the append-only trigger allows exactly this), a hand-set VIP's typed
 *    reason replaced; aliases deleted;
 * 8. the audit log scrubbed of their addresses, phone numbers and names (audit-scrub.ts);
 * 9. the customer row anonymised: email, name, phone, birth date, notes, tags, booking-site
 *    user id, preferred types cleared, a meaningless referral code, consent flags off,
 *    `erased_at` set; points, tier and booking statistics stay (the ledger must still add up);
 * 10. a suppression (SHA-256 of each address they used, reason ERASURE), so syncFromBookings,
 *    imports and sends never bring the address back; the request COMPLETED; one audit row
 *    `customer.erased` without any personal data.
 */
export async function eraseCustomer(
  deps: Deps<ErasureConfig>,
  input: EraseCustomerInput,
): Promise<ErasureResult> {
  const { db, config, actor, meta } = deps;
  const now = nowOf(deps);
  return db.transaction(async (tx) => {
    // Taken before the customer lock, in the order booking writes take them: the sync must not
    // link this person's unlinked bookings to a new customer while we work.
    await lockCustomerStats(tx, "shared");
    const [customer] = await tx.select().from(c).where(eq(c.id, input.customerId)).for("update");
    if (!customer || customer.erasedAt) throw notFound("Customer");
    checkConfirmation(customer.email, input.confirmation);
    const id = customer.id;
    const staffUserId = actor.type === "staff" ? actor.id : null;

    // 1. Consent withdrawn on the record, while it is still a live customer.
    for (const channel of ["EMAIL", "SMS"] as const) {
      await recordConsentChange(tx, config, {
        customerId: id,
        channel,
        granted: false,
        source: input.source === "PORTAL" ? "PORTAL" : "STAFF",
        confirmed: true,
        staffUserId,
      });
    }

    // 2. The request, and the confirmation email while the address exists.
    const [request] = await tx
      .insert(gdprRequests)
      .values({
        customerId: id,
        type: "ERASURE",
        source: input.source,
        status: "PENDING",
        requestedByStaffId: staffUserId,
      })
      .returning({ id: gdprRequests.id });
    const gdprRequestId = request!.id;
    const confirmationEmailId = customer.email
      ? await queueEmail(tx, {
          template: "account-erased",
          props: {
            erasedOn: new Intl.DateTimeFormat("en-GB", {
              dateStyle: "long",
              timeZone: config.TIME_ZONE,
            }).format(now),
            requestedBy: input.source === "PORTAL" ? "CUSTOMER" : "STAFF",
          },
          to: customer.email,
          from: config.EMAIL_FROM,
          customerId: id,
          transport: emailTransportName(config),
        })
      : null;

    // What identifies them, gathered before anything is cleared.
    const aliasRows = await tx
      .select({ email: aliases.email })
      .from(aliases)
      .where(eq(aliases.customerId, id));
    const emails = distinct([customer.email, ...aliasRows.map((a) => a.email)]).map((e) =>
      e.toLowerCase(),
    );
    const emailList = sql`array[${sql.join(
      emails.map((e) => sql`${e}::text`),
      sql`, `,
    )}]::text[]`;
    const theirBookings = or(
      eq(bookings.customerId, id),
      sql`lower(btrim(${bookings.contactEmail})) = any(${emailList})`,
    );
    const contacts = await tx
      .select({
        email: bookings.contactEmail,
        name: bookings.contactName,
        phone: bookings.contactPhone,
      })
      .from(bookings)
      .where(theirBookings);
    const identity: ErasedIdentity = {
      customerId: id,
      emails: distinct([...emails, ...contacts.map((b) => b.email)]),
      names: distinct([customer.name, ...contacts.map((b) => b.name)]),
      phones: distinct([customer.phone, ...contacts.map((b) => b.phone)]),
      birthDates: distinct([customer.birthDate]),
    };

    // 3. Bookings: identity out, accounting in.
    const linked = await affected(
      tx
        .update(bookings)
        .set({ customerId: id })
        .where(
          and(
            isNull(bookings.customerId),
            sql`lower(btrim(${bookings.contactEmail})) = any(${emailList})`,
          ),
        ),
    );
    const bookingsCleared = await affected(
      tx
        .update(bookings)
        .set({ contactEmail: null, contactName: null, contactPhone: null, notes: null })
        .where(theirBookings),
    );

    // 4. Signed out everywhere; nothing keyed by the address.
    const sessionsEnded = await affected(tx.delete(sessions).where(eq(sessions.customerId, id)));
    await tx.delete(loginCodes).where(eq(loginCodes.customerId, id));
    const rateKeys = emails.flatMap((e) => [`code-request:email:${e}`, `code-check:email:${e}`]);
    await tx.delete(rateLimitBuckets).where(inArray(rateLimitBuckets.key, rateKeys));

    // 5. Emails to them, but the confirmation just queued; test sends previewed as them.
    const previews = await testSendsPreviewing(tx, id);
    const previewIds = [...previews.keys()];
    const toThem = and(
      or(
        eq(emailMessages.customerId, id),
        sql`lower(btrim(${emailMessages.toEmail})) = any(${emailList})`,
        previewIds.length > 0 ? inArray(emailMessages.id, previewIds) : undefined,
      ),
      confirmationEmailId ? ne(emailMessages.id, confirmationEmailId) : undefined,
    );
    await impersonalSubjects(tx, toThem, previews, identity);
    const emailsCleared = await affected(
      tx
        .update(emailMessages)
        .set({
          // A test send's address is the staff member's: it stays.
          toEmail:
            previewIds.length > 0
              ? sql`case when ${inArray(emailMessages.id, previewIds)} then ${emailMessages.toEmail} end`
              : null,
          html: null,
          text: null,
          error: sql`case when exists (select 1 from unnest(${emailList}) as e(addr)
            where strpos(lower(${emailMessages.error}), e.addr) > 0) then null
            else ${emailMessages.error} end`,
        })
        .where(toThem),
    );
    await tx
      .update(emailEvents)
      .set({ payload: sql`jsonb_build_object('erased', true)` })
      .where(
        inArray(
          emailEvents.emailMessageId,
          tx.select({ id: emailMessages.id }).from(emailMessages).where(toThem),
        ),
      );

    // 6. Consent proof without the device.
    await tx
      .update(consentEvents)
      .set({ ip: null, userAgent: null })
      .where(eq(consentEvents.customerId, id));

    // 7. Free text about them in the loyalty records; aliases.
    await tx
      .update(ledger)
      .set({ note: null })
      .where(and(eq(ledger.customerId, id), isNotNull(ledger.note)));
    await tx
      .update(tierChanges)
      .set({ reason: `VIP by hand (reason ${ERASED})` })
      .where(
        and(
          eq(tierChanges.customerId, id),
          or(eq(tierChanges.fromTier, "VIP"), eq(tierChanges.toTier, "VIP")),
        ),
      );
    const aliasesDeleted = await affected(tx.delete(aliases).where(eq(aliases.customerId, id)));
    // The analytics profile (visits, spend, scores): rebuilt without them at the next refresh,
    // gone now.
    await tx.delete(schema.customerAnalytics).where(eq(schema.customerAnalytics.customerId, id));

    // 8. The audit log.
    const auditRowsScrubbed = await scrubAuditLog(tx, identity);

    // 9. The record itself.
    const [erased] = await tx
      .update(c)
      .set({
        email: null,
        name: null,
        phone: null,
        birthDate: null,
        birthDateSetAt: null,
        notes: null,
        tags: [],
        preferredTypes: [],
        userId: null,
        referralCode: `erased-${randomUUID()}`,
        marketingOptIn: false,
        smsOptIn: false,
        erasedAt: sql`now()`,
      })
      .where(eq(c.id, id))
      .returning({ erasedAt: c.erasedAt });

    // 10. Never again: imports, sync and sends check this.
    const hashes = distinct(identity.emails.map((e) => emailSuppressionHash(e)));
    if (hashes.length > 0) {
      await tx
        .insert(suppressions)
        .values(hashes.map((emailHash) => ({ emailHash, reason: "ERASURE" as const })))
        .onConflictDoNothing();
    }
    await tx
      .update(gdprRequests)
      .set({ status: "COMPLETED", completedAt: sql`now()` })
      .where(eq(gdprRequests.id, gdprRequestId));

    const counts = {
      bookingsCleared,
      bookingsLinked: linked,
      sessionsEnded,
      emailsCleared,
      aliasesDeleted,
      auditRowsScrubbed,
      addressesSuppressed: hashes.length,
    };
    await recordAudit(
      tx,
      actor,
      { ...meta, ip: actor.type === "customer" ? null : meta.ip },
      {
        action: "customer.erased",
        entityType: "customer",
        entityId: id,
        details: { gdprRequestId, source: input.source, confirmationEmailId, counts },
      },
    );
    return { gdprRequestId, erasedAt: erased!.erasedAt!, confirmationEmailId, counts };
  });
}

/**
 * Test sends of a campaign that staff previewed as this customer (`campaign.test_sent` audit
 * rows name the customer and the emails): email id → the campaign's id. Those emails went to
 * staff but carry the customer's first name and points.
 */
async function testSendsPreviewing(tx: Tx, customerId: string): Promise<Map<string, string>> {
  const rows = await tx.execute<{ email_id: string; campaign_id: string | null }>(sql`
    select e.id as email_id, a.entity_id as campaign_id
    from audit_log a
    cross join lateral jsonb_array_elements_text(
      case when jsonb_typeof(a.details->'emailIds') = 'array' then a.details->'emailIds'
      else '[]'::jsonb end) as e(id)
    where a.action = 'campaign.test_sent' and a.details->>'customerId' = ${customerId}
      and e.id ~ '^[0-9a-f-]{36}$'`);
  return new Map(rows.map((r) => [r.email_id, r.campaign_id ?? ""]));
}

/** A subject that names nobody: what stays of an erased customer's emails. */
export const ERASED_SUBJECT = "(erased)";

/**
 * Subjects of the customer's emails without them: a campaign email gets its campaign's subject
 * as written (merge tags and all), an automation's its automation's, a test send previewed as
 * them "[Test] " and its campaign's; any other subject that still names them (their name, first
 * or last, address, phone or birth date, however written) reads "(erased)". One UPDATE.
 */
async function impersonalSubjects(
  tx: Tx,
  where: SQL | undefined,
  previews: Map<string, string>,
  identity: ErasedIdentity,
) {
  const rows = await tx
    .select({
      id: emailMessages.id,
      subject: emailMessages.subject,
      template: emailMessages.template,
      campaignSubject: campaigns.subject,
    })
    .from(emailMessages)
    .leftJoin(campaigns, eq(campaigns.id, emailMessages.campaignId))
    .where(where);
  if (rows.length === 0) return;
  const automations = new Map(
    (
      await tx
        .select({ kind: marketingAutomations.kind, subject: marketingAutomations.subject })
        .from(marketingAutomations)
    ).map((a) => [AUTOMATION_TEMPLATE[a.kind], a.subject]),
  );
  const previewed = [...new Set(previews.values())].filter((v) => /^[0-9a-f-]{36}$/.test(v));
  const previewSubjects = new Map(
    previewed.length === 0
      ? []
      : (
          await tx
            .select({ id: campaigns.id, subject: campaigns.subject })
            .from(campaigns)
            .where(inArray(campaigns.id, previewed))
        ).map((c) => [c.id, c.subject]),
  );
  const patterns = identityPatterns(identity, { parts: true });
  const changed: { id: string; subject: string }[] = [];
  for (const row of rows) {
    const preview = previews.get(row.id);
    const template =
      preview !== undefined
        ? previewSubjects.has(preview)
          ? `[Test] ${previewSubjects.get(preview)}`
          : null
        : (row.campaignSubject ?? automations.get(row.template) ?? null);
    let subject = template ?? row.subject;
    // Half a subject ("[erased], a party just for you") says little and may still say who.
    if (mentions(subject, patterns)) subject = ERASED_SUBJECT;
    if (subject !== row.subject) changed.push({ id: row.id, subject });
  }
  if (changed.length === 0) return;
  await tx.execute(sql`
    update email_messages m set subject = v.subject
    from jsonb_to_recordset(${JSON.stringify(changed)}::jsonb) as v(id uuid, subject text)
    where m.id = v.id`);
}
