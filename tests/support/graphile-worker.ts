import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// graphile-worker is a dependency of @xplorium/db (and the worker app), not of the workspace
// root, so tests/ resolves it from there rather than adding a root dependency.
type GraphileWorker = typeof import("../../packages/db/node_modules/graphile-worker/dist/index.js");

const requireFromDb = createRequire(new URL("../../packages/db/package.json", import.meta.url));

export const graphileWorker: GraphileWorker = await import(
  pathToFileURL(requireFromDb.resolve("graphile-worker")).href
);
