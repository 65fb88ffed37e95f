import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AppError } from "@xplorium/core/errors";
import { ZodError, z } from "zod";

export interface ActionFailure {
  ok: false;
  status: number;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
  /** For 429: when to try again (send it as Retry-After). */
  retryAfterSeconds?: number;
  /** The AppError's machine-readable reason, e.g. "REAUTH_REQUIRED" (see reauth.ts). */
  reason?: string;
}

/**
 * For Remix actions that call the server caller: turns a tRPC error into what a form shows
 * (a message and per-field errors). Anything unexpected is rethrown to the error boundary.
 */
export function describeActionError(error: unknown): ActionFailure {
  if (!(error instanceof TRPCError)) throw error;
  if (error.code === "INTERNAL_SERVER_ERROR" && !(error.cause instanceof AppError)) throw error;
  const cause = error.cause;
  const zod = cause instanceof ZodError;
  return {
    ok: false,
    status: getHTTPStatusCodeFromError(error),
    message: zod ? "Please check the highlighted fields." : error.message,
    fieldErrors: zod
      ? z.flattenError(cause).fieldErrors
      : cause instanceof AppError
        ? (cause.fieldErrors ?? {})
        : {},
    ...(cause instanceof AppError && cause.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: cause.retryAfterSeconds }
      : {}),
    ...(cause instanceof AppError && cause.reason !== undefined ? { reason: cause.reason } : {}),
  };
}
