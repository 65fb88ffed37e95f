import type { Env } from "@xplorium/config";
import { type DbOrTx, schema } from "@xplorium/db";
import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Deps, DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { type ReferralConflict, referralConflict } from "./referral-rules";
import { LOYALTY_LIMITS, LOYALTY_POINTS } from "./rules";

const { customers, bookings } = schema;

export type ReferralConfig = Pick<Env, "PORTAL_URL">;

/** How many friends the summary lists (newest first); the count covers all of them. */
const FRIENDS_SHOWN = 100;

/** The link a customer shares: the portal's join page with their code filled in. */
export function referralShareUrl(config: ReferralConfig, code: string): string {
  const url = new URL("/join", config.PORTAL_URL);
  url.searchParams.set("ref", code);
  return url.toString();
}

/**
 * What a referrer may see of a friend: first name and last initial ("Ana P."), never the email
 * or phone. "A friend" when no name is known.
 */
export function friendDisplayName(name: string | null): string {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "A friend";
  const first = parts[0]!;
  return parts.length > 1 ? `${first} ${parts.at(-1)!.charAt(0).toUpperCase()}.` : first;
}

/**
 * The portal's "refer a friend" card: the customer's code and share link, the friends who
 * joined with it (first name and initial, when, whether the referral bonus was earned), the
 * points referrals brought (net of bonuses taken back when a friend's first visit was cancelled)
 * and this month's bonuses against the monthly cap. Also whether the customer can still enter
 * someone else's code themselves.
 */
export async function referralSummary(
  { db, config }: DepsWith<"db" | "config", ReferralConfig>,
  { customerId }: { customerId: string },
) {
  const [me] = await db
    .select({
      code: customers.referralCode,
      referredById: customers.referredById,
      // Qualified by hand: drizzle leaves a single table's columns unqualified.
      completedBookings: sql<number>`(select count(*)::int from bookings b
        where b.customer_id = "customers"."id" and b.completed_at is not null)`,
    })
    .from(customers)
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)));
  if (!me) throw notFound("Customer");

  // The referrer's bonus for a friend has the key `referral:<friend id>:referrer` (referral-awards.ts).
  const earnedSql = sql<boolean>`exists (select 1 from loyalty_ledger l
    where l.idempotency_key = 'referral:' || "customers"."id" || ':referrer')`;
  const monthStart = sql`date_trunc('month', now() at time zone 'UTC') at time zone 'UTC'`;
  const [friends, [totals]] = await Promise.all([
    db
      .select({ name: customers.name, joinedAt: customers.createdAt, earned: earnedSql })
      .from(customers)
      .where(and(eq(customers.referredById, customerId), isNull(customers.erasedAt)))
      .orderBy(desc(customers.createdAt), desc(customers.id))
      .limit(FRIENDS_SHOWN),
    // The referrer's bonus rows, and reversals of the friends' bookings those bonuses came from.
    db.execute<{ friends: number; points: number; this_month: number }>(sql`
      select
        (select count(*)::int from customers
          where referred_by_id = ${customerId} and erased_at is null) as friends,
        coalesce((select sum(l.delta) from loyalty_ledger l
          where l.customer_id = ${customerId}
            and (l.reason = 'REFERRAL_REFERRER'
              or (l.reason = 'BOOKING_REVERSED' and exists (
                select 1 from loyalty_ledger r
                where r.customer_id = ${customerId} and r.reason = 'REFERRAL_REFERRER'
                  and r.booking_id = l.booking_id)))), 0)::int as points,
        (select count(*)::int from loyalty_ledger
          where customer_id = ${customerId} and reason = 'REFERRAL_REFERRER'
            and created_at >= ${monthStart}) as this_month`),
  ]);

  return {
    code: me.code,
    shareUrl: referralShareUrl(config, me.code),
    pointsPerReferral: LOYALTY_POINTS.REFERRAL,
    friendsCount: totals?.friends ?? 0,
    friends: friends.map((f) => ({
      displayName: friendDisplayName(f.name),
      joinedAt: f.joinedAt,
      earned: f.earned,
    })),
    pointsEarned: totals?.points ?? 0,
    bonusesThisMonth: totals?.this_month ?? 0,
    monthlyCap: LOYALTY_LIMITS.REFERRALS_PER_REFERRER_PER_MONTH,
    /** Whether this customer may still enter a friend's code (new, not yet referred). */
    canApplyCode: me.referredById === null && me.completedBookings === 0,
    referred: me.referredById !== null,
  };
}

