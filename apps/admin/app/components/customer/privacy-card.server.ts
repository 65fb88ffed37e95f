import { ROLE_PERMISSIONS, type StaffRole } from "@xplorium/auth/permissions";
import type { requireStaff } from "~/lib/session.server";

type AdminApi = Awaited<ReturnType<typeof requireStaff>>["api"];

/**
 * What the customer page's privacy card shows: the customer's GDPR requests. Null for roles
 * that may neither export (export:personal-data) nor erase (erase:customer); the card asks
 * `useCan()` which of the two to offer.
 */
export async function loadPrivacyCard(api: AdminApi, role: StaffRole, customerId: string) {
  const can = ROLE_PERMISSIONS[role];
  if (!can.has("export:personal-data") && !can.has("erase:customer")) return null;
  const requests = await api.customers.privacyRequests({ customerId });
  return { requests };
}

export type PrivacyCardData = NonNullable<Awaited<ReturnType<typeof loadPrivacyCard>>>;
