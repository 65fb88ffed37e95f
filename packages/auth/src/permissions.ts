/**
 * Typed permission strings `action:entity` (epic-stack style). Roles map to permission sets
 * here and only here; procedures ask for a permission, never a role.
 */
export const STAFF_ROLES = ["OWNER", "MANAGER", "FRONT_DESK", "MARKETING"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = [
  "read:dashboard",
  "read:revenue",
  "read:customer",
  "write:customer",
  "export:customer",
  "erase:customer",
  // A GDPR data export of one customer (everything held about them, staff notes included).
  "export:personal-data",
  // Merging duplicates rewrites two customers' histories: managers and owners only.
  "merge:customer",
  "read:booking",
  "write:booking",
  "sync:booking",
  "adjust:points",
  "write:vip",
  "read:voucher",
  "redeem:voucher",
  "write:reward",
  "read:marketing",
  "write:marketing",
  "send:campaign",
  // "Run now" on a marketing automation (it also runs hourly on its own): managers and owners.
  "run:automation",
  "read:outbox",
  "read:audit",
  "manage:staff",
  "manage:apikey",
  // Venue-wide security rules (requiring two-factor sign-in of all staff): owners only.
  "manage:security",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const FRONT_DESK: Permission[] = [
  "read:dashboard",
  "read:customer",
  "write:customer",
  "read:booking",
  "write:booking",
  "adjust:points",
  "read:voucher",
  "redeem:voucher",
];

const MARKETING: Permission[] = [
  "read:dashboard",
  "read:customer",
  "export:customer",
  "read:marketing",
  "write:marketing",
  "send:campaign",
  "read:outbox",
];

/** Staff accounts, API keys and security rules open the whole system: only owners manage them. */
const OWNER_ONLY: ReadonlySet<Permission> = new Set([
  "manage:staff",
  "manage:apikey",
  "manage:security",
]);

const MANAGER: Permission[] = PERMISSIONS.filter((p) => !OWNER_ONLY.has(p));

export const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  OWNER: new Set(PERMISSIONS),
  MANAGER: new Set(MANAGER),
  FRONT_DESK: new Set(FRONT_DESK),
  MARKETING: new Set(MARKETING),
};

export function roleHasPermission(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * What an API key may be granted. A key is not staff: it reaches only procedures built with
 * `apiKeyOrStaffProcedure(permission, scope)` (packages/api/src/trpc.ts), and only those whose
 * scope it holds. Add a scope here, with its description, before any procedure asks for it.
 */
export const API_KEY_SCOPES = ["bookings:write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Shown when an owner creates a key. */
export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  "bookings:write":
    "Create bookings (bookings.create), idempotent by the caller's own externalId. For the booking site.",
};

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}
