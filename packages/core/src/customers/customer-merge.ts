import { type DbOrTx, schema } from "@xplorium/db";
import type { Tier } from "@xplorium/domain";
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { calculateTier } from "../loyalty/rules";

const {
  customers: c,
  customerEmailAliases: aliases,
  bookings,
  loyaltyLedger: ledger,
  vouchers,
  consentEvents,
  tierChanges,
  emailMessages,
  gdprRequests,
  sessions,
  loginCodes,
  automationSends,
} = schema;

type CustomerRow = typeof c.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Possible duplicates
// ---------------------------------------------------------------------------------------------

export const DUPLICATE_REASONS = ["SAME_PHONE", "SAME_NAME", "SIMILAR_EMAIL"] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** The mailbox an address most likely reaches: dots and a +tag in the local part dropped. */
export function canonicalEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return email;
  const local = email.slice(0, at).split("+")[0]!.replaceAll(".", "");
  return `${local}@${email.slice(at + 1)}`;
}

/** canonicalEmail in SQL, for the recheck of index candidates. */
const canonicalEmailSql = (col: SQL | typeof c.email) =>
  sql`(replace(split_part(split_part(${col}, '@', 1), '+', 1), '.', '') || '@' || split_part(${col}, '@', 2))`;

/** Case- and whitespace-insensitive name, in SQL. */
const normalisedNameSql = (col: SQL | typeof c.name) =>
  sql`lower(regexp_replace(btrim(${col}), '\\s+', ' ', 'g'))`;

const SUGGESTION_LIMIT = 5;

/**
 * Other non-erased customers that may be the same family: the same E.164 phone, the same name
 * (case and spacing aside), or a look-alike email (same local part modulo dots and a +tag at the
 * same domain). Each candidate comes from an index (the trigram GIN indexes on phone, name and
 * email, or the email btree) and is then checked exactly; a handful at most, strongest first.
 */
export async function duplicateSuggestions(
  { db }: DepsWith<"db">,
  { customerId }: { customerId: string },
) {
  const [me] = await db
    .select({ id: c.id, email: c.email, name: c.name, phone: c.phone })
    .from(c)
    .where(and(eq(c.id, customerId), isNull(c.erasedAt)))
    .limit(1);
  if (!me) throw notFound("Customer");

  const probes: SQL[] = [];
  if (me.phone) {
    probes.push(sql`select id, 'SAME_PHONE' as reason from customers where phone = ${me.phone}`);
  }
  const words = me.name?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) {
    // ILIKE '%ana%petrović%' is answered by the name trigram index; the exact check follows.
    const pattern = `%${words.map(escapeLike).join("%")}%`;
    probes.push(sql`select id, 'SAME_NAME' as reason from customers
      where name ilike ${pattern}
        and ${normalisedNameSql(sql`name`)} = ${normalisedNameSql(sql`${me.name}::text`)}`);
  }
  if (me.email) {
    const canonical = canonicalEmail(me.email);
    const at = me.email.lastIndexOf("@");
    const base = me.email.slice(0, at).split("+")[0]!;
    const domain = me.email.slice(at + 1);
    probes.push(sql`select id, 'SIMILAR_EMAIL' as reason from customers
      where (email in (${canonical}, ${`${base}@${domain}`})
          or email like ${`${escapeLike(base)}+%@${escapeLike(domain)}`}
          or email % ${canonical})
        and ${canonicalEmailSql(sql`email`)} = ${canonical}`);
  }
  if (probes.length === 0) return [];

  const rows = await db
    .select({
      id: c.id,
      email: c.email,
      name: c.name,
      phone: c.phone,
      loyaltyTier: c.loyaltyTier,
      loyaltyPoints: c.loyaltyPoints,
      totalBookings: c.totalBookings,
      lastBookingAt: c.lastBookingAt,
      createdAt: c.createdAt,
      reasons: sql<DuplicateReason[]>`array_agg(distinct m.reason order by m.reason)`,
    })
    .from(sql`(${sql.join(probes, sql` union all `)}) as m`)
    .innerJoin(c, sql`${c.id} = m.id`)
    .where(and(sql`${c.id} <> ${me.id}`, isNull(c.erasedAt)))
    .groupBy(c.id)
    .orderBy(
      sql`count(distinct m.reason) desc`,
      sql`${c.lastBookingAt} desc nulls last`,
      c.createdAt,
      c.id,
    )
    .limit(SUGGESTION_LIMIT);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// What a merge would produce
// ---------------------------------------------------------------------------------------------

