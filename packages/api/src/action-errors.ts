import type { Submission, SubmissionResult } from "@conform-to/zod/v4";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { AppError } from "@xplorium/core/errors";
import { ZodError, z } from "zod";
import type { $ZodType } from "zod/v4/core";

/**
 * The form layer's server half (ADR 022): `parseForm` reads a post against a zod schema (a
 * discriminated union on `intent` when a page has several forms), `formResult` turns whatever
 * happened next into the one shape every action returns. `describeActionError` is the one place
 * that knows how our procedures' errors look.
 */

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

/** The message of a refusal whose detail is on the fields. */
export const CHECK_THE_FIELDS = "Please check the highlighted fields.";

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
    message: zod ? CHECK_THE_FIELDS : error.message,
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

/** A submission as `parseForm` returns it (typed by the schema's input and output). */
export type FormSubmission<Output = unknown> = Submission<unknown, string[], Output>;

/**
 * A form post read against `schema` with Conform (empty fields arrive as undefined; numbers,
 * dates and checkboxes are coerced). For a page with several forms, `schema` is
 * `z.discriminatedUnion("intent", [...])` and each form's button sends `name="intent"`.
 */
export function parseForm<Schema extends $ZodType>(formData: FormData, schema: Schema) {
  return parseWithZod(formData, { schema });
}

/** What every form action returns (and `useActionData` sees). */
export interface FormResult {
  ok: boolean;
  /** The post's `intent` field: which of the page's forms it came from. */
  intent: string | null;
  /** Conform's reply: field errors, the form's own error, and the values typed (to refill). */
  reply: SubmissionResult<string[]>;
  /** The success toast, or the refusal's message. */
  message: string | null;
  /** Tells one outcome from the next, so the same toast shows again for a new submit. */
  at: number;
  /** The AppError's machine-readable reason, e.g. "REAUTH_REQUIRED" (see reauth.ts). */
  reason?: string;
  /** For 429 (sent as Retry-After too). */
  retryAfterSeconds?: number;
}

/** A refusal the action decides itself (not from a procedure). */
export interface Refusal {
  message: string;
  fieldErrors?: Record<string, string[] | undefined>;
  status?: number;
  reason?: string;
}

export interface FormResultOptions {
  headers?: Headers;
  /** Success: the toast to show. */
  toast?: string;
  /** Success: clear the form (e.g. after adding an item). */
  resetForm?: boolean;
  /** A procedure's error: shaped by describeActionError; anything unexpected is rethrown. */
  error?: unknown;
  /** A refusal of the action's own. */
  refuse?: Refusal;
  /** Fields never sent back to refill the form; any field named like "password" never is. */
  hideFields?: string[];
}

/**
 * The one action result: a validation failure (400, "Please check the highlighted fields."), a
 * procedure's error (its status, message, field errors, reason; Retry-After when it asks to
 * wait), a refusal of the action's own, or success with a toast. The message goes to the form's
 * own errors when no field carries it.
 */
export function formResult(submission: FormSubmission, options: FormResultOptions = {}) {
  const headers = options.headers ?? new Headers();
  const intent = typeof submission.payload.intent === "string" ? submission.payload.intent : null;
  const invalid = submission.status === "error" ? (submission.error ?? {}) : {};
  const failure: Refusal | ActionFailure | null =
    options.error !== undefined
      ? describeActionError(options.error)
      : (options.refuse ??
        // An `intent` no form on the page sends.
        (invalid.intent
          ? { message: "Unknown action.", status: 400 }
          : submission.status === "error"
            ? { message: CHECK_THE_FIELDS, status: 400 }
            : null));
  if (!failure) {
    const result: FormResult = {
      ok: true,
      intent,
      reply: submission.reply(options.resetForm ? { resetForm: true } : {}),
      message: options.toast ?? null,
      at: Date.now(),
    };
    return data(result, { headers });
  }
  const fieldErrors = Object.fromEntries(
    Object.entries(failure.fieldErrors ?? {}).filter(
      (e): e is [string, string[]] => !!e[1]?.length,
    ),
  );
  const hideFields = [
    ...(options.hideFields ?? []),
    ...Object.keys(submission.payload).filter((name) => /password/i.test(name)),
  ];
  const retryAfterSeconds =
    "retryAfterSeconds" in failure ? (failure as ActionFailure).retryAfterSeconds : undefined;
  // As the procedure middleware sets it (trpc.ts); a Remix action returns these headers.
  if (retryAfterSeconds !== undefined) {
    headers.set("Retry-After", String(Math.max(1, Math.ceil(retryAfterSeconds))));
  }
  const result: FormResult = {
    ok: false,
    intent,
    reply: submission.reply({
      fieldErrors,
      ...(Object.keys(fieldErrors).length === 0 &&
      !Object.entries(invalid).some(([name, e]) => name !== "" && name !== "intent" && e?.length)
        ? { formErrors: [failure.message] }
        : {}),
      hideFields,
    }),
    message: failure.message,
    at: Date.now(),
    ...(failure.reason !== undefined ? { reason: failure.reason } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
  return data(result, { status: failure.status ?? 400, headers });
}
