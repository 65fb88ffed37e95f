import { EventEmitter } from "node:events";
import { memoryLogger } from "@xplorium/logger";
import {
  type CreateAppServerOptions,
  createAppServer,
  type ServedApp,
  serveApp,
} from "@xplorium/server";

/**
 * An app server (createAppServer, production mode unless the env says otherwise) listening on a
 * free loopback port, logging to memory and deaf to process signals: what the edge tests drive.
 * The caller closes `served`.
 */
export async function serveTestApp(
  opts: Omit<CreateAppServerOptions, "log">,
): Promise<{ served: ServedApp; url: URL }> {
  const { server, lifecycle } = createAppServer({ ...opts, log: memoryLogger().logger });
  const served = await serveApp(server, {
    port: 0,
    host: "127.0.0.1",
    log: memoryLogger().logger,
    lifecycle,
    signals: new EventEmitter(),
    exit: () => {},
  });
  return { served, url: new URL(`http://127.0.0.1:${served.port}`) };
}
