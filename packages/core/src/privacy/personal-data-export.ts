import { type DbOrTx, schema } from "@xplorium/db";
import { and, asc, eq, getTableColumns, inArray, isNull, or, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable, SelectedFields } from "drizzle-orm/pg-core";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { recordAudit } from "../audit/record-audit";
import { secretEmailLabel } from "../customers/customer-timeline";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";

const {
  customers: c,
  customerEmailAliases: aliases,
  bookings,
  loyaltyLedger: ledger,
  vouchers,
  rewards,
  tierChanges,
  consentEvents,
  emailMessages,
  emailEvents,
  pointsExpiryNotices: notices,
  automationSends,
  sessions,
  loginCodes,
  gdprRequests,
  auditLog,
  customerAnalytics: analytics,
} = schema;

export type GdprSource = (typeof schema.gdprRequestSource.enumValues)[number];

/**
 * Every table that references `customers`, and where the export carries its rows (the
 * checklist `customer-merge.ts` moves, plus what a merge deletes or leaves). A test compares
 * this with the foreign keys in the database, so a new table cannot be forgotten here or in
 * erasure (`customer-erasure.ts`).
 */
export const PERSONAL_DATA_TABLES = {
  customers: "profile, referral",
  customer_email_aliases: "emailAliases",
  bookings: "bookings",
  loyalty_ledger: "pointsLedger",
  vouchers: "vouchers",
  tier_changes: "tierChanges",
  consent_events: "consent",
  email_messages: "emails",
  points_expiry_notices: "pointsExpiryNotices",
  automation_sends: "automationEmails",
  sessions: "signIns.sessions",
  login_codes: "signIns.codes",
  gdpr_requests: "privacyRequests",
  // No foreign key (the snapshot is rebuilt from bookings), but one row per customer.
  customer_analytics: "profiling",
} as const;

const FORMAT = "xplorium-personal-data/1";

/**
 * Everything held about one live customer (DESIGN.md "Privacy", the right of access): their
 * profile with staff notes and tags (personal data about them), aliases, referral, consent
 * history, bookings, points ledger, vouchers, tier changes, emails sent to them (subject, date,
 * status, what happened to them: not the bodies; a sign-in or sign-up code email only as "Sign-in
 * code sent", its time and status, since its link or code would sign in whoever reads it), expiry
 * notices, sign-ins, privacy requests and the activity log about them. Of other people, nothing:
 * friends they referred are counted and dated, not named; staff are "staff", not named; the
 * IP and browser of a consent event are kept out when staff recorded it (they are the staff
 * member's). Amounts are in minor units (hundredths) of each row's currency.
 */
