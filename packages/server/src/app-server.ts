import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import { type AppName, contextInput, handleTrpcRequest, TRPC_ENDPOINT } from "@xplorium/api";
import { SAME_ORIGIN_EXEMPTIONS } from "@xplorium/auth";
import { type Env, env as loadEnv } from "@xplorium/config";
import { checkReadiness, createDb, type Database, resolveDatabase } from "@xplorium/db";
import { emailTransportStartupNotice } from "@xplorium/email";
import { createLogger, type Logger } from "@xplorium/logger";
import express from "express";
import { BODY_LIMIT_ALLOWANCES, bodyLimit, DEFAULT_MAX_REQUEST_BODY_BYTES } from "./body-limit";
import { healthRoutes, type Lifecycle } from "./health";
import { createRequestHandler, fetchHandler } from "./remix-handler";
import { requestContext } from "./request-context";
import {
  type ResendWebhookOptions,
  resendWebhookRouter,
  resendWebhookStartupNotice,
} from "./resend-webhook";
import { sameOriginGuard } from "./same-origin-guard";
import { securityHeaders } from "./security-headers";
import { type ServeOptions, serveApp } from "./serve";

/** What every Remix loader and action receives as `context`. */
export type XpLoadContext = {
  db: Database;
  env: Env;
  app: AppName;
  nonce: string;
  requestId: string;
  ip: string | null;
  /** This request's logger: every line carries the app and the request id. */
  log: Logger;
};

export interface AppServerOptions {
  app: AppName;
  /** The app's folder (holds vite.config.ts and build/). */
  root: string;
}

export interface AppEdgeOptions {
  app: AppName;
  appOrigin: string;
  production: boolean;
  /** The app's logger (request lines and errors get the request id added). */
  log?: Logger;
  /** MAX_REQUEST_BODY_BYTES (1 MB unless given); the app's routes may have their own. */
  maxRequestBodyBytes?: number;
}

/**
 * Endpoints the server answers itself, after the edge and before Remix (and before anything that
 * parses bodies): the admin's Resend webhook, which reads its raw body. Also used by the HTTP
 * tests.
 */
export function applyAppEndpoints(
  server: express.Express,
  opts: {
    app: AppName;
    db: Database;
    env: ResendWebhookOptions["env"];
    log?: (message: string) => void;
  },
) {
  if (opts.app === "admin") {
    server.use(
      resendWebhookRouter({ db: opts.db, env: opts.env, ...(opts.log ? { log: opts.log } : {}) }),
    );
  }
}

/** What a request whose path does not percent-decode gets (400, never the 500 of an error). */
export const MALFORMED_PATH_MESSAGE =
  "Bad request: the address is not valid (broken percent-encoding).";

function decodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * What every request passes before Remix: a request id (X-Request-Id) and a logger carrying it,
 * security headers with a CSP nonce, a 400 for a path that does not decode, the request-body
 * cap (413 before anything reads a body larger than MAX_REQUEST_BODY_BYTES or the route's
 * allowance), and the same-origin check on every non-GET request with the app's few exemptions. Also used by the HTTP tests, so they
 * exercise the edge the apps run.
 */
export function applyAppEdge(server: express.Express, opts: AppEdgeOptions) {
  server.disable("x-powered-by");
  server.set("trust proxy", "loopback");
  server.use(requestContext(opts.log ?? createLogger({ base: { app: opts.app } })));
  server.use((_req, res, next) => {
    const headers = securityHeaders(res.locals.nonce as string, { production: opts.production });
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    next();
  });
  // A path that does not percent-decode (`/customers/%E0%A4`) names no page: Express's router,
  // and Remix after it, would throw decoding it, and the last error handler answer 500.
  server.use((req, res, next) => {
    if (decodablePath(req.path)) {
      next();
      return;
    }
    res.status(400).type("text/plain").send(MALFORMED_PATH_MESSAGE);
  });
  server.use(
    bodyLimit({
      maxBytes: opts.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES,
      allowances: BODY_LIMIT_ALLOWANCES[opts.app],
    }),
  );
  server.use(
    sameOriginGuard(opts.appOrigin, SAME_ORIGIN_EXEMPTIONS[opts.app], {
      // Only the admin takes API keys (the booking site); a portal request never needs to
      // come without a browser's origin headers.
      allowApiKey: opts.app === "admin",
      // In development the app may be reached on another name than its configured URL
      // (127.0.0.1 for localhost); in production only the configured origin counts.
      allowHostOrigin: !opts.production,
    }),
  );
}

export interface CreateAppServerOptions {
  app: AppName;
  env: Env;
  db: Database;
  log: Logger;
  appOrigin: string;
  /** The Remix server build, or a loader of it (Vite's, in development). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Serves assets before Remix: Vite's middleware, or the built client files. */
  assets?: (server: express.Express) => void;
  /** Draining flag shared with `serveApp` (readiness answers 503 once it is set). */
  lifecycle?: Lifecycle;
  readiness?: () => ReturnType<typeof checkReadiness>;
}

/**
 * The Express app both apps run: health endpoints, the edge (applyAppEdge), assets, Remix, and a
 * last error handler that logs with the request id and answers without internals.
 */
