import { schema } from "@xplorium/db";
import { eq } from "drizzle-orm";
import type { DepsWith } from "../deps";
import { notFound } from "../errors";
import { nextTier } from "../loyalty/rules";

const { customers } = schema;

/** What the portal's signed-in landing page shows: name, points, tier, progress. */
export async function customerSummary(
  deps: DepsWith<"db">,
  { customerId }: { customerId: string },
) {
  const [c] = await deps.db
    .select({
      id: customers.id,
      email: customers.email,
      name: customers.name,
      loyaltyPoints: customers.loyaltyPoints,
      lifetimePoints: customers.lifetimePoints,
      loyaltyTier: customers.loyaltyTier,
      totalBookings: customers.totalBookings,
      referralCode: customers.referralCode,
    })
    .from(customers)
    .where(eq(customers.id, customerId))
    .limit(1);
  if (!c) throw notFound("Customer");
  return { ...c, next: c.loyaltyTier === "VIP" ? null : nextTier(c.lifetimePoints) };
}
