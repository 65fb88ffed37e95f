import { ROLE_PERMISSIONS, type StaffRole } from "@xplorium/auth/permissions";
import type { requireStaff } from "~/lib/session.server";

type AdminApi = Awaited<ReturnType<typeof requireStaff>>["api"];

/**
 * What the customer page's privacy card shows: the customer's GDPR requests and what this
 * staff member may do (export:personal-data, erase:customer). Null for roles with neither.
 */
export async function loadPrivacyCard(api: AdminApi, role: StaffRole, customerId: string) {
  const can = ROLE_PERMISSIONS[role];
  const canExport = can.has("export:personal-data");
  const canErase = can.has("erase:customer");
  if (!canExport && !canErase) return null;
  const requests = await api.customers.privacyRequests({ customerId });
  return { requests, canExport, canErase };
}

export type PrivacyCardData = NonNullable<Awaited<ReturnType<typeof loadPrivacyCard>>>;
