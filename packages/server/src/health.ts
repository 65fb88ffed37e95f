import type { ReadinessReport } from "@xplorium/db";
import type { Logger } from "@xplorium/logger";
import { Router } from "express";

/** Shared by the server and its shutdown: once draining, the instance is no longer ready. */
export interface Lifecycle {
  draining: boolean;
}

/**
 * `/healthz`: the process is up and serving HTTP (liveness; never touches the database, so a
 * database outage does not get healthy instances restarted). `/readyz`: this instance can do
 * its work: the database answers and holds every migration this code ships (readiness; a load
 * balancer stops sending traffic while it fails, and during a graceful shutdown).
 */
export function healthRoutes(opts: {
  lifecycle: Lifecycle;
  readiness: () => Promise<ReadinessReport & { error?: unknown }>;
}): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    if (opts.lifecycle.draining) {
      res.status(503).json({ status: "draining" });
      return;
    }
    const { error, ...report } = await opts.readiness();
    if (error)
      (res.locals.log as Logger | undefined)?.warn("readiness check failed", { err: error });
    res.status(report.ready ? 200 : 503).json({
      status: report.ready ? "ready" : "not ready",
      checks: report.checks,
    });
  });
  return router;
}