/** Codes are read off paper and phones: spaces, dashes and case do not matter. */
export const referralCodeSchema = z
  .string({ message: "Enter a referral code." })
  .transform((v) => v.replace(/[\s-]+/g, "").toUpperCase())
  .pipe(
    z
      .string()
      .min(1, { message: "Enter a referral code." })
      .max(20, { message: "Referral codes are at most 20 characters." }),
  );

/** A signed-in customer enters a friend's code (the customer comes from the session). */
export const referralApplyInput = z.object({ code: referralCodeSchema });

/** Staff enter a code on a customer's behalf. */
export const referralApplyForInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
  code: referralCodeSchema,
});

const CONFLICT_MESSAGES: Record<ReferralConflict, string> = {
  self: "That is this account's own referral code: share it with friends instead.",
  "same-phone":
    "That code belongs to an account with the same phone number. Referral bonuses are for new friends, not second accounts.",
  "lookalike-email":
    "That code belongs to an account with the same email address (dots and +tags aside). Referral bonuses are for new friends, not second accounts.",
};

const refuse = (code: "BAD_REQUEST" | "CONFLICT", message: string) =>
  new AppError(code, message, { fieldErrors: { code: [message] } });

/**
 * Links a customer to the owner of a referral code, so both earn the referral bonus when the
 * customer's first booking completes (referral-awards.ts). Only for a genuinely new customer: no
 * completed booking yet (a completed one later cancelled counts too), not referred already, and
 * not the referrer under another name (`referralConflict`, the same check the award makes).
 * Every refusal says why. Entering the code that already linked them changes nothing. Audited.
 * `db` may be a transaction: sign-up applies the code in its own (a savepoint then).
 */
export async function applyReferralCode(
  { db, actor, meta }: Pick<Deps, "actor" | "meta"> & { db: DbOrTx },
  input: { customerId: string; code: string },
) {
  return db.transaction(async (tx) => {
    // Locked: a booking completing at the same moment awards after this commits, or sees no link.
    const [customer] = await tx
      .select({
        id: customers.id,
        email: customers.email,
        phone: customers.phone,
        referredById: customers.referredById,
      })
      .from(customers)
      .where(and(eq(customers.id, input.customerId), isNull(customers.erasedAt)))
      .for("update");
    if (!customer) throw notFound("Customer");

    const [referrer] = await tx
      .select({
        id: customers.id,
        email: customers.email,
        phone: customers.phone,
        name: customers.name,
      })
      .from(customers)
      .where(and(eq(customers.referralCode, input.code), isNull(customers.erasedAt)));
    if (!referrer) throw refuse("BAD_REQUEST", "No customer has that referral code.");

    const conflict = referralConflict(customer, referrer);
    if (conflict) throw refuse("BAD_REQUEST", CONFLICT_MESSAGES[conflict]);

    const friend = { displayName: friendDisplayName(referrer.name) };
    if (customer.referredById === referrer.id) return { changed: false, referrer: friend };
    if (customer.referredById) {
      throw refuse(
        "CONFLICT",
        "This account was already referred by someone else, and that cannot be changed.",
      );
    }
    const [completed] = await tx
      .select({ id: bookings.id })
      .from(bookings)
      .where(and(eq(bookings.customerId, customer.id), isNotNull(bookings.completedAt)))
      .limit(1);
    if (completed) {
      throw refuse(
        "CONFLICT",
        "Referral codes are for new customers, and this account already has a completed visit.",
      );
    }

    await tx
      .update(customers)
      .set({ referredById: referrer.id })
      .where(eq(customers.id, customer.id));
    await recordAudit(tx, actor, meta, {
      action: "customer.referral_applied",
      entityType: "customer",
      entityId: customer.id,
      details: {
        code: input.code,
        before: { referredById: null },
        after: { referredById: referrer.id },
      },
    });
    return { changed: true, referrer: friend };
  });
}
