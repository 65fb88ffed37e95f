import type { EventEmitter } from "node:events";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@xplorium/logger";
import type express from "express";
import type { Lifecycle } from "./health";

export interface ServeOptions {
  port: number;
  /** The address to listen on (HOST); 127.0.0.1, this machine only, unless told otherwise. */
  host?: string;
  log: Logger;
  lifecycle: Lifecycle;
  /** Run in order once HTTP has drained: Vite, the database pool, the embedded cluster. */
  closers?: (() => Promise<unknown>)[];
  /** How long in-flight requests get to finish before their connections are cut. */
  drainTimeoutMs?: number;
  /** Where SIGTERM / SIGINT come from (the process; tests pass their own emitter). */
  signals?: EventEmitter;
  /** Called after a signal-initiated shutdown (process.exit; tests record it). */
  exit?: (code: number) => void;
  onListening?: (port: number) => void;
}

export interface ServedApp {
  listener: Server;
  port: number;
  /** Stops accepting, drains in-flight requests, then runs the closers. Idempotent. */
  shutdown: (reason?: string) => Promise<void>;
}

/**
 * Listens, and stops gracefully: on SIGTERM (or SIGINT) the instance reports not ready, stops
 * accepting connections, lets in-flight requests finish (closing keep-alive connections as they
 * go idle), cuts whatever is still open after `drainTimeoutMs`, closes the database pool, and
 * exits 0.
 */
export async function serveApp(server: express.Express, opts: ServeOptions): Promise<ServedApp> {
  const { log, lifecycle } = opts;
  const drainTimeoutMs = opts.drainTimeoutMs ?? 10_000;
  const listener = await new Promise<Server>((resolve, reject) => {
    // Loopback unless told otherwise: the development defaults may serve nobody else (@xplorium/config).
    const l = server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve(l));
    l.once("error", reject);
  });
  const port = (listener.address() as AddressInfo).port;
  opts.onListening?.(port);

  let inFlight = 0;
  listener.on("request", (_req, res: ServerResponse) => {
    inFlight++;
    res.once("close", () => inFlight--);
  });

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = "shutdown") => {
    stopping ??= (async () => {
      lifecycle.draining = true;
      log.info("shutting down: draining in-flight requests", { reason, inFlight });
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      listener.closeIdleConnections();
      const idle = setInterval(() => listener.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), drainTimeoutMs);
        }),
      ]);
      clearInterval(idle);
      clearTimeout(timer);
      if (timedOut) {
        log.warn("drain timed out: closing the remaining connections", { inFlight });
        listener.closeAllConnections();
        await closed;
      }
      for (const close of opts.closers ?? []) {
        try {
          await close();
        } catch (err) {
          log.error("shutdown step failed", { err });
        }
      }
      log.info("stopped");
    })();
    return stopping;
  };

  const signals = opts.signals ?? process;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  for (const signal of ["SIGTERM", "SIGINT"]) {
    signals.once(signal, () => {
      void shutdown(signal).then(() => exit(0));
    });
  }
  return { listener, port, shutdown };
}
