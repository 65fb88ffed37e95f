import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import type { AppName } from "@xplorium/api";
import { type Env, loadEnv } from "@xplorium/config";
import { schema } from "@xplorium/db";
import { createTestDatabase, type TestDatabase } from "@xplorium/db/testing";
import type { ServedApp } from "@xplorium/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerBuild } from "../../../tests/support/remix-route-server";
import { serveTestApp } from "./serve-test-app";

/**
 * Issue 14, finding 5, over real HTTP through the app server both apps run: request bodies are
 * capped before Remix or tRPC read them (MAX_REQUEST_BODY_BYTES, 1 MB by default; a route may
 * have its own allowance). A declared Content-Length over the cap is a 413 at once, without
 * reading; a chunked body is counted as it arrives and cut off with a 413. The server's sockets
 * are watched to prove it stopped reading.
 */

const ORIGIN: Record<AppName, string> = {
  admin: "https://admin.xplorium.example",
  portal: "https://portal.xplorium.example",
};
const MB = 1024 * 1024;

let t: TestDatabase;
const servers: ServedApp[] = [];

interface Running {
  url: URL;
  /** Bytes the server read from each connection it accepted, in order. */
  sockets: Socket[];
}

/** A resource route whose action reads the whole body, as every Remix action does. */
const echo = {
  action: async ({ request }: { request: Request }) => {
    const form = await request.formData();
    const text = String(form.get("text") ?? "");
    return Response.json({ length: text.length, tail: text.slice(-5) });
  },
};

async function start(app: AppName, extra: Record<string, string> = {}): Promise<Running> {
  const env: Env = loadEnv({
    NODE_ENV: "production",
    DATABASE_URL: t.url,
    SESSION_SECRET: "body-limit-test-secret-0123456789abcdefghijk",
    ADMIN_URL: ORIGIN.admin,
    PORTAL_URL: ORIGIN.portal,
    EMAIL_TRANSPORT: "outbox",
    ...extra,
  });
  const { served, url } = await serveTestApp({
    app,
    env,
    db: t.db,
    appOrigin: ORIGIN[app],
    build: testServerBuild({
      entry: { default: () => new Response("page", { status: 200 }) },
      routes: [
        { id: "root", path: "", module: { default: () => null } },
        { id: "routes/echo", parentId: "root", path: "echo", module: echo },
      ],
    }) as never,
  });
  servers.push(served);
  const sockets: Socket[] = [];
  served.listener.on("connection", (s: Socket) => sockets.push(s));
  return { url, sockets };
}

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.shutdown("test over");
  await t.drop();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Sends `total` bytes of body in 64 KB pieces (with Content-Length, or chunked), as fast as the
 * server takes them, and stops writing once the answer is in. The connection being cut while
 * writing is expected (the server does not read the rest).
 */
function upload(
  r: Running,
  app: AppName,
  path: string,
  opts: {
    total: number;
    chunked?: boolean;
    contentType: string;
    piece?: (offset: number, size: number) => Buffer;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(
      {
        host: r.url.hostname,
        port: r.url.port,
        method: "POST",
        path,
        agent: false,
        headers: {
          host: new URL(ORIGIN[app]).host,
          origin: ORIGIN[app],
          "content-type": opts.contentType,
          ...(opts.chunked ? {} : { "content-length": String(opts.total) }),
        },
      },
      (res) => {
        answered = true;
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString("utf8");
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
        res.on("end", done);
        res.on("error", done);
      },
    );
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const piece = opts.piece ?? ((_offset: number, size: number) => Buffer.alloc(size, 0x61));
    const write = () => {
      while (!answered && sent < opts.total) {
        const size = Math.min(64 * 1024, opts.total - sent);
        const ok = req.write(piece(sent, size));
        sent += size;
        if (!ok) {
          req.once("drain", write);
          return;
        }
      }
      if (!answered) req.end();
    };
    write();
  });
}

/** Lets the server's sockets settle, then the bytes it read on the last one. */
async function bytesReadByServer(r: Running): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  return r.sockets.at(-1)!.bytesRead;
}

const trpcError = (body: string) =>
  (
    JSON.parse(body) as {
      error: {
        json: { message: string; code: number; data: { code: string; httpStatus: number } };
      };
    }
  ).error.json;

