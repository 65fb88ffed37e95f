import { randomUUID } from "node:crypto";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { createDb, type Database, resolveDatabase } from "@xplorium/db";
import { type Env, env as loadEnv } from "@xplorium/db/env";
import express from "express";
import type { AppName } from "../context";
import { createRequestHandler } from "./remix-handler";
import { resendWebhookRouter, resendWebhookStartupNotice } from "./resend-webhook";
import { SAME_ORIGIN_EXEMPTIONS, sameOriginGuard } from "./same-origin-guard";
import { createNonce, securityHeaders } from "./security-headers";

/** What every Remix loader and action receives as `context`. */
export type XpLoadContext = {
  db: Database;
  env: Env;
  app: AppName;
  nonce: string;
  requestId: string;
  ip: string | null;
};

export interface AppServerOptions {
  app: AppName;
  /** The app's folder (holds vite.config.ts and build/). */
  root: string;
}

/**
 * What every request passes before Remix: request id, security headers with a CSP nonce, and the
 * same-origin check on every non-GET request with the app's few exemptions. Also used by the
 * HTTP tests, so they exercise the edge the apps run.
 */
export function applyAppEdge(
  server: express.Express,
  opts: { app: AppName; appOrigin: string; production: boolean },
) {
  server.disable("x-powered-by");
  server.set("trust proxy", "loopback");

  server.use((_req, res, next) => {
    const requestId = randomUUID();
    const nonce = createNonce();
    res.locals.requestId = requestId;
    res.locals.nonce = nonce;
    res.setHeader("X-Request-Id", requestId);
    for (const [k, v] of Object.entries(securityHeaders(nonce, { production: opts.production })))
      res.setHeader(k, v);
    next();
  });

  server.use(sameOriginGuard(opts.appOrigin, SAME_ORIGIN_EXEMPTIONS[opts.app]));
}

/**
 * Endpoints the server answers itself, after the edge and before Remix (and before anything that
 * parses bodies): the admin's Resend webhook, which reads its raw body. Also used by the HTTP
 * tests.
 */
export function applyAppEndpoints(
  server: express.Express,
  opts: { app: AppName; db: Database; env: Env; log?: (message: string) => void },
) {
  if (opts.app === "admin") {
    server.use(
      resendWebhookRouter({ db: opts.db, env: opts.env, ...(opts.log ? { log: opts.log } : {}) }),
    );
  }
}

/**
 * The HTTP edge shared by both apps: request ids, security headers with a CSP nonce, the
 * same-origin check on every non-GET request (Remix actions and /api/trpc alike), then Remix —
 * through Vite's middleware in development, the built server bundle in production.
 */
export async function startAppServer({ app, root }: AppServerOptions) {
  const env = loadEnv();
  const port = app === "admin" ? env.ADMIN_PORT : env.PORTAL_PORT;
  const appOrigin = new URL(app === "admin" ? env.ADMIN_URL : env.PORTAL_URL).origin;
  const database = await resolveDatabase((l) => console.log(`[${app}] ${l}`));
  const { db, close } = createDb(database.url);

  const vite = env.production
    ? undefined
    : await import("vite").then((v) =>
        v.createServer({
          root,
          configFile: path.join(root, "vite.config.ts"),
          server: { middlewareMode: true },
        }),
      );

  const server = express();
  applyAppEdge(server, { app, appOrigin, production: env.production });
  applyAppEndpoints(server, { app, db, env });
  const notice = app === "admin" ? resendWebhookStartupNotice(env) : null;
  if (notice) console.warn(`[admin] ${notice}`);

  if (vite) {
    server.use(vite.middlewares);
  } else {
    server.use(
      "/assets",
      express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }),
    );
    server.use(express.static(path.join(root, "build/client"), { maxAge: "1h" }));
  }

  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(path.join(root, "build/server/index.js"))) as ServerBuild);

  server.all(
    "*",
    createRequestHandler({
      build,
      mode: env.production ? "production" : "development",
      getLoadContext: (req, res): XpLoadContext => ({
        db,
        env,
        app,
        nonce: res.locals.nonce as string,
        requestId: res.locals.requestId as string,
        ip: req.ip ?? null,
      }),
    }),
  );

  // Errors Remix did not handle: log with the request id, show nothing internal.
  server.use(
    (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      console.error(`[${app}] [${res.locals.requestId}]`, err);
      if (!res.headersSent)
        res
          .status(500)
          .type("text/plain")
          .send(`Something went wrong (request ${res.locals.requestId}).`);
    },
  );

  const listener = server.listen(port, () => {
    console.log(
      `[${app}] ${env.production ? "production" : "development"} server on ${appOrigin} (port ${port})`,
    );
  });

  const shutdown = async () => {
    listener.close();
    await vite?.close();
    await close();
    await database.stop?.();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return listener;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends XpLoadContext {}
}
