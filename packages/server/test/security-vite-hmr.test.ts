import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer as createNetServer } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import { devViteServerOptions } from "@xplorium/server";
import { createServer as createViteServer, type ViteDevServer } from "vite";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Issue 14: in development each app listens on HOST (loopback by default), but Vite's HMR
 * websocket server (24678 / 24679) listened on every interface. It now binds to HOST too.
 */

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Whether a TCP connection to host:port is accepted. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const outward = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

let vite: ViteDevServer | undefined;
const root = mkdtempSync(path.join(tmpdir(), "xp-vite-hmr-"));
afterAll(async () => {
  await vite?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("Vite's HMR websocket in development", () => {
  it("binds to the configured HOST, and keeps Vite's default for a wildcard HOST", () => {
    expect(devViteServerOptions("127.0.0.1")).toEqual({
      middlewareMode: true,
      hmr: { host: "127.0.0.1" },
    });
    expect(devViteServerOptions("::1").hmr).toEqual({ host: "::1" });
    expect(devViteServerOptions("0.0.0.0").hmr).toEqual({});
    expect(devViteServerOptions("::").hmr).toEqual({});
  });

  it.runIf(outward)("is reachable on loopback only, as the app is", async () => {
    const port = await freePort();
    const options = devViteServerOptions("127.0.0.1");
    vite = await createViteServer({
      root,
      configFile: false,
      logLevel: "silent",
      server: { ...options, hmr: { ...options.hmr, port } },
    });
    // Vite starts listening without waiting; give it a moment.
    for (let i = 0; i < 50 && !(await reachable("127.0.0.1", port)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await reachable("127.0.0.1", port)).toBe(true);
    expect(await reachable(outward!, port)).toBe(false);
  });
});
