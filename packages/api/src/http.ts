import type { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createLogger } from "@xplorium/logger";
import { type CreateContextInput, createContext } from "./context";
import { databaseUnavailableError, isDatabaseUnavailable } from "./database-unavailable";
import { appRouter } from "./root";

export const TRPC_ENDPOINT = "/api/trpc";

/** The tRPC fetch adapter, as mounted by both apps' `/api/trpc` resource route. */
export function handleTrpcRequest(
  input: Omit<CreateContextInput, "resHeaders">,
): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: input.request,
    router: appRouter,
    // Retry-After for a 429 is set on resHeaders by the procedure builders (trpc.ts).
    // The session check reads the database before any procedure runs: a database that cannot
    // be reached there is a 503 with Retry-After too, not a 500.
    createContext: async ({ resHeaders }) => {
      try {
        return await createContext({ ...input, resHeaders });
      } catch (error) {
        if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error, resHeaders);
        throw error;
      }
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logInternalError(input, path, error);
      if (error.code === "SERVICE_UNAVAILABLE") {
        (input.log ?? fallbackLog).warn("database unavailable (503)", {
          procedure: path ?? null,
          err: error.cause ?? error,
        });
      }
    },
  });
}

const fallbackLog = createLogger({ base: { component: "trpc" } });

/** An unexpected failure: logged in full with the request id; the client sees a generic message. */
export function logInternalError(
  input: Pick<CreateContextInput, "log" | "requestId">,
  path: string | undefined,
  error: TRPCError,
) {
  const log = input.log ?? fallbackLog.child({ requestId: input.requestId ?? null });
  log.error("tRPC procedure failed", { procedure: path ?? null, err: error.cause ?? error });
}
