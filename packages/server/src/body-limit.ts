import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { type AppName, TRPC_ENDPOINT } from "@xplorium/api";
import { RESEND_WEBHOOK } from "@xplorium/auth";
import type express from "express";
import { RESEND_WEBHOOK_MAX_BYTES } from "./resend-webhook";

/** MAX_REQUEST_BODY_BYTES's default: 1 MB (@xplorium/config). */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** A route that may take a body larger (or smaller) than the default: one method, one path shape. */
export interface BodyLimitAllowance {
  method: string;
  /** Tested against the raw path (no query), anchored at both ends. */
  path: RegExp;
  maxBytes: number;
}

/**
 * Each app's routes with a limit of their own; every other request has MAX_REQUEST_BODY_BYTES.
 * The Resend webhook keeps exactly the limit its own parser has (events are small), whatever the
 * default is set to. A file upload would be added here with what it needs.
 */
export const BODY_LIMIT_ALLOWANCES: Record<AppName, readonly BodyLimitAllowance[]> = {
  admin: [
    {
      method: RESEND_WEBHOOK.method,
      path: RESEND_WEBHOOK.path,
      maxBytes: RESEND_WEBHOOK_MAX_BYTES,
    },
  ],
  portal: [],
};

/** "1 MB", "256 KB", "4096 bytes": how the limit is said in the answer. */
export function describeBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, "GB"],
    [1024 * 1024, "MB"],
    [1024, "KB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const n = bytes / size;
      return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/**
 * The request-body cap, ahead of everything that reads a body (Remix, tRPC, the webhook's raw
 * parser):
 *
 * - a declared `Content-Length` over the limit is answered 413 at once and nothing of the body
 *   is read (the connection is closed after the answer); one within the limit passes untouched,
 *   as Node's parser never delivers more than the declared length;
 * - a body without a length (`Transfer-Encoding: chunked`) is read here and counted as it
 *   arrives: past the limit it is cut off with a 413; within it, it is handed on as `req.body`
 *   (a Buffer, flagged read as body parsers do) for Remix's request (remix-handler.ts) and the
 *   webhook's parser.
 *
 * tRPC calls get the 413 as a tRPC error (PAYLOAD_TOO_LARGE), everything else in plain words.
 */
export function bodyLimit(opts: {
  maxBytes: number;
  allowances?: readonly BodyLimitAllowance[];
}): express.RequestHandler {
  const allowances = opts.allowances ?? [];
  const limitFor = (req: express.Request) =>
    allowances.find((a) => a.method === req.method && a.path.test(req.path))?.maxBytes ??
    opts.maxBytes;

  return (req, res, next) => {
    const maxBytes = limitFor(req);
    const declared = req.headers["content-length"];
    if (declared !== undefined) {
      // Node's parser has already refused a Content-Length that is not a number.
      if (Number(declared) > maxBytes) tooLarge(req, res, maxBytes);
      else next();
      return;
    }
    if (req.headers["transfer-encoding"] === undefined) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        stop();
        // Read no more: the connection closes after the answer.
        req.pause();
        tooLarge(req, res, maxBytes);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      (req as { body?: unknown }).body = Buffer.concat(chunks, received);
      (req as { _body?: boolean })._body = true;
      next();
    };
    // The client went away mid-body: nobody is left to answer.
    const onError = () => stop();
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  };
}

function tooLarge(req: express.Request, res: express.Response, maxBytes: number) {
  const message = `The request body is too large: at most ${describeBytes(maxBytes)} (${maxBytes} bytes).`;
  // The rest of the body is never read, so this connection cannot carry another request.
  res.setHeader("Connection", "close");
  res.status(413);
  if (req.path === TRPC_ENDPOINT || req.path.startsWith(`${TRPC_ENDPOINT}/`)) {
    const procedures = req.path.slice(TRPC_ENDPOINT.length + 1);
    const error = (path: string | null) => ({
      error: {
        json: {
          message,
          code: TRPC_ERROR_CODES_BY_KEY.PAYLOAD_TOO_LARGE,
          data: {
            code: "PAYLOAD_TOO_LARGE",
            httpStatus: 413,
            path,
            fieldErrors: null,
            retryAfterSeconds: null,
          },
        },
      },
    });
    // A batch (`?batch=1`, procedures joined by commas) is answered one error per call.
    const body =
      req.query.batch === "1"
        ? procedures.split(",").map((p) => error(p || null))
        : error(procedures || null);
    res.json(body);
    return;
  }
  res.type("text/plain").send(message);
}
