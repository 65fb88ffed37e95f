import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  type ServerBuild,
} from "@remix-run/node";
import type express from "express";

/**
 * Remix behind Express, as `@remix-run/express` does it, except that response bodies are piped
 * with back-pressure: its adapter writes each chunk without waiting for the socket, so a large
 * streamed download (the customer CSV export) to a slow client would pile up in memory. Here a
 * slow reader slows the source down, and a client that goes away cancels it.
 */
export function createRequestHandler(opts: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: express.Request, res: express.Response) => AppLoadContext;
}): express.RequestHandler {
  const handleRequest = createRemixHandler(opts.build, opts.mode);
  return fetchHandler((request, req, res) => handleRequest(request, opts.getLoadContext(req, res)));
}

/**
 * A fetch handler (Request → Response) mounted on Express the same way: the request built as
 * Remix gets it (aborted when the client goes away), the response piped with back-pressure.
 */
export function fetchHandler(
  handle: (request: Request, req: express.Request, res: express.Response) => Promise<Response>,
): express.RequestHandler {
  return async (req, res, next) => {
    try {
      await sendResponse(res, await handle(remixRequest(req, res), req, res));
    } catch (error) {
      next(error);
    }
  };
}

function remixRequest(req: express.Request, res: express.Response): Request {
  // req.hostname honours "trust proxy" but drops the port: take it from the host header.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const port = [portOf(req.get("X-Forwarded-Host")), portOf(req.get("host"))].find((p) =>
    Number.isSafeInteger(p),
  );
  const url = new URL(
    `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`,
  );

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }

  // Abort loaders and actions once the response can no longer be written (close before finish).
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => {
    controller = null;
  });
  res.on("close", () => controller?.abort());

  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers,
    signal: controller.signal,
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    // A chunked body has already been read (and counted) by the body cap: it is handed on whole.
    const read: unknown = req.body;
    init.body = createReadableStreamFromReadable(
      Buffer.isBuffer(read) ? Readable.from([read]) : req,
    );
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

/** Writes a fetch Response to Express, piping its body with back-pressure. */
export async function sendResponse(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  if (
    /^application\/json\b/i.test(response.headers.get("Content-Type") ?? "") &&
    !response.headers.has("Transfer-Encoding")
  ) {
    // A JSON answer (a tRPC call; tRPC marks its streamed batches chunked) is one small piece:
    // written at once with its length, without a stream pipeline (a third of a millisecond).
    res.end(Buffer.from(await response.arrayBuffer()));
    return;
  }
  if (res.destroyed) {
    // The client went away before the body started: cancel it (a COPY stops), tell nobody.
    await response.body.cancel().catch(() => {});
    return;
  }
  try {
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
  } catch (error) {
    // The client went away mid-body (or just before the pipe): pipeline has destroyed the body,
    // which cancels it, and nobody is left to tell.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_STREAM_PREMATURE_CLOSE" || code === "ERR_STREAM_UNABLE_TO_PIPE") return;
    throw error;
  }
}
