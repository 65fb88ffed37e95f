import type { StaffRole } from "@xplorium/auth";

/** Demo accounts, printed by `pnpm dev` and `pnpm db:seed`. Development data only. */
export const DEMO_STAFF: { email: string; name: string; role: StaffRole; password: string }[] = [
  {
    email: "owner@xplorium.example",
    name: "Olivia Owner",
    role: "OWNER",
    password: "owner-demo-pass-2026",
  },
  {
    email: "manager@xplorium.example",
    name: "Marko Manager",
    role: "MANAGER",
    password: "manager-demo-pass-2026",
  },
  {
    email: "frontdesk@xplorium.example",
    name: "Fiona Front Desk",
    role: "FRONT_DESK",
    password: "frontdesk-demo-pass-2026",
  },
  {
    email: "marketing@xplorium.example",
    name: "Mila Marketing",
    role: "MARKETING",
    password: "marketing-demo-pass-2026",
  },
];

/** A customer with history, for trying the portal. */
export const DEMO_CUSTOMER_EMAIL = "parent@example.com";

export function signInDetails(adminUrl: string, portalUrl: string): string {
  const rows = DEMO_STAFF.map((s) => `  ${s.role.padEnd(11)} ${s.email.padEnd(28)} ${s.password}`);
  return [
    `Admin console   ${adminUrl}`,
    ...rows,
    `Customer portal ${portalUrl}`,
    `  sign in as ${DEMO_CUSTOMER_EMAIL}; the code arrives in the admin under Marketing → Outbox`,
  ].join("\n");
}
