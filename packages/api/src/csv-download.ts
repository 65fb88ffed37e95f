import { type Permission, ROLE_PERMISSIONS } from "@xplorium/auth";
import type { Actor } from "@xplorium/core/actor";
import { AppError, type AppErrorCode } from "@xplorium/core/errors";
import { ZodError } from "zod";
import { type Context, type CreateContextInput, createContext } from "./context";
import { passwordConfirmationStale, reauthRequiredResponse } from "./reauth";

export interface CsvDownload {
  /** Every one is needed; the first missing one is named in the 403. */
  permissions: readonly Permission[];
  /** The file is called `<filename>-<YYYY-MM-DD>.csv`. */
  filename: string;
  /** The answer when the service rejects its input (a ZodError). */
  invalidInput: { status: number; message: string };
  /** AppError codes answered with their message and this status; any other error is thrown. */
  answered: Partial<Record<AppErrorCode, number>>;
  stream: (
    deps: Context["deps"] & { actor: Actor },
  ) => Promise<{ stream: ReadableStream<Uint8Array> }>;
}

function plain(status: number, message: string, headers: Headers): Response {
  headers.set("Content-Type", "text/plain; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  return new Response(message, { status, headers });
}

/**
 * A staff CSV download. tRPC answers with JSON, so the streaming endpoints live beside it;
 * they authorise exactly like a staff procedure: the same context (this app's session cookie
 * only), 401 without a staff session, 403 without the permissions, 403 with
 * `X-Reason: REAUTH_REQUIRED` when the password was not entered recently (reauth.ts): every
 * export takes customers' personal data out of the system. The body streams from PostgreSQL
 * as the client reads it.
 */
export async function staffCsvDownload(
  input: Omit<CreateContextInput, "resHeaders">,
  download: CsvDownload,
): Promise<Response> {
  const headers = new Headers();
  const ctx = await createContext({ ...input, resHeaders: headers });
  if (ctx.app !== "admin" || ctx.principal.type !== "staff") {
    return plain(401, "Sign in as staff to do this.", headers);
  }
  const { staff } = ctx.principal;
  const missing = download.permissions.find((p) => !ROLE_PERMISSIONS[staff.role].has(p));
  if (missing) {
    return plain(403, `Your role (${staff.role}) does not allow this (${missing}).`, headers);
  }
  if (passwordConfirmationStale(ctx.principal, ctx.env)) return reauthRequiredResponse(headers);
  const actor: Actor = { type: "staff", id: staff.id, role: staff.role };
  try {
    const { stream } = await download.stream({ ...ctx.deps, actor });
    const day = new Date().toISOString().slice(0, 10);
    headers.set("Content-Type", "text/csv; charset=utf-8");
    headers.set("Content-Disposition", `attachment; filename="${download.filename}-${day}.csv"`);
    // Personal data: never kept by a browser or proxy cache.
    headers.set("Cache-Control", "no-store");
    return new Response(stream, { status: 200, headers });
  } catch (error) {
    if (error instanceof ZodError) {
      return plain(download.invalidInput.status, download.invalidInput.message, headers);
    }
    const status = error instanceof AppError ? download.answered[error.code] : undefined;
    if (error instanceof AppError && status !== undefined) {
      return plain(status, error.message, headers);
    }
    throw error;
  }
}
