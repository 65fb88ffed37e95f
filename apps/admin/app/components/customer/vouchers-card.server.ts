import { ROLE_PERMISSIONS, type StaffRole } from "@xplorium/auth/permissions";
import type { requireStaff } from "~/lib/session.server";

type AdminApi = Awaited<ReturnType<typeof requireStaff>>["api"];

/**
 * What the customer page's vouchers card shows: the customer's vouchers and, for staff who may
 * redeem, the active rewards and a fresh idempotency key (one per render, so a double-submitted
 * redemption issues one voucher). Null for roles without read:voucher.
 */
export async function loadVouchersCard(api: AdminApi, role: StaffRole, customerId: string) {
  const can = ROLE_PERMISSIONS[role];
  if (!can.has("read:voucher")) return null;
  const canRedeem = can.has("redeem:voucher");
  const [vouchers, rewards] = await Promise.all([
    api.vouchers.listForCustomer({ customerId, limit: 20 }),
    canRedeem ? api.rewards.list() : Promise.resolve([]),
  ]);
  return {
    vouchers,
    rewards: rewards
      .filter((r) => r.active)
      .map((r) => ({ id: r.id, name: r.name, pointsCost: r.pointsCost, inStock: r.inStock })),
    redeemKey: crypto.randomUUID(),
  };
}

export type VouchersCardData = NonNullable<Awaited<ReturnType<typeof loadVouchersCard>>>;
