import { STAFF_ROLES } from "@xplorium/auth/permissions";
import { z } from "zod";
import { yourPasswordField } from "~/components/confirm-password-field";

/**
 * The staff page's forms and the union on `intent` its action parses (ADR 022). The limits and
 * messages are the staff procedures' own (packages/api/src/routers/staff.ts); the first
 * password's rules stay the server's (its message comes back on the field).
 */

export const ROLE_LABELS: Record<(typeof STAFF_ROLES)[number], string> = {
  OWNER: "Owner",
  MANAGER: "Manager",
  FRONT_DESK: "Front desk",
  MARKETING: "Marketing",
};
export const roleOptions = STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

const role = z.enum(STAFF_ROLES, { message: "Choose a role." });
const id = z.string({ message: "Unknown staff member." });

export const createStaffForm = z.object({
  intent: z.literal("create"),
  name: z.string({ message: "Enter a name." }).trim().max(120),
  email: z
    .string({ message: "Enter an email address." })
    .max(254, { message: "That email address is too long." }),
  role,
  password: z.string().max(256).default(""),
  ...yourPasswordField,
});

/** "Confirm your password" above the team: unlocks the rows' small forms. */
export const confirmStaffPasswordForm = z.object({
  intent: z.literal("confirm-password"),
  ...yourPasswordField,
});

export const staffForms = z.discriminatedUnion("intent", [
  createStaffForm,
  confirmStaffPasswordForm,
  z.object({ intent: z.literal("role"), id, role }),
  z.object({ intent: z.literal("disable"), id }),
  z.object({ intent: z.literal("enable"), id }),
  z.object({ intent: z.literal("reset-two-factor"), id }),
  /** Another member's password, set by an owner (no form on the page posts it today). */
  z.object({ intent: z.literal("password"), id, password: z.string().max(256).default("") }),
]);