export async function collectPersonalData(db: DbOrTx, customerId: string, now = new Date()) {
  const [profile] = await db
    .select()
    .from(c)
    .where(and(eq(c.id, customerId), isNull(c.erasedAt)))
    .limit(1);
  if (!profile) throw notFound("Customer");

  // Bookings imported under one of their addresses but not linked yet are theirs too.
  const addresses = await db
    .select({ email: aliases.email })
    .from(aliases)
    .where(eq(aliases.customerId, customerId));
  const emails = [profile.email!, ...addresses.map((a) => a.email)];
  const emailList = sql`array[${sql.join(
    emails.map((e) => sql`${e}::text`),
    sql`, `,
  )}]::text[]`;
  const theirBookings = or(
    eq(bookings.customerId, customerId),
    and(
      isNull(bookings.customerId),
      sql`lower(btrim(${bookings.contactEmail})) = any(${emailList})`,
    ),
  );

  const myMessages = db
    .select({ id: emailMessages.id })
    .from(emailMessages)
    .where(eq(emailMessages.customerId, customerId));
  /**
   * The `fields` of a table's rows that belong to this customer, in `order` (oldest first).
   * Drizzle cannot infer a select's rows from generic fields, hence the result type by hand.
   */
  const rowsOf = <F extends SelectedFields>(
    table: PgTable & { customerId: AnyPgColumn },
    fields: F,
    ...order: AnyPgColumn[]
  ) =>
    db
      .select(fields)
      .from(table)
      .where(eq(table.customerId, customerId))
      .orderBy(...order.map((column) => asc(column))) as unknown as Promise<
      SelectResultFields<F>[]
    >;
  const [
    aliasRows,
    friendRows,
    consentRows,
    bookingRows,
    ledgerRows,
    voucherRows,
    tierRows,
    emailRows,
    emailEventRows,
    noticeRows,
    automationRows,
    sessionRows,
    codeRows,
    requestRows,
    auditRows,
    profilingRows,
  ] = await Promise.all([
    db
      .select({ email: aliases.email, since: aliases.createdAt })
      .from(aliases)
      .where(eq(aliases.customerId, customerId))
      .orderBy(asc(aliases.email)),
    db
      .select({
        joinedAt: c.createdAt,
        bonusEarned: sql<boolean>`exists (select 1 from loyalty_ledger l
          where l.idempotency_key = 'referral:' || ${c.id} || ':referrer')`,
      })
      .from(c)
      .where(and(eq(c.referredById, customerId), isNull(c.erasedAt)))
      .orderBy(asc(c.createdAt)),
    rowsOf(
      consentEvents,
      getTableColumns(consentEvents),
      consentEvents.createdAt,
      consentEvents.id,
    ),
    db
      .select()
      .from(bookings)
      .where(theirBookings)
      .orderBy(asc(bookings.scheduledAt), asc(bookings.id)),
    rowsOf(ledger, getTableColumns(ledger), ledger.createdAt, ledger.id),
    db
      .select({
        id: vouchers.id,
        code: vouchers.code,
        reward: rewards.name,
        pointsSpent: vouchers.pointsSpent,
        status: vouchers.status,
        issuedAt: vouchers.issuedAt,
        expiresAt: vouchers.expiresAt,
        usedAt: vouchers.usedAt,
        cancelledAt: vouchers.cancelledAt,
      })
      .from(vouchers)
      .innerJoin(rewards, eq(rewards.id, vouchers.rewardId))
      .where(eq(vouchers.customerId, customerId))
      .orderBy(asc(vouchers.issuedAt), asc(vouchers.id)),
    rowsOf(
      tierChanges,
      {
        id: tierChanges.id,
        from: tierChanges.fromTier,
        to: tierChanges.toTier,
        reason: tierChanges.reason,
        byStaff: sql<boolean>`${tierChanges.staffUserId} is not null`,
        at: tierChanges.createdAt,
      },
      tierChanges.createdAt,
      tierChanges.id,
    ),
    rowsOf(
      emailMessages,
      {
        id: emailMessages.id,
        kind: emailMessages.kind,
        template: emailMessages.template,
        to: emailMessages.toEmail,
        subject: emailMessages.subject,
        // Set for a secret email (TemplateDef.secret), which is shown as this label only.
        label: sql<string | null>`${secretEmailLabel(sql`${emailMessages.template}`)}`,
        status: emailMessages.status,
        queuedAt: emailMessages.createdAt,
        sentAt: emailMessages.sentAt,
      },
      emailMessages.createdAt,
      emailMessages.id,
    ),
    db
      .select({
        emailId: emailEvents.emailMessageId,
        type: emailEvents.type,
        at: emailEvents.occurredAt,
      })
      .from(emailEvents)
      .where(inArray(emailEvents.emailMessageId, myMessages))
      .orderBy(asc(emailEvents.occurredAt), asc(emailEvents.id)),
    rowsOf(
      notices,
      {
        dueOn: notices.dueOn,
        expiresOn: notices.expiresOn,
        points: notices.points,
        warnedAt: notices.createdAt,
      },
      notices.dueOn,
    ),
    rowsOf(
      automationSends,
      {
        automation: automationSends.automation,
        period: automationSends.periodKey,
        emailId: automationSends.emailMessageId,
        at: automationSends.sentAt,
      },
      automationSends.sentAt,
      automationSends.id,
    ),
    rowsOf(
      sessions,
      {
        signedInAt: sessions.createdAt,
        lastActiveAt: sessions.lastVerifiedAt,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
      },
      sessions.createdAt,
    ),
    rowsOf(
      loginCodes,
      {
        requestedAt: loginCodes.createdAt,
        expiresAt: loginCodes.expiresAt,
        usedAt: loginCodes.consumedAt,
        wrongAttempts: loginCodes.attempts,
      },
      loginCodes.createdAt,
    ),
    rowsOf(
      gdprRequests,
      {
        id: gdprRequests.id,
        type: gdprRequests.type,
        source: gdprRequests.source,
        status: gdprRequests.status,
        requestedAt: gdprRequests.createdAt,
        completedAt: gdprRequests.completedAt,
      },
      gdprRequests.createdAt,
      gdprRequests.id,
    ),
    db
      .select({
        at: auditLog.createdAt,
        action: auditLog.action,
        actorType: auditLog.actorType,
        actorId: auditLog.actorId,
        details: auditLog.details,
        ip: auditLog.ip,
      })
      .from(auditLog)
      .where(
        or(
          and(eq(auditLog.entityType, "customer"), eq(auditLog.entityId, customerId)),
          and(eq(auditLog.actorType, "CUSTOMER"), eq(auditLog.actorId, customerId)),
        ),
      )
      .orderBy(asc(auditLog.createdAt), asc(auditLog.id)),
    db.select().from(analytics).where(eq(analytics.customerId, customerId)).limit(1),
  ]);
  const profiling = profilingRows[0];

  const self = (actorType: string, actorId: string | null) =>
    actorType === "CUSTOMER" && actorId === customerId;
  const who = (actorType: string, actorId: string | null) =>
    self(actorType, actorId)
      ? "you"
      : actorType === "STAFF"
        ? "staff"
        : actorType === "API_KEY"
          ? "booking site"
          : "system";

  return {
    format: FORMAT,
    exportedAt: now,
    about:
      "Everything Xplorium holds about you. Amounts are in minor units (hundredths) of the " +
      "currency given. bookings.csv and points.csv hold the same bookings and points as this file.",
    profile: {
      id: profile.id,
      email: profile.email,
      name: profile.name,
      phone: profile.phone,
      birthDate: profile.birthDate,
      birthDateSetAt: profile.birthDateSetAt,
      preferredContactMethod: profile.preferredContactMethod,
      preferredBookingTypes: profile.preferredTypes,
      marketingEmails: profile.marketingOptIn,
      marketingSms: profile.smsOptIn,
      loyaltyTier: profile.loyaltyTier,
      pointsBalance: profile.loyaltyPoints,
      lifetimePoints: profile.lifetimePoints,
      totalBookings: profile.totalBookings,
      totalSpent: profile.totalSpent,
      firstBookingAt: profile.firstBookingAt,
      lastBookingAt: profile.lastBookingAt,
      bookingSiteUserId: profile.userId,
      // What staff wrote about you and the labels they gave you.
      staffNotes: profile.notes,
      tags: profile.tags,
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
    },
    emailAliases: aliasRows,
    // The figures the venue computes about you from your bookings (GDPR art. 15(1)(h)): how
    // staff group customers for offers (RFM) and whether you look like you stopped coming.
    profiling: profiling
      ? {
          about:
            "Computed from your bookings to group customers for offers and to notice families " +
            "who stopped coming. Scores are 1 (low) to 5 (high) against other customers; the " +
            "churn score is days since your last visit divided by your usual gap between visits.",
          computedAt: profiling.updatedAt,
          visits: profiling.visits,
          completedVisits: profiling.completedVisits,
          spent: profiling.spent,
          firstVisitOn: profiling.firstVisitOn,
          lastVisitOn: profiling.lastVisitOn,
          usualGapDays: profiling.medianGapDays === null ? null : Number(profiling.medianGapDays),
          recencyScore: profiling.recencyScore,
          frequencyScore: profiling.frequencyScore,
          monetaryScore: profiling.monetaryScore,
          segment: profiling.rfmSegment,
          churnScore: profiling.churnScore === null ? null : Number(profiling.churnScore),
          churnLevel: profiling.churnLevel,
        }
      : null,
    referral: {
      yourCode: profile.referralCode,
      referredByAFriend: profile.referredById !== null,
      friendsWhoJoined: friendRows,
    },
    consent: consentRows.map((e) => {
      const byStaff = e.staffUserId !== null;
      return {
        id: e.id,
        channel: e.channel,
        action: e.action,
        state: e.state,
        source: e.source,
        wordingVersion: e.wordingVersion,
        wording: e.wording,
        recordedByStaff: byStaff,
        ip: byStaff ? null : e.ip,
        userAgent: byStaff ? null : e.userAgent,
        requestedAt: e.createdAt,
        confirmedAt: e.confirmedAt,
      };
    }),
    bookings: bookingRows.map((b) => ({
      id: b.id,
      linkedToYourAccount: b.customerId !== null,
      bookingSiteRef: b.externalRef,
      type: b.type,
      status: b.status,
      scheduledAt: b.scheduledAt,
      guests: b.guests,
      amount: b.amount,
      currency: b.currency,
      contactEmail: b.contactEmail,
      contactName: b.contactName,
      contactPhone: b.contactPhone,
      notes: b.notes,
      source: b.source,
      completedAt: b.completedAt,
      reviewPostedAt: b.reviewPostedAt,
      cancelledAt: b.cancelledAt,
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
    })),
    pointsLedger: ledgerRows.map((l) => ({
      id: l.id,
      at: l.createdAt,
      delta: l.delta,
      reason: l.reason,
      note: l.note,
      balanceAfter: l.balanceAfter,
      countsTowardTier: l.countsTowardLifetime,
      lifetimeAfter: l.lifetimeAfter,
      bookingId: l.bookingId,
      voucherId: l.voucherId,
      byStaff: l.staffUserId !== null,
    })),
    vouchers: voucherRows,
    tierChanges: tierRows,
    emails: emailRows.map(({ label, ...m }) => {
      const events = emailEventRows
        .filter((e) => e.emailId === m.id)
        .map((e) => ({ type: e.type, at: e.at }));
      return label === null
        ? { ...m, events }
        : {
            id: m.id,
            label,
            status: m.status,
            queuedAt: m.queuedAt,
            sentAt: m.sentAt,
            events,
          };
    }),
    pointsExpiryNotices: noticeRows,
    // Birthday, win-back and tier-upgrade emails: which one, for which period, when.
    automationEmails: automationRows,
    signIns: { sessions: sessionRows, codes: codeRows },
    privacyRequests: requestRows,
    activity: auditRows.map((a) => ({
      at: a.at,
      action: a.action,
      by: who(a.actorType, a.actorId),
      details: a.details,
      ip: self(a.actorType, a.actorId) ? a.ip : null,
    })),
  };
}