describe("request bodies are capped before Remix or tRPC read them", () => {
  let portal: Running;
  beforeAll(async () => {
    portal = await start("portal");
  });

  it("an 8 MB POST to auth.customer.requestCode with its Content-Length: 413 at once, unread", async () => {
    const res = await upload(portal, "portal", "/api/trpc/auth.customer.requestCode", {
      total: 8 * MB,
      contentType: "application/json",
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    const error = trpcError(res.body);
    expect(error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", httpStatus: 413 });
    expect(error.code).toBe(-32013);
    expect(error.message).toBe("The request body is too large: at most 1 MB (1048576 bytes).");
    expect(await bytesReadByServer(portal)).toBeLessThan(MB);
    // Nothing reached the procedure: no code was issued, no limit counted.
    const limits = await t.db.select().from(schema.rateLimitBuckets);
    expect(limits).toEqual([]);
  });

  it("an 8 MB chunked POST: counted as it arrives and cut off past 1 MB with a 413", async () => {
    const res = await upload(portal, "portal", "/api/trpc/auth.customer.requestCode", {
      total: 8 * MB,
      chunked: true,
      contentType: "application/json",
    });
    expect(res.status).toBe(413);
    expect(trpcError(res.body).data.code).toBe("PAYLOAD_TOO_LARGE");
    const read = await bytesReadByServer(portal);
    expect(read).toBeGreaterThan(MB);
    expect(read).toBeLessThan(3 * MB);
    expect(await t.db.select().from(schema.rateLimitBuckets)).toEqual([]);
  });

  it("a page answers 413 in plain words, for a declared or a chunked body", async () => {
    for (const chunked of [false, true]) {
      const res = await upload(portal, "portal", "/echo", {
        total: 3 * MB,
        chunked,
        contentType: "application/x-www-form-urlencoded",
      });
      expect(res.status, `chunked: ${chunked}`).toBe(413);
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.body).toBe("The request body is too large: at most 1 MB (1048576 bytes).");
    }
  });

  it("a body within the cap reaches the action whole, chunked or not", async () => {
    const text = `${"x".repeat(MB - 100)}12345`;
    const body = Buffer.from(new URLSearchParams({ text }).toString());
    for (const chunked of [false, true]) {
      const res = await upload(portal, "portal", "/echo", {
        total: body.length,
        chunked,
        contentType: "application/x-www-form-urlencoded",
        piece: (offset, size) => body.subarray(offset, offset + size),
      });
      expect(res.status, `chunked: ${chunked}`).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ length: text.length, tail: "12345" });
    }
  });

  it("takes MAX_REQUEST_BODY_BYTES from the environment", async () => {
    const small = await start("portal", { MAX_REQUEST_BODY_BYTES: "4096" });
    const over = await upload(small, "portal", "/echo", {
      total: 5000,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(over.status).toBe(413);
    expect(over.body).toBe("The request body is too large: at most 4 KB (4096 bytes).");
    const within = await upload(small, "portal", "/echo", {
      total: 4000,
      chunked: true,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(within.status).toBe(200);
  });

  it("the admin's Resend webhook keeps its own allowance (256 KB), whatever the default", async () => {
    const admin = await start("admin", { MAX_REQUEST_BODY_BYTES: "4096" });
    const event = (size: number) =>
      upload(admin, "admin", "/api/webhooks/resend", {
        total: size,
        contentType: "application/json",
      });
    // Past the edge: no secret configured, so the webhook itself answers 503.
    expect((await event(100 * 1024)).status).toBe(503);
    expect((await event(300 * 1024)).status).toBe(413);
  });
});

describe("MAX_REQUEST_BODY_BYTES", () => {
  it("defaults to 1 MB and refuses what is not a sensible number of bytes", () => {
    expect(loadEnv({ NODE_ENV: "test" }).MAX_REQUEST_BODY_BYTES).toBe(MB);
    expect(
      loadEnv({ NODE_ENV: "test", MAX_REQUEST_BODY_BYTES: "2097152" }).MAX_REQUEST_BODY_BYTES,
    ).toBe(2 * MB);
    for (const value of ["1mb", "-1", "0", "1.5", "100", String(2 * 1024 * MB)]) {
      expect(() => loadEnv({ NODE_ENV: "test", MAX_REQUEST_BODY_BYTES: value }), value).toThrow(
        /MAX_REQUEST_BODY_BYTES/,
      );
    }
  });
});