const side = z.enum(["survivor", "merged"], { message: "Choose which record's value to keep." });

/**
 * Which record's value survives, per field. Left out: the survivor's value, unless it is empty
 * and the merged one's is not.
 */
export const mergeKeep = z.object({
  name: side.optional(),
  phone: side.optional(),
  birthDate: side.optional(),
  preferredContactMethod: side.optional(),
  notes: z
    .enum(["both", "survivor", "merged"], { message: "Choose which notes to keep." })
    .optional(),
});
export type MergeKeep = z.infer<typeof mergeKeep>;
export type ResolvedMergeKeep = Required<MergeKeep>;

export const mergePair = z.object({
  survivorId: z.uuid({ message: "Choose the customer to keep." }),
  mergedId: z.uuid({ message: "Choose the customer to merge into it." }),
});

export const mergePreviewInput = mergePair.extend({ keep: mergeKeep.prefault({}) });
export const mergeCustomersInput = mergePair.extend({ keep: mergeKeep.prefault({}) });
export type MergeCustomersInput = z.input<typeof mergeCustomersInput>;

const CHOOSABLE = ["name", "phone", "birthDate", "preferredContactMethod"] as const;

function resolveKeep(s: CustomerRow, m: CustomerRow, keep: MergeKeep): ResolvedMergeKeep {
  const pick = (field: (typeof CHOOSABLE)[number]) =>
    keep[field] ?? (s[field] === null && m[field] !== null ? "merged" : "survivor");
  return {
    name: pick("name"),
    phone: pick("phone"),
    birthDate: pick("birthDate"),
    preferredContactMethod: pick("preferredContactMethod"),
    notes: keep.notes ?? "both",
  };
}

const union = <T>(a: readonly T[], b: readonly T[]) => [...new Set([...a, ...b])];

/**
 * The survivor's new profile, from the two locked rows: chosen fields, unions, points and tier.
 * Booking statistics and the balance come from the moved rows themselves (see mergeCustomers).
 */
function planMerge(s: CustomerRow, m: CustomerRow, keep: ResolvedMergeKeep) {
  const from = (choice: "survivor" | "merged") => (choice === "survivor" ? s : m);
  const notes =
    keep.notes === "both"
      ? [s.notes?.trim(), m.notes?.trim()]
          .filter((n): n is string => Boolean(n))
          .filter((n, i, all) => all.indexOf(n) === i)
          .join("\n\n") || null
      : from(keep.notes).notes;
  const lifetimePoints = s.lifetimePoints + m.lifetimePoints;
  // VIP is assigned by hand and sticks (DESIGN.md "Tiers"): either record's VIP survives.
  const loyaltyTier: Tier =
    s.loyaltyTier === "VIP" || m.loyaltyTier === "VIP" ? "VIP" : calculateTier(lifetimePoints);
  // A referral from one of the two records to the other would now be a self-referral.
  const referredById =
    [s.referredById, m.referredById].find((r) => r !== null && r !== s.id && r !== m.id) ?? null;
  const birth = from(keep.birthDate);
  return {
    name: from(keep.name).name,
    phone: from(keep.phone).phone,
    birthDate: birth.birthDate,
    // The birthday-bonus lock travels with the date it belongs to.
    birthDateSetAt: birth.birthDateSetAt,
    preferredContactMethod: from(keep.preferredContactMethod).preferredContactMethod,
    notes,
    tags: union(s.tags, m.tags),
    preferredTypes: union(s.preferredTypes, m.preferredTypes),
    userId: s.userId ?? m.userId,
    referredById,
    lifetimePoints,
    loyaltyTier,
  };
}

