import { TRPCError } from "@trpc/server";

/** How long a client is asked to wait when the database is briefly away (a restart, a failover). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** postgres.js's own connection failures (errors with these codes, not PostgresError). */
const CLIENT_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** An error and its causes, outermost first (drizzle wraps postgres.js's errors). */
export function* causeChain(error: unknown, maxDepth = 6): Generator<ErrorLike> {
  for (let e = error, depth = 0; e && depth < maxDepth; depth++) {
    yield e as ErrorLike;
    e = (e as ErrorLike).cause;
  }
}

/**
 * Whether a failure means "the database cannot be reached right now" rather than a bug: the
 * connection was refused, dropped or timed out, or the server said it is shutting down or not
 * accepting connections yet (SQLSTATE 57P01–57P03, class 08). Looked for through the cause chain
 * (drizzle wraps postgres.js's errors).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const candidate of causeChain(error)) {
    const code = typeof candidate.code === "string" ? candidate.code : null;
    if (code && candidate.name === "PostgresError") {
      if (/^57P0[123]$/.test(code) || code.startsWith("08")) return true;
    } else if (code && CLIENT_CODES.has(code)) {
      return true;
    }
    // Node reports a refused connection to every address of a host as an AggregateError.
    if (Array.isArray(candidate.errors) && candidate.errors.some(isDatabaseUnavailable))
      return true;
  }
  return false;
}

/** The 503 a request gets instead of a 500 while the database is away; `Retry-After` set. */
export function databaseUnavailableError(cause: unknown, resHeaders: Headers): TRPCError {
  resHeaders.set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
  return new TRPCError({
    code: "SERVICE_UNAVAILABLE",
    message: "The service is briefly unavailable. Please try again in a few seconds.",
    cause,
  });
}
