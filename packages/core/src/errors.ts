/**
 * The one error type of the domain. The API maps `code` to a tRPC/HTTP status; anything else
 * thrown is a bug and becomes a logged 500 with no detail shown.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS";

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Per-field messages for forms, keyed by input field name. */
  readonly fieldErrors: Record<string, string[]> | undefined;
  /** For TOO_MANY_REQUESTS. */
  readonly retryAfterSeconds: number | undefined;
  /**
   * A machine-readable why, for clients that act on it (e.g. "REAUTH_REQUIRED": ask for the
   * password, then retry). Sent as `data.reason` of the tRPC error.
   */
  readonly reason: string | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    extra: {
      fieldErrors?: Record<string, string[]>;
      retryAfterSeconds?: number;
      reason?: string;
    } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = extra.fieldErrors;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.reason = extra.reason;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found.`);
