import type { StaffRole } from "@xplorium/auth";

/** Who is acting, for authorisation already done upstream and for the audit log. */
export type Actor =
  | { type: "staff"; id: string; role: StaffRole }
  | { type: "customer"; id: string }
  | { type: "apiKey"; id: string }
  | { type: "system"; id?: string };

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const systemActor: Actor = { type: "system" };

/** The staff member acting, for `…ByStaffId` columns; null for customers, API keys and jobs. */
export function staffIdOf(actor: Actor): string | null {
  return actor.type === "staff" ? actor.id : null;
}
export const noRequest: RequestMeta = { ip: null, userAgent: null, requestId: null };
