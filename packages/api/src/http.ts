import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type CreateContextInput, createContext } from "./context";
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
    createContext: ({ resHeaders }) => createContext({ ...input, resHeaders }),
    responseMeta({ errors }) {
      const limited = errors.find((e) => e.code === "TOO_MANY_REQUESTS");
      const retry = (limited?.cause as { retryAfterSeconds?: number } | undefined)
        ?.retryAfterSeconds;
      return retry ? { headers: new Headers({ "Retry-After": String(retry) }) } : {};
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        console.error(
          `[${input.requestId ?? "-"}] tRPC ${path ?? "?"} failed:`,
          error.cause ?? error,
        );
      }
    },
  });
}
