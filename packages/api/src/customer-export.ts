import { ROLE_PERMISSIONS } from "@xplorium/auth";
import type { Actor } from "@xplorium/core/actor";
import { type CustomerFilterInput, exportCustomersCsv } from "@xplorium/core/customers";
import { AppError } from "@xplorium/core/errors";
import { ZodError } from "zod";
import { type CreateContextInput, createContext } from "./context";
import { passwordConfirmationStale, reauthRequiredResponse } from "./reauth";

const PERMISSION = "export:customer";

function plain(status: number, message: string, headers: Headers): Response {
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(message, { status, headers });
}

/**
 * The customer list as a CSV download. tRPC answers with JSON, so this streaming endpoint
 * lives beside it; it authorises exactly like `staffProcedure("export:customer")`: the same
 * context (this app's session cookie only), 401 without a staff session, 403 without the
 * permission, 403 with `X-Reason: REAUTH_REQUIRED` when the password was not entered recently
 * (reauth.ts). The body streams from PostgreSQL as the client reads it.
 */
export async function handleCustomerExport(
  input: Omit<CreateContextInput, "resHeaders">,
  filters: CustomerFilterInput,
): Promise<Response> {
  const headers = new Headers();
  const ctx = await createContext({ ...input, resHeaders: headers });
  if (ctx.app !== "admin" || ctx.principal.type !== "staff") {
    return plain(401, "Sign in as staff to do this.", headers);
  }
  const { staff } = ctx.principal;
  if (!ROLE_PERMISSIONS[staff.role].has(PERMISSION)) {
    return plain(403, `Your role (${staff.role}) does not allow this (${PERMISSION}).`, headers);
  }
  // Every customer in one file: owner-level, the password must have been entered recently.
  if (passwordConfirmationStale(ctx.principal, ctx.env)) return reauthRequiredResponse(headers);
  const actor: Actor = { type: "staff", id: staff.id, role: staff.role };
  try {
    const { stream } = await exportCustomersCsv({ ...ctx.deps, actor }, filters);
    const day = new Date().toISOString().slice(0, 10);
    headers.set("Content-Type", "text/csv; charset=utf-8");
    headers.set("Content-Disposition", `attachment; filename="customers-${day}.csv"`);
    // Personal data: never kept by a browser or proxy cache.
    headers.set("Cache-Control", "no-store");
    return new Response(stream, { status: 200, headers });
  } catch (error) {
    if (error instanceof ZodError) return plain(400, "Those filters are not valid.", headers);
    if (error instanceof AppError && error.code === "BAD_REQUEST") {
      return plain(400, error.message, headers);
    }
    throw error;
  }
}
