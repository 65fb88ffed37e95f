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
  "read:outbox",
  "read:audit",
  "manage:staff",
  "manage:apikey",
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

const MANAGER: Permission[] = PERMISSIONS.filter((p) => p !== "manage:staff");

export const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  OWNER: new Set(PERMISSIONS),
  MANAGER: new Set(MANAGER),
  FRONT_DESK: new Set(FRONT_DESK),
  MARKETING: new Set(MARKETING),
};

export function roleHasPermission(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
