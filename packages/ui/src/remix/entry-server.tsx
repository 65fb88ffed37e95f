import { Transform } from "node:stream";
import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  type EntryContext,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./nonce";

const ABORT_DELAY = 5_000;

/**
 * React 18's streaming renderer flushes its whole 2 KB buffer when a multi-byte character (▼, −,
 * é) does not fit at the end of it, so the page gets a NUL byte for each byte left unused there
 * (the same bug the email renderer works around, packages/email/src/render.ts). NUL never
 * belongs in HTML and the characters themselves are intact, so the bytes are dropped on the way
 * out; a chunk without one passes untouched.
 */
function withoutNulBytes() {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.indexOf(0) === -1 ? chunk : Buffer.from(chunk.filter((b) => b !== 0)));
    },
  });
}

/** The request's logger from the app server's load context (structural: ui needs no db). */
type ErrorLog = { error: (msg: string, fields?: Record<string, unknown>) => void };
function logOf(context: AppLoadContext | undefined): ErrorLog {
  const log = (context as { log?: ErrorLog } | undefined)?.log;
  return log ?? { error: (msg, fields) => console.error(msg, fields) };
}

/**
 * Both apps' entry.server: streams the page, waits for everything for bots, and passes the
 * request's CSP nonce to React and Remix so their inline scripts run under the policy.
 */
export function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
): Promise<Response> {
  const nonce = typeof loadContext.nonce === "string" ? loadContext.nonce : "";
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const respond = () => {
      shellRendered = true;
      const body = withoutNulBytes();
      responseHeaders.set("Content-Type", "text/html");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider nonce={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (!waitForAll) respond();
        },
        onAllReady() {
          // Done: the abort timer would otherwise keep this render alive for ABORT_DELAY.
          clearTimeout(timer);
          if (waitForAll) respond();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; the error boundary shows a safe message.
          // A browser that went away mid-page is not an error of ours.
          if (shellRendered && !request.signal.aborted) {
            logOf(loadContext).error("render failed", { err: error });
          }
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Every error Remix catches on the server (loaders, actions, rendering), logged once with the
 * request id; the browser gets the error boundary, which in production shows no message or
 * stack. A request the browser abandoned is not an error, nor is a 4xx route response (a 404 for
 * an unknown URL).
 */
export function handleError(
  error: unknown,
  { request, context }: Pick<LoaderFunctionArgs, "request" | "context">,
): void {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  const cause =
    isRouteErrorResponse(error) && (error as { error?: unknown }).error
      ? (error as { error?: unknown }).error
      : error;
  // No path here: it may hold a link token; the request's access log line has it, redacted.
  logOf(context).error("request error", { err: cause, method: request.method });
}
