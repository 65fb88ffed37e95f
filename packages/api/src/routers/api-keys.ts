import {
  apiKeyCreateInput,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "@xplorium/core/api-keys";
import { z } from "zod";
import {
  apiKeyOrStaffProcedure,
  createTRPCRouter,
  recentPasswordStaffProcedure,
  staffProcedure,
} from "../trpc";

export const apiKeysRouter = createTRPCRouter({
  list: staffProcedure("manage:apikey").query(({ ctx }) => listApiKeys(ctx.deps)),

  /**
   * The only answer that ever carries the full key; the page shows it once. Owner-level: the
   * password must have been entered recently (reauth.ts). Revoking is not: in an incident it
   * must be quick, and it only takes access away.
   */
  create: recentPasswordStaffProcedure("manage:apikey")
    .input(apiKeyCreateInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.deps, input)),

  revoke: staffProcedure("manage:apikey")
    .input(z.object({ id: z.uuid({ message: "Unknown API key." }) }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.deps, input)),

  /**
   * Who is calling, for the booking site to check its key (same gate as bookings.create:
   * the `bookings:write` scope, or staff who may write bookings).
   */
  whoami: apiKeyOrStaffProcedure("write:booking", "bookings:write").query(({ ctx }) => {
    const p = ctx.principal;
    return p.type === "apiKey"
      ? { type: "apiKey" as const, id: p.apiKey.id, name: p.apiKey.name, scopes: p.apiKey.scopes }
      : { type: "staff" as const, id: p.staff.id, name: p.staff.name, role: p.staff.role };
  }),
});