/** Non-cancelled bookings count and date the stats; COMPLETED ones make total spent. */
function bookingStatsSql(ids: string[]) {
  const of = sql`${bookings.customerId} in (${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  const live = sql`${bookings.status} <> 'CANCELLED'`;
  return {
    totalBookings: sql<number>`(select count(*)::int from ${bookings} where ${of} and ${live})`,
    firstBookingAt: sql<Date | null>`(select min(${bookings.scheduledAt}) from ${bookings}
      where ${of} and ${live})`.mapWith(bookings.scheduledAt),
    lastBookingAt: sql<Date | null>`(select max(${bookings.scheduledAt}) from ${bookings}
      where ${of} and ${live})`.mapWith(bookings.scheduledAt),
    totalSpent: sql<number>`(select coalesce(sum(${bookings.amount}), 0)::bigint from ${bookings}
      where ${of} and ${bookings.status} = 'COMPLETED')`.mapWith(Number),
  };
}

/**
 * Marketing and SMS opt-in of the merged customer: opted in when either record currently is
 * (the two records are one family, and the consent events move with them, so the history shows
 * who gave it, when and where), except that a withdrawal newer than every grant on that channel
 * wins: someone who unsubscribed through one record must not be re-subscribed by a merge.
 */
async function resolveOptIns(db: DbOrTx, ids: string[], s: CustomerRow, m: CustomerRow) {
  const latest = await db
    .selectDistinctOn([consentEvents.channel], {
      channel: consentEvents.channel,
      action: consentEvents.action,
    })
    .from(consentEvents)
    .where(and(inArray(consentEvents.customerId, ids), eq(consentEvents.state, "CONFIRMED")))
    .orderBy(
      consentEvents.channel,
      sql`coalesce(${consentEvents.confirmedAt}, ${consentEvents.createdAt}) desc`,
      sql`${consentEvents.createdAt} desc`,
    );
  const withdrawn = (channel: "EMAIL" | "SMS") =>
    latest.some((e) => e.channel === channel && e.action === "WITHDRAWN");
  return {
    marketingOptIn: (s.marketingOptIn || m.marketingOptIn) && !withdrawn("EMAIL"),
    smsOptIn: (s.smsOptIn || m.smsOptIn) && !withdrawn("SMS"),
  };
}

/** What belongs to each customer: the numbers a merge must carry over without loss. */
async function holdings(db: DbOrTx, ids: string[]) {
  // Qualified by hand: drizzle prints a single-table select's columns without their table, and
  // inside the subqueries a bare "id" would mean the inner table's.
  const me = sql`${c}.${sql.identifier("id")}`;
  const count = (table: SQL, col: SQL) =>
    sql<number>`(select count(*)::int from ${table} where ${col} = ${me})`;
  const total = (table: SQL, amount: SQL, col: SQL) =>
    sql<number>`(select coalesce(sum(${amount}), 0) from ${table} where ${col} = ${me})`.mapWith(
      Number,
    );
  const rows = await db
    .select({
      id: c.id,
      bookings: count(sql`${bookings}`, sql`${bookings.customerId}`),
      bookingAmount: total(sql`${bookings}`, sql`${bookings.amount}`, sql`${bookings.customerId}`),
      ledgerRows: count(sql`${ledger}`, sql`${ledger.customerId}`),
      ledgerSum: total(sql`${ledger}`, sql`${ledger.delta}`, sql`${ledger.customerId}`),
      vouchers: count(sql`${vouchers}`, sql`${vouchers.customerId}`),
      voucherPoints: total(
        sql`${vouchers}`,
        sql`${vouchers.pointsSpent}`,
        sql`${vouchers.customerId}`,
      ),
      consents: count(sql`${consentEvents}`, sql`${consentEvents.customerId}`),
      aliases: sql<string[]>`array(select ${aliases.email} from ${aliases}
        where ${aliases.customerId} = ${me} order by ${aliases.email})`,
    })
    .from(c)
    .where(inArray(c.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (id: string) => {
    const { id: _id, ...h } = byId.get(id)!;
    return h;
  };
}

/**
 * Both customers, locked in id order when `lock` (two merges of the same pair, in either
 * direction, then queue up instead of deadlocking). Refuses a self-merge, unknown ids and erased
 * customers.
 */
async function loadPair(
  db: DbOrTx,
  input: { survivorId: string; mergedId: string },
  opts: { lock: boolean },
) {
  if (input.survivorId === input.mergedId) {
    throw new AppError("BAD_REQUEST", "A customer cannot be merged into itself.", {
      fieldErrors: { mergedId: ["Choose a different customer."] },
    });
  }
  const found = new Map<string, CustomerRow>();
  for (const id of [input.survivorId, input.mergedId].sort()) {
    const query = db.select().from(c).where(eq(c.id, id));
    const [row] = opts.lock ? await query.for("update") : await query;
    if (row) found.set(id, row);
  }
  const survivor = found.get(input.survivorId);
  const merged = found.get(input.mergedId);
  if (!survivor || !merged) {
    throw new AppError(
      "NOT_FOUND",
      "Customer not found. It may have just been merged or deleted; reload and try again.",
    );
  }
  if (survivor.erasedAt || merged.erasedAt) {
    throw new AppError("CONFLICT", "An erased customer cannot be merged.");
  }
  return { survivor, merged };
}

/** The fields of a customer shown side by side and kept in the audit row. */
function profileOf(row: CustomerRow) {
  return {
    id: row.id,
    email: row.email!,
    name: row.name,
    phone: row.phone,
    birthDate: row.birthDate,
    preferredContactMethod: row.preferredContactMethod,
    notes: row.notes,
    tags: row.tags,
    loyaltyPoints: row.loyaltyPoints,
    lifetimePoints: row.lifetimePoints,
    loyaltyTier: row.loyaltyTier,
    totalBookings: row.totalBookings,
    totalSpent: row.totalSpent,
    firstBookingAt: row.firstBookingAt,
    lastBookingAt: row.lastBookingAt,
    marketingOptIn: row.marketingOptIn,
    smsOptIn: row.smsOptIn,
    referralCode: row.referralCode,
    referredById: row.referredById,
    userId: row.userId,
    createdAt: row.createdAt,
  };
}

/**
 * Both records side by side with what they hold, and the customer the merge would leave:
 * balance and lifetime added, tier recomputed (VIP sticks), tags joined, booking stats
 * recomputed over both records' bookings, the chosen profile fields.
 */
export async function mergePreview(
  { db }: DepsWith<"db">,
  rawInput: z.input<typeof mergePreviewInput>,
) {
  const input = mergePreviewInput.parse(rawInput);
  const { survivor: s, merged: m } = await loadPair(db, input, { lock: false });
  const ids = [s.id, m.id];
  const keep = resolveKeep(s, m, input.keep);
  const plan = planMerge(s, m, keep);
  const [held, [stats], optIns] = await Promise.all([
    holdings(db, ids),
    db.select(bookingStatsSql(ids)).from(c).where(eq(c.id, s.id)),
    resolveOptIns(db, ids, s, m),
  ]);
  const survivorHeld = held(s.id);
  const mergedHeld = held(m.id);
  return {
    survivor: { customer: profileOf(s), ...survivorHeld },
    merged: { customer: profileOf(m), ...mergedHeld },
    keep,
    result: {
      id: s.id,
      email: s.email!,
      aliases: [...new Set([...survivorHeld.aliases, ...mergedHeld.aliases, m.email!])].sort(),
      name: plan.name,
      phone: plan.phone,
      birthDate: plan.birthDate,
      preferredContactMethod: plan.preferredContactMethod,
      notes: plan.notes,
      tags: plan.tags,
      loyaltyPoints: s.loyaltyPoints + m.loyaltyPoints,
      lifetimePoints: plan.lifetimePoints,
      loyaltyTier: plan.loyaltyTier,
      totalBookings: stats!.totalBookings,
      totalSpent: stats!.totalSpent,
      firstBookingAt: stats!.firstBookingAt,
      lastBookingAt: stats!.lastBookingAt,
      ...optIns,
      bookings: survivorHeld.bookings + mergedHeld.bookings,
      ledgerRows: survivorHeld.ledgerRows + mergedHeld.ledgerRows,
      vouchers: survivorHeld.vouchers + mergedHeld.vouchers,
      consents: survivorHeld.consents + mergedHeld.consents,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The merge
// ---------------------------------------------------------------------------------------------

/** Rows an UPDATE or DELETE touched (postgres.js reports it on the result). */
async function affected(query: PromiseLike<unknown>): Promise<number> {
  const result = (await query) as { count?: number };
  return result.count ?? 0;
}

/**
 * customers.merge: one family, two emails, one customer. In one transaction: both rows locked in
 * id order; bookings, ledger rows, vouchers, consent events, tier changes, emails and GDPR
 * requests re-pointed to the survivor in set-based statements; referrals re-pointed; the merged
 * customer's sessions and sign-in codes ended; its email (and its own aliases) kept as aliases
 * of the survivor; the survivor's balance set to its new ledger sum (the commit-time guard of
 * migration 0001 checks it), lifetime points added, tier recomputed (VIP sticks), stats
 * recomputed; the merged row deleted; one `customer.merged` audit row with both records before
 * and the survivor after.
 */
export async function mergeCustomers(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  rawInput: MergeCustomersInput,
) {
  const input = mergeCustomersInput.parse(rawInput);
  return db.transaction(async (tx) => {
    const { survivor: s, merged: m } = await loadPair(tx, input, { lock: true });
    const keep = resolveKeep(s, m, input.keep);
    const plan = planMerge(s, m, keep);
    const S = s.id;
    const M = m.id;
    const heldBefore = await holdings(tx, [S, M]);
    const before = {
      survivor: { ...profileOf(s), ...heldBefore(S) },
      merged: { ...profileOf(m), ...heldBefore(M) },
    };

    const moved = {
      bookings: await affected(
        tx.update(bookings).set({ customerId: S }).where(eq(bookings.customerId, M)),
      ),
      // The ledger's append-only trigger allows exactly this change (migration 0001).
      ledgerRows: await affected(
        tx.update(ledger).set({ customerId: S }).where(eq(ledger.customerId, M)),
      ),
      vouchers: await affected(
        tx.update(vouchers).set({ customerId: S }).where(eq(vouchers.customerId, M)),
      ),
      consents: await affected(
        tx.update(consentEvents).set({ customerId: S }).where(eq(consentEvents.customerId, M)),
      ),
      tierChanges: await affected(
        tx.update(tierChanges).set({ customerId: S }).where(eq(tierChanges.customerId, M)),
      ),
      // One message per campaign and customer: where both got the same campaign, the merged
      // record's copy keeps its row but loses the link (ON DELETE SET NULL below).
      emails: await affected(
        tx
          .update(emailMessages)
          .set({ customerId: S })
          .where(
            and(
              eq(emailMessages.customerId, M),
              sql`not exists (select 1 from email_messages e
                where e.customer_id = ${S} and e.campaign_id = ${emailMessages.campaignId})`,
            ),
          ),
      ),
      gdprRequests: await affected(
        tx.update(gdprRequests).set({ customerId: S }).where(eq(gdprRequests.customerId, M)),
      ),
      // Automation periods already mailed stay mailed (no second birthday email this year); where
      // both had the same period, the merged record's row goes with it (ON DELETE CASCADE).
      automationSends: await affected(
        tx
          .update(automationSends)
          .set({ customerId: S })
          .where(
            and(
              eq(automationSends.customerId, M),
              sql`not exists (select 1 from automation_sends a where a.customer_id = ${S}
                and a.automation = ${automationSends.automation}
                and a.period_key = ${automationSends.periodKey})`,
            ),
          ),
      ),
      referrals: await affected(
        tx
          .update(c)
          .set({ referredById: S })
          .where(and(eq(c.referredById, M), sql`${c.id} <> ${S}`)),
      ),
      aliases: await affected(
        tx.update(aliases).set({ customerId: S }).where(eq(aliases.customerId, M)),
      ),
    };
    // The merged customer can no longer sign in: its sessions and pending codes end here.
    const endedSessions = await affected(tx.delete(sessions).where(eq(sessions.customerId, M)));
    await tx.delete(loginCodes).where(eq(loginCodes.customerId, M));

    // Delete first: frees its email, user id and referral code for the survivor and the alias.
    await tx.delete(c).where(eq(c.id, M));
    await tx
      .insert(aliases)
      .values({ email: m.email!, customerId: S })
      .onConflictDoUpdate({ target: aliases.email, set: { customerId: S } });

    const optIns = await resolveOptIns(tx, [S], s, m);
    const stats = bookingStatsSql([S]);
    const [after] = await tx
      .update(c)
      .set({
        name: plan.name,
        phone: plan.phone,
        birthDate: plan.birthDate,
        birthDateSetAt: plan.birthDateSetAt,
        preferredContactMethod: plan.preferredContactMethod,
        notes: plan.notes,
        tags: plan.tags,
        preferredTypes: plan.preferredTypes,
        userId: plan.userId,
        referredById: plan.referredById,
        ...optIns,
        loyaltyPoints: sql`(select coalesce(sum(${ledger.delta}), 0)::int from ${ledger}
          where ${ledger.customerId} = ${S})`,
        lifetimePoints: plan.lifetimePoints,
        loyaltyTier: plan.loyaltyTier,
        totalBookings: stats.totalBookings,
        firstBookingAt: stats.firstBookingAt,
        lastBookingAt: stats.lastBookingAt,
        totalSpent: stats.totalSpent,
      })
      .where(eq(c.id, S))
      .returning();
    if (!after) throw notFound("Customer");

    if (after.loyaltyTier !== s.loyaltyTier) {
      await tx.insert(tierChanges).values({
        customerId: S,
        fromTier: s.loyaltyTier,
        toTier: after.loyaltyTier,
        reason: "merge",
        staffUserId: actor.type === "staff" ? actor.id : null,
      });
    }

    const heldAfter = (await holdings(tx, [S]))(S);
    await recordAudit(tx, actor, meta, {
      action: "customer.merged",
      entityType: "customer",
      entityId: S,
      details: {
        mergedId: M,
        keep,
        before,
        after: { ...profileOf(after), ...heldAfter },
        moved: { ...moved, endedSessions },
      },
    });
    return { customer: after, mergedId: M, mergedEmail: m.email!, moved };
  });
}
