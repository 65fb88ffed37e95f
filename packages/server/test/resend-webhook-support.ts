import { randomBytes, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Env } from "@xplorium/config";
import type { Database } from "@xplorium/db";
import { applyAppEdge, applyAppEndpoints, RESEND_WEBHOOK_PATH } from "@xplorium/server";
import express from "express";
import { signWebhook } from "../../core/src/tracking/webhook-signature";

/** A signing secret in Resend's format (whsec_ + base64 of 24 random bytes). */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/**
 * The admin's HTTP server as `startAppServer` builds it, minus Vite and Remix: the real edge
 * (request id, security headers, same-origin guard with its exemptions, trust proxy) and the
 * real endpoints (the Resend webhook), then a 404 where Remix would be.
 */
export async function startAdminServer(
  db: Database,
  env: Env,
  opts: { log?: (message: string) => void } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = express();
  applyAppEdge(server, {
    app: "admin",
    appOrigin: new URL(env.ADMIN_URL).origin,
    production: false,
  });
  applyAppEndpoints(server, { app: "admin", db, env, ...(opts.log ? { log: opts.log } : {}) });
  server.use((_req, res) => {
    res.status(404).type("text/plain").send("Remix would answer here.");
  });
  server.use(
    (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      console.error(err);
      res.status(500).type("text/plain").send("Something went wrong.");
    },
  );
  const listener = await new Promise<Server>((resolve) => {
    const l = server.listen(0, "127.0.0.1", () => resolve(l));
  });
  return {
    url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        listener.closeAllConnections();
        listener.close(() => resolve());
      }),
  };
}

/** A Resend email event body, as Resend posts it. */
export function resendEvent(type: string, data: Record<string, unknown>, createdAt = new Date()) {
  return {
    type,
    created_at: createdAt.toISOString(),
    data: {
      created_at: createdAt.toISOString(),
      from: "Xplorium <hello@xplorium.example>",
      subject: "Hello",
      ...data,
    },
  };
}

export interface WebhookPost {
  /** An object is sent as JSON; a string as it is. */
  body: unknown;
  secret: string;
  svixId?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Overrides the computed `svix-signature` header. */
  signature?: string;
  /** Sign this instead of the body (a body changed after signing). */
  signedBody?: string;
  /** The client address (the server trusts X-Forwarded-For from loopback). */
  ip?: string;
  headers?: Record<string, string>;
}

/** POSTs a (signed) webhook to the server, as Resend's Svix sender does. */
export async function postWebhook(url: string, post: WebhookPost) {
  const body = typeof post.body === "string" ? post.body : JSON.stringify(post.body);
  const svixId = post.svixId ?? `msg_${randomUUID().replaceAll("-", "")}`;
  const timestamp = post.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    post.signature ??
    signWebhook(post.secret, { id: svixId, timestamp, body: post.signedBody ?? body });
  const res = await fetch(`${url}${RESEND_WEBHOOK_PATH}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(timestamp),
      "svix-signature": signature,
      "x-forwarded-for": post.ip ?? `10.${rnd()}.${rnd()}.${rnd()}`,
      ...post.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text(), headers: res.headers, svixId };
}

const rnd = () => Math.floor(Math.random() * 250) + 1;