export function createAppServer(opts: CreateAppServerOptions) {
  const lifecycle = opts.lifecycle ?? { draining: false };
  const server = express();
  applyAppEdge(server, {
    app: opts.app,
    appOrigin: opts.appOrigin,
    production: opts.env.production,
    log: opts.log,
    maxRequestBodyBytes: opts.env.MAX_REQUEST_BODY_BYTES,
  });
  server.use((_req, res, next) => {
    // While draining, tell keep-alive clients not to send another request on this connection.
    if (lifecycle.draining) res.setHeader("Connection", "close");
    next();
  });
  server.use(
    healthRoutes({ lifecycle, readiness: opts.readiness ?? (() => checkReadiness(opts.db)) }),
  );
  applyAppEndpoints(server, {
    app: opts.app,
    db: opts.db,
    env: opts.env,
    log: (message) => opts.log.warn(message),
  });
  opts.assets?.(server);

  const loadContext = (req: express.Request, res: express.Response): XpLoadContext => ({
    db: opts.db,
    env: opts.env,
    app: opts.app,
    nonce: res.locals.nonce as string,
    requestId: res.locals.requestId as string,
    ip: req.ip ?? null,
    log: res.locals.log as Logger,
  });
  // In production, tRPC over HTTP (react-query widgets, the booking site's API key) is answered
  // here rather than through Remix's resource route, which would match every route of the app
  // first (about half a millisecond a call; docs/performance.md). Same edge, same context. In
  // development the resource route answers, so an edited router is picked up through Vite like
  // the loaders' (this process does not reload); the route-level test harnesses use it too.
  if (opts.env.production) {
    server.use(
      TRPC_ENDPOINT,
      fetchHandler((request, req, res) =>
        handleTrpcRequest(contextInput(request, loadContext(req, res))),
      ),
    );
  }
  server.all(
    "*",
    createRequestHandler({
      build: opts.build,
      mode: opts.env.production ? "production" : "development",
      getLoadContext: loadContext,
    }),
  );

  // Errors Remix did not handle: log with the request id, show nothing internal.
  server.use(
    (err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
      // Anything else that decodes the URL (a route parameter) and fails: the client's
      // mistake, not an error of ours.
      if (err instanceof URIError && !res.headersSent) {
        res.status(400).type("text/plain").send(MALFORMED_PATH_MESSAGE);
        return;
      }
      (res.locals.log as Logger | undefined)?.error("request failed", {
        err,
        method: req.method,
      });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res
        .status(500)
        .type("text/plain")
        .send(`Something went wrong (request ${res.locals.requestId}).`);
    },
  );
  return { server, lifecycle };
}

/**
 * Vite's server options in development: middleware mode (Express serves the app), and its HMR
 * websocket server (its own port, 24678 / 24679 from vite.config.ts) on the app's `HOST`, so
 * it is not open on every interface while the app listens on loopback. A wildcard `HOST`
 * (0.0.0.0, ::) already means every interface, and the browser then connects to the name it
 * loaded the page from, so Vite is left its default.
 */
export function devViteServerOptions(host: string): {
  middlewareMode: true;
  hmr: { host?: string };
} {
  const wildcard = host === "0.0.0.0" || host === "::" || host === "";
  return { middlewareMode: true, hmr: wildcard ? {} : { host } };
}

/**
 * Starts one app: the database (DATABASE_URL or the embedded cluster), Remix through Vite's
 * middleware in development or the built server bundle in production, on the app's port; stops
 * gracefully on SIGTERM / SIGINT (serve.ts).
 */
export async function startAppServer(
  { app, root }: AppServerOptions,
  serveOptions: Partial<ServeOptions> = {},
) {
  const env = loadEnv();
  const log = createLogger({ level: env.LOG_LEVEL, base: { app } });
  const port = app === "admin" ? env.ADMIN_PORT : env.PORTAL_PORT;
  const appOrigin = new URL(app === "admin" ? env.ADMIN_URL : env.PORTAL_URL).origin;
  const database = await resolveDatabase((line) => log.info(line), env);
  const { db, close } = createDb(database.url);

  const vite = env.production
    ? undefined
    : await import("vite").then((v) =>
        v.createServer({
          root,
          configFile: path.join(root, "vite.config.ts"),
          server: devViteServerOptions(env.HOST),
        }),
      );

  const build = vite
    ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : ((await import(path.join(root, "build/server/index.js"))) as ServerBuild);

  const notice = app === "admin" ? resendWebhookStartupNotice(env) : null;
  if (notice) log.warn(notice);
  // Production on EMAIL_TRANSPORT=outbox (@xplorium/config refuses it unless chosen): nobody gets a code.
  const emailNotice = emailTransportStartupNotice(env);
  if (emailNotice) log.warn(emailNotice);

  const { server, lifecycle } = createAppServer({
    app,
    env,
    db,
    log,
    appOrigin,
    build,
    assets: (s) => {
      if (vite) {
        s.use(vite.middlewares);
        return;
      }
      s.use(
        "/assets",
        express.static(path.join(root, "build/client/assets"), { immutable: true, maxAge: "1y" }),
      );
      // Every file there has an extension (favicon.svg): page and API paths skip the disk.
      const files = express.static(path.join(root, "build/client"), { maxAge: "1h" });
      s.use((req, res, next) => (/\.[^/]*$/.test(req.path) ? files(req, res, next) : next()));
    },
  });

  return serveApp(server, {
    port,
    host: env.HOST,
    log,
    lifecycle,
    closers: [
      async () => vite?.close(),
      close,
      async () => {
        await database.stop?.();
      },
    ],
    onListening: () =>
      log.info(`${env.production ? "production" : "development"} server listening`, {
        url: appOrigin,
        host: env.HOST,
        port,
      }),
    ...serveOptions,
  });
}

declare module "@remix-run/node" {
  interface AppLoadContext extends XpLoadContext {}
}
