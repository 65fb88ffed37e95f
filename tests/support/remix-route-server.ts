import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

/**
 * A real HTTP server running some of an app's Remix routes without a Vite build: Express and
 * Remix's own request handler in front of the real route modules, with the load context the
 * app server gives (db, env, app, nonce, requestId, ip). The manifest that a build would write
 * is made here from the route list. Express and the Remix adapter resolve from the app, as
 * the workspace root does not depend on them.
 */
export interface TestRoute {
  id: string;
  parentId?: string;
  /** As in the route config: "" for the root, "customers/:id", or none for a pathless layout. */
  path?: string;
  /** An index route (`_account._index`): its parent's path, no path of its own. */
  index?: boolean;
  module: Record<string, unknown>;
}

// Just the parts used here, so the workspace root needs no types of its own for them.
type Express = () => {
  all: (path: string, handler: unknown) => void;
  listen: (port: number, host: string, ready: () => void) => Server;
};
type CreateRequestHandler = (opts: {
  build: unknown;
  mode: string;
  getLoadContext: (req: { ip?: string }) => unknown;
}) => unknown;

type AppEdge = {
  applyAppEdge: (
    server: unknown,
    opts: { app: "admin" | "portal"; appOrigin: string; production: boolean },
  ) => void;
  createRequestHandler: CreateRequestHandler;
};

export interface RouteServer {
  url: string;
  close: () => Promise<void>;
}

export async function startRouteServer(opts: {
  /** The app's package.json, to resolve express and @remix-run/express from. */
  appPackageJson: URL;
  entry: Record<string, unknown>;
  routes: TestRoute[];
  loadContext: (ip: string | null) => Record<string, unknown>;
  /**
   * Serve through the apps' real edge instead (`applyAppEdge`: request ids, security headers,
   * trust proxy, the same-origin check with the app's exemptions) and the app server's own
   * Remix handler. `appOrigin` stands for PORTAL_URL / ADMIN_URL; requests addressed to the
   * test server's own host count as same-origin too.
   */
  edge?: { app: "admin" | "portal"; appOrigin: string };
}): Promise<RouteServer> {
  const require = createRequire(opts.appPackageJson);
  const load = (name: string) => import(pathToFileURL(require.resolve(name)).href);
  const express = (await load("express")).default as Express;
  const { createRequestHandler } = (await load("@remix-run/express")) as {
    createRequestHandler: CreateRequestHandler;
  };

  const build = testServerBuild(opts);

  const app = express();
  if (opts.edge) {
    // From the app too, and typed by hand: the root program stays free of Remix's and Vite's
    // global type augmentations.
    const edge = (await load("@xplorium/server")) as AppEdge;
    edge.applyAppEdge(app, { ...opts.edge, production: false });
    app.all(
      "*",
      edge.createRequestHandler({
        build,
        mode: "production",
        getLoadContext: (req) => opts.loadContext(req.ip ?? null),
      }),
    );
  } else {
    app.all(
      "*",
      createRequestHandler({
        build,
        mode: "production",
        getLoadContext: (req) => opts.loadContext(req.ip ?? null),
      }),
    );
  }
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Visible text of a page, roughly: enough to assert on what a person reads. */
export function visibleText(html: string): string {
  // Every page test checks this: NUL is never valid in HTML (see withoutNulBytes in entry-server).
  if (html.includes("\u0000")) throw new Error("The page contains NUL characters");
  return html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ");
}

/**
 * The ServerBuild a Vite build would write, made from the route list: the real entry and route
 * modules, a manifest pointing at assets that do not exist (pages render; nothing hydrates).
 */
export function testServerBuild(opts: { entry: Record<string, unknown>; routes: TestRoute[] }) {
  return {
    mode: "production",
    entry: { module: opts.entry },
    routes: Object.fromEntries(opts.routes.map((r) => [r.id, r])),
    assets: {
      entry: { imports: [], module: "/entry.client.js" },
      routes: Object.fromEntries(
        opts.routes.map((r) => [
          r.id,
          {
            id: r.id,
            parentId: r.parentId,
            path: r.path,
            index: r.index,
            module: `/${r.id}.js`,
            hasAction: typeof r.module.action === "function",
            hasLoader: typeof r.module.loader === "function",
            hasClientAction: false,
            hasClientLoader: false,
            hasErrorBoundary: "ErrorBoundary" in r.module,
          },
        ]),
      ),
      url: "/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    // As in tooling/vite/remix-app.ts.
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
      v3_routeConfig: true,
    },
    isSpaMode: false,
  };
}
