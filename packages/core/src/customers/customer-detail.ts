import { schema } from "@xplorium/db";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";
import { nextTier } from "../loyalty/rules";

const { customers, bookings, loyaltyLedger } = schema;

/** One customer for the admin detail page: profile, loyalty, stats, recent bookings and points. */
export async function customerById(deps: DepsWith<"db">, input: { id: string }) {
  const { db } = deps;
  const { id } = input;
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), isNull(customers.erasedAt)))
    .limit(1);
  if (!customer) throw notFound("Customer");
  const [recentBookings, recentPoints] = await Promise.all([
    db
      .select({
        id: bookings.id,
        type: bookings.type,
        status: bookings.status,
        scheduledAt: bookings.scheduledAt,
        guests: bookings.guests,
        amount: bookings.amount,
        currency: bookings.currency,
      })
      .from(bookings)
      .where(eq(bookings.customerId, id))
      .orderBy(desc(bookings.scheduledAt), desc(bookings.id))
      .limit(20),
    db
      .select({
        id: loyaltyLedger.id,
        delta: loyaltyLedger.delta,
        reason: loyaltyLedger.reason,
        note: loyaltyLedger.note,
        balanceAfter: loyaltyLedger.balanceAfter,
        createdAt: loyaltyLedger.createdAt,
      })
      .from(loyaltyLedger)
      .where(eq(loyaltyLedger.customerId, id))
      .orderBy(desc(loyaltyLedger.createdAt), desc(loyaltyLedger.id))
      .limit(20),
  ]);
  return {
    customer,
    next: customer.loyaltyTier === "VIP" ? null : nextTier(customer.lifetimePoints),
    recentBookings,
    recentPoints,
  };
}