export type PersonalData = Awaited<ReturnType<typeof collectPersonalData>>;

/**
 * A data export (GDPR right of access), from the portal by the customer or by staff on the
 * customer's request: recorded as a completed `gdpr_requests` row and audited
 * (`customer.data_exported`), then read in the same repeatable-read snapshot, so the export
 * lists its own request and everything is as of one moment.
 */
export async function exportPersonalData(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  input: { customerId: string; source: GdprSource },
) {
  return db.transaction(
    async (tx) => {
      const [live] = await tx
        .select({ id: c.id })
        .from(c)
        .where(and(eq(c.id, input.customerId), isNull(c.erasedAt)))
        .limit(1);
      if (!live) throw notFound("Customer");
      const [request] = await tx
        .insert(gdprRequests)
        .values({
          customerId: input.customerId,
          type: "EXPORT",
          source: input.source,
          status: "COMPLETED",
          requestedByStaffId: actor.type === "staff" ? actor.id : null,
          completedAt: sql`now()`,
        })
        .returning({ id: gdprRequests.id });
      await recordAudit(tx, actor, meta, {
        action: "customer.data_exported",
        entityType: "customer",
        entityId: input.customerId,
        details: { gdprRequestId: request!.id, source: input.source },
      });
      return collectPersonalData(tx, input.customerId);
    },
    { isolationLevel: "repeatable read" },
  );
}
