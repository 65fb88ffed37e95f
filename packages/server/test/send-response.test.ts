import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendResponse } from "../src";

/**
 * How the app server writes a fetch Response: a JSON answer at once with its length (no stream
 * pipeline per tRPC call), everything else (pages, CSV exports, tRPC's chunked batches) piped
 * with back-pressure as before.
 */

let server: ReturnType<ReturnType<typeof express>["listen"]>;
let base: string;

const routes: Record<string, () => Response> = {
  "/json": () =>
    new Response(JSON.stringify({ result: { data: { json: { name: "Ana Petrović" } } } }), {
      headers: { "Content-Type": "application/json; charset=utf-8", Vary: "trpc-accept" },
    }),
  "/chunked-json": () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"0":'));
          c.enqueue(new TextEncoder().encode("1}\n"));
          c.close();
        },
      }),
      { headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" } },
    ),
  "/csv": () =>
    new Response(
      new ReadableStream({
        start(c) {
          for (let i = 0; i < 3; i++) c.enqueue(new TextEncoder().encode(`row ${i}\n`));
          c.close();
        },
      }),
      { headers: { "Content-Type": "text/csv; charset=utf-8" } },
    ),
};

/** What the handler for a client that went away saw: the body cancelled, nothing thrown. */
const gone: { cancelled: boolean; error: unknown } = { cancelled: false, error: null };

beforeAll(async () => {
  const app = express();
  app.use(async (req, res, next) => {
    if (req.path === "/gone") {
      // The client disconnects while the page is still being prepared.
      await new Promise<void>((r) => req.socket.once("close", () => setTimeout(r, 20)));
      const body = new ReadableStream<Uint8Array>({
        cancel() {
          gone.cancelled = true;
        },
      });
      await sendResponse(
        res,
        new Response(body, { headers: { "Content-Type": "text/csv" } }),
      ).catch((error: unknown) => {
        gone.error = error;
      });
      return;
    }
    const route = routes[req.path];
    if (!route) return next();
    await sendResponse(res, route());
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe("sendResponse", () => {
  it("writes a JSON answer whole, with its length and headers", async () => {
    const res = await fetch(`${base}/json`);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ result: { data: { json: { name: "Ana Petrović" } } } });
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(res.headers.get("vary")).toBe("trpc-accept");
  });

  it("still streams chunked JSON and other bodies", async () => {
    const chunked = await fetch(`${base}/chunked-json`);
    expect(await chunked.text()).toBe('{"0":1}\n');
    expect(chunked.headers.get("content-length")).toBeNull();
    const csv = await fetch(`${base}/csv`);
    expect(await csv.text()).toBe("row 0\nrow 1\nrow 2\n");
    expect(csv.headers.get("content-length")).toBeNull();
  });

  it("cancels the body, and throws nothing, when the client left before it started", async () => {
    const controller = new AbortController();
    const request = fetch(`${base}/gone`, { signal: controller.signal }).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await request;
    await expect.poll(() => gone.cancelled, { timeout: 2_000 }).toBe(true);
    expect(gone.error).toBeNull();
  });
});
