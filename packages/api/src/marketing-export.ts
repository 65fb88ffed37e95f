import { type Permission, ROLE_PERMISSIONS } from "@xplorium/auth";
import type { Actor } from "@xplorium/core/actor";
import { AppError } from "@xplorium/core/errors";
import { exportMarketingListCsv } from "@xplorium/core/marketing";
import { ZodError } from "zod";
import { type CreateContextInput, createContext } from "./context";
import { passwordConfirmationStale, reauthRequiredResponse } from "./reauth";

/** Reading the list and taking personal data out of the system: both are needed. */
const PERMISSIONS: Permission[] = ["read:marketing", "export:customer"];

function plain(status: number, message: string, headers: Headers): Response {
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(message, { status, headers });
}

/**
 * A saved segment's marketing list as a CSV download, authorised like a staff procedure (this
 * app's session cookie only; 401 without a staff session, 403 without the permissions or when the
 * password was not entered recently (`X-Reason: REAUTH_REQUIRED`), 404 for an unknown segment). The body streams from PostgreSQL as the client reads it.
 */
export async function handleMarketingListExport(
  input: Omit<CreateContextInput, "resHeaders">,
  segmentId: string,
): Promise<Response> {
  const headers = new Headers();
  const ctx = await createContext({ ...input, resHeaders: headers });
  if (ctx.app !== "admin" || ctx.principal.type !== "staff") {
    return plain(401, "Sign in as staff to do this.", headers);
  }
  const { staff } = ctx.principal;
  const missing = PERMISSIONS.find((p) => !ROLE_PERMISSIONS[staff.role].has(p));
  if (missing) {
    return plain(403, `Your role (${staff.role}) does not allow this (${missing}).`, headers);
  }
  // A list of customers' addresses: exported only with a recently entered password, like
  // the customer list itself (reauth.ts).
  if (passwordConfirmationStale(ctx.principal, ctx.env)) return reauthRequiredResponse(headers);
  const actor: Actor = { type: "staff", id: staff.id, role: staff.role };
  try {
    const { stream } = await exportMarketingListCsv({ ...ctx.deps, actor }, { segmentId });
    const day = new Date().toISOString().slice(0, 10);
    headers.set("Content-Type", "text/csv; charset=utf-8");
    headers.set("Content-Disposition", `attachment; filename="marketing-list-${day}.csv"`);
    // Personal data: never kept by a browser or proxy cache.
    headers.set("Cache-Control", "no-store");
    return new Response(stream, { status: 200, headers });
  } catch (error) {
    if (error instanceof ZodError) return plain(404, "Segment not found.", headers);
    if (error instanceof AppError && error.code === "NOT_FOUND") {
      return plain(404, error.message, headers);
    }
    if (error instanceof AppError && error.code === "BAD_REQUEST") {
      return plain(400, error.message, headers);
    }
    throw error;
  }
}
