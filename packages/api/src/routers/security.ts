import { securitySettingsView, setRequireStaffTwoFactor } from "@xplorium/core/auth";
import { z } from "zod";
import { createTRPCRouter, recentPasswordStaffProcedure, staffProcedure } from "../trpc";

/** Venue-wide security rules, owners only. */
export const securityRouter = createTRPCRouter({
  settings: staffProcedure("manage:security").query(({ ctx }) => securitySettingsView(ctx.deps)),

  /**
   * Require two-factor sign-in of every staff member (or stop requiring it): owner-level, the
   * password entered recently (reauth.ts).
   */
  setRequireTwoFactor: recentPasswordStaffProcedure("manage:security")
    .input(z.object({ required: z.boolean({ message: "Choose on or off." }) }))
    .mutation(({ ctx, input }) => setRequireStaffTwoFactor(ctx.deps, input)),
});
