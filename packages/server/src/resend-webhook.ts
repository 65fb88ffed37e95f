import { hitRateLimit, type RateLimitRule } from "@xplorium/auth";
import type { EmailEnv } from "@xplorium/config";
import type { ConsentConfig } from "@xplorium/core/consent";
import { AppError } from "@xplorium/core/errors";
import {
  parseResendWebhook,
  recordEmailEvent,
  verifyWebhookSignature,
} from "@xplorium/core/tracking";
import type { Database } from "@xplorium/db";
import express from "express";

/** Where Resend posts its events (configure it in Resend → Webhooks; see the README). */
export const RESEND_WEBHOOK_PATH = "/api/webhooks/resend";

/**
 * Per client IP, in PostgreSQL. Resend delivers from a few addresses and a big campaign makes
 * bursts of events (sent, delivered, opens…), so the general limit is generous: above it Resend
 * simply retries later. Requests failing verification have a tight limit of their own.
 */
export const RESEND_WEBHOOK_LIMITS = {
  perIp: { limit: 3000, windowSeconds: 60 },
  invalidPerIp: { limit: 30, windowSeconds: 10 * 60 },
} satisfies Record<string, RateLimitRule>;

/**
 * Resend's events are small; anything much bigger is not one. Also the webhook's allowance in
 * the app server's body cap (body-limit.ts), so it holds whatever MAX_REQUEST_BODY_BYTES is.
 */
export const RESEND_WEBHOOK_MAX_BYTES = 256 * 1024;

export interface ResendWebhookOptions {
  db: Database;
  env: Pick<EmailEnv, "RESEND_WEBHOOK_SECRET"> & ConsentConfig;
  /** Where misconfiguration is reported (default console.warn). */
  log?: (message: string) => void;
  now?: () => Date;
}

const NOT_CONFIGURED =
  "RESEND_WEBHOOK_SECRET is not set: Resend webhooks are refused with 503 until it is (the signing secret from Resend → Webhooks).";

/**
 * POST /api/webhooks/resend on the admin: Resend's delivery, open, click, bounce and complaint
 * events. Mounted before Remix and anything that parses bodies, with the raw bytes kept (the
 * signature covers them exactly), and exempt from the same-origin check (it is not a browser
 * request; the signature is its authentication).
 *
 * 503 without a secret · 429 with Retry-After over the rate limit · 400 for missing signature
 * headers or a body that is not a Resend event · 401 for a bad signature or a timestamp more
 * than 5 minutes off · 200 otherwise, also for a replayed svix-id (recorded once) and for event
 * types it does not record. Anything else is a 500, which Resend retries.
 */
export function resendWebhookRouter(opts: ResendWebhookOptions): express.Router {
  const { db, env } = opts;
  const log = opts.log ?? ((message: string) => console.warn(`[admin] ${message}`));
  const now = opts.now ?? (() => new Date());
  const router = express.Router();

  const tooMany = (res: express.Response, retryAfterSeconds: number) =>
    res
      .status(429)
      .set("Retry-After", String(retryAfterSeconds))
      .type("text/plain")
      .send(`Too many webhook requests. Try again in ${retryAfterSeconds} seconds.`);

  router.post(
    RESEND_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: RESEND_WEBHOOK_MAX_BYTES }),
    async (req, res, next) => {
      try {
        const secret = env.RESEND_WEBHOOK_SECRET;
        if (!secret) {
          log(NOT_CONFIGURED);
          res.status(503).type("text/plain").send("Resend webhooks are not configured here.");
          return;
        }
        const ip = req.ip ?? "unknown";
        const limit = await hitRateLimit(
          db,
          `resend-webhook:ip:${ip}`,
          RESEND_WEBHOOK_LIMITS.perIp,
        );
        if (!limit.allowed) return void tooMany(res, limit.retryAfterSeconds);

        const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const verdict = verifyWebhookSignature(
          secret,
          {
            id: req.get("svix-id"),
            timestamp: req.get("svix-timestamp"),
            signature: req.get("svix-signature"),
          },
          body,
          now(),
        );
        if (!verdict.ok) {
          const invalid = await hitRateLimit(
            db,
            `resend-webhook-invalid:ip:${ip}`,
            RESEND_WEBHOOK_LIMITS.invalidPerIp,
          );
          if (!invalid.allowed) return void tooMany(res, invalid.retryAfterSeconds);
          res
            .status(verdict.reason === "missing-headers" ? 400 : 401)
            .type("text/plain")
            .send(verdict.message);
          return;
        }

        let parsed: ReturnType<typeof parseResendWebhook>;
        try {
          parsed = parseResendWebhook(body, now());
        } catch (error) {
          if (error instanceof AppError) {
            res.status(400).type("text/plain").send(error.message);
            return;
          }
          throw error;
        }
        if (parsed.kind === "ignored") {
          res.status(200).json({ received: true, recorded: false, ignored: parsed.type });
          return;
        }
        const result = await recordEmailEvent(
          { db, config: env },
          { svixId: verdict.id, event: parsed.event },
        );
        res.status(200).json({
          received: true,
          recorded: result.outcome === "recorded",
          outcome: result.outcome,
        });
      } catch (error) {
        next(error);
      }
    },
  );

  // The body parser's refusals (too large, unreadable) as plain answers, not a 500.
  router.use(
    RESEND_WEBHOOK_PATH,
    (err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      const status = (err as { status?: unknown; type?: unknown }).status;
      const type = (err as { type?: unknown }).type;
      if (typeof status === "number" && status < 500 && typeof type === "string") {
        res
          .status(status)
          .type("text/plain")
          .send(status === 413 ? "The webhook body is too large." : "Unreadable webhook body.");
        return;
      }
      next(err);
    },
  );
  return router;
}

/** Said once at start-up, so a missing secret is noticed before Resend's first retry. */
export function resendWebhookStartupNotice(
  env: Pick<EmailEnv, "RESEND_WEBHOOK_SECRET">,
): string | null {
  return env.RESEND_WEBHOOK_SECRET ? null : NOT_CONFIGURED;
}
