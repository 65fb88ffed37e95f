import type { AppLoadContext } from "@remix-run/node";
import { safeNext as safeNextOn } from "@xplorium/api";

/**
 * A `?next=` target that stays on the portal (PORTAL_URL's origin): its path, or null. The
 * shared check (packages/api safe-next.ts) is the admin's too.
 */
export function safeNext(value: unknown, context: AppLoadContext): string | null {
  return safeNextOn(value, context.env.PORTAL_URL);
}
