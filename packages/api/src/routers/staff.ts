import { STAFF_ROLES } from "@xplorium/auth";
import { emailSchema } from "@xplorium/core/customers";
import { createStaff, listStaff, updateStaff } from "@xplorium/core/staff";
import { z } from "zod";
import { requireRecentPassword } from "../reauth";
import { createTRPCRouter, recentPasswordStaffProcedure, staffProcedure } from "../trpc";

const name = z.string().trim().min(1, { message: "Enter a name." }).max(120);
const role = z.enum(STAFF_ROLES, { message: "Choose a role." });
const password = z.string().max(256);

export const staffRouter = createTRPCRouter({
  list: staffProcedure("manage:staff").query(({ ctx }) => listStaff(ctx.deps)),

  /** A new account, possibly an owner's: owner-level, like changing a role (reauth.ts). */
  create: recentPasswordStaffProcedure("manage:staff")
    .input(z.object({ email: emailSchema, name, role, password }))
    .mutation(({ ctx, input }) => createStaff(ctx.deps, input)),

  update: staffProcedure("manage:staff")
    .input(
      z.object({
        id: z.uuid({ message: "Unknown staff member." }),
        name: name.optional(),
        role: role.optional(),
        disabled: z.boolean().optional(),
        password: password.optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      // A role, an account switched off or on, or another member's password (which hands over
      // their account): owner-level, the password must have been entered recently. A name is not.
      if (
        input.role !== undefined ||
        input.disabled !== undefined ||
        input.password !== undefined
      ) {
        requireRecentPassword(ctx.principal, ctx.env);
      }
      return updateStaff(ctx.deps, { ...input, sessionId: ctx.principal.sessionId });
    }),
});
