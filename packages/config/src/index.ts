import { isIP } from "node:net";
import { z } from "zod";

/**
 * The fixed SESSION_SECRET of development: public (it is in this file), so it keeps dev sign-in
 * links valid across restarts and nothing else. It is refused in production and whenever the
 * apps would serve anything but this machine (HOST, ADMIN_URL, PORTAL_URL; see below).
 */
const DEVELOPMENT_SESSION_SECRET = "development-only-secret-change-me-0123456789";

/** A host name as in a URL (letters, digits, hyphens; dot-separated labels). */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`: addresses only this machine reaches. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || h === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Development on this machine only: NODE_ENV development (also when unset) AND the servers
 * listen on loopback AND both public URLs are on this machine. Only then may the development
 * outbox keep and show secret emails (a live sign-in code): a deployment that forgot NODE_ENV
 * but serves others (HOST, or a proxy's public URL) never shows staff a code (issue 14).
 */
export function isLocalDevelopment(
  e: Partial<Pick<Env, "NODE_ENV" | "HOST" | "ADMIN_URL" | "PORTAL_URL">>,
): boolean {
  if (e.NODE_ENV !== "development") return false;
  if (e.HOST !== undefined && !isLoopbackHost(e.HOST)) return false;
  return [e.ADMIN_URL, e.PORTAL_URL].every((u) => !u || isLoopbackHost(new URL(u).hostname));
}

/** A Svix signing secret as Resend shows it: `whsec_` and the base64 of the key. */
const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** What every process reads: its mode and how much it logs. */
export const runtimeEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

/** The database (packages/db): where it is, and the client programs for backups. */
export const databaseEnv = z.object({
  DATABASE_URL: z
    .url({ message: "DATABASE_URL must be a postgres:// URL" })
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "DATABASE_URL must start with postgres://")
    .optional(),
  // The folder of pg_dump / pg_restore for `pnpm db:backup` / `db:restore`, when the ones
  // found by default are older than the server.
  PG_BIN_DIR: z.string().min(1).optional(),
});

/** Email (packages/email, the messaging domain, the Resend webhook): where mail goes and how. */
export const emailEnv = z.object({
  RESEND_API_KEY: z.string().min(1).optional(),
  // Where email goes: `resend` (needs RESEND_API_KEY) or `outbox` (kept in the database for
  // Marketing → Outbox, nothing is sent). Unset: resend when RESEND_API_KEY is set, else the
  // outbox outside production; production without RESEND_API_KEY refuses to start unless it
  // is set to outbox on purpose (then no customer can receive a sign-in code).
  EMAIL_TRANSPORT: z
    .enum(["resend", "outbox"], { message: "EMAIL_TRANSPORT must be resend or outbox" })
    .optional(),
  RESEND_BASE_URL: z.url({ message: "RESEND_BASE_URL must be a URL" }).optional(),
  // The signing secret of the Resend webhook (POST /api/webhooks/resend on the admin). Unset,
  // the endpoint answers 503.
  RESEND_WEBHOOK_SECRET: z
    .string()
    .trim()
    .refine((v) => WEBHOOK_SECRET.test(v) && Buffer.from(v.slice(6), "base64").length >= 16, {
      message:
        "RESEND_WEBHOOK_SECRET must be the signing secret Resend shows for the webhook: whsec_ followed by base64 (at least 16 bytes)",
    })
    .optional(),
  // Requests a second the worker makes to Resend for campaigns (a batch of up to 100 emails is
  // one request). Resend's default limit is 2 per team; 0 turns pacing off (a local fake only).
  RESEND_MAX_REQUESTS_PER_SECOND: z.coerce
    .number({ message: "RESEND_MAX_REQUESTS_PER_SECOND must be a number of requests a second" })
    .min(0, { message: "RESEND_MAX_REQUESTS_PER_SECOND cannot be negative (0 = no pacing)" })
    .max(1000, { message: "RESEND_MAX_REQUESTS_PER_SECOND is at most 1000" })
    .default(2),
  EMAIL_FROM: z.string().min(3).default("Xplorium <hello@xplorium.example>"),
});

/** The web servers (packages/server): where they listen, their public URLs, the body cap. */
export const serverEnv = z.object({
  ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  PORTAL_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  // The address the web servers listen on. 127.0.0.1 (the default) serves this machine only,
  // e.g. behind a reverse proxy on the same host; 0.0.0.0 or :: serve every interface (a
  // container, a LAN). Anything but a loopback address needs a real SESSION_SECRET.
  HOST: z
    .string()
    .trim()
    .refine((v) => isIP(v) !== 0 || HOST_NAME.test(v), {
      message: "HOST must be an IP address or a host name, such as 127.0.0.1, 0.0.0.0 or ::",
    })
    .default("127.0.0.1"),
  ADMIN_URL: z.url({ message: "ADMIN_URL must be a URL like http://localhost:3000" }).optional(),
  PORTAL_URL: z.url({ message: "PORTAL_URL must be a URL like http://localhost:3001" }).optional(),
  // The largest request body the web servers read, in bytes (1 MB by default); a larger one is
  // answered 413 before Remix or tRPC read it. A route needing more gets its own allowance in
  // packages/server/src/body-limit.ts, not a larger default.
  MAX_REQUEST_BODY_BYTES: z.coerce
    .number({
      message: "MAX_REQUEST_BODY_BYTES must be a whole number of bytes, such as 1048576",
    })
    .int({ message: "MAX_REQUEST_BODY_BYTES must be a whole number of bytes, such as 1048576" })
    .min(1024, { message: "MAX_REQUEST_BODY_BYTES must be at least 1024 (1 KB)" })
    .max(100 * 1024 * 1024, {
      message:
        "MAX_REQUEST_BODY_BYTES is at most 104857600 (100 MB); give a route that needs more its own allowance",
    })
    .default(1024 * 1024),
});

/** Signing in (packages/auth, the auth domain): the signing secret and session lifetimes. */
export const authEnv = z.object({
  SESSION_SECRET: z
    .string()
    .min(32, { message: "SESSION_SECRET must be at least 32 characters" })
    .optional(),
  // However active, a session ends this many days after sign-in (besides the inactivity
  // timeout: 12 hours for staff, 30 days for customers).
  STAFF_SESSION_MAX_DAYS: z.coerce
    .number({ message: "STAFF_SESSION_MAX_DAYS must be a whole number of days" })
    .int({ message: "STAFF_SESSION_MAX_DAYS must be a whole number of days" })
    .min(1, { message: "STAFF_SESSION_MAX_DAYS must be at least 1" })
    .max(90, { message: "STAFF_SESSION_MAX_DAYS is at most 90" })
    .default(7),
  CUSTOMER_SESSION_MAX_DAYS: z.coerce
    .number({ message: "CUSTOMER_SESSION_MAX_DAYS must be a whole number of days" })
    .int({ message: "CUSTOMER_SESSION_MAX_DAYS must be a whole number of days" })
    .min(1, { message: "CUSTOMER_SESSION_MAX_DAYS must be at least 1" })
    .max(365, { message: "CUSTOMER_SESSION_MAX_DAYS is at most 365" })
    .default(30),
  // Owner-level actions (API keys, roles, erasing, merging, exporting customers) ask for the
  // password again when it was last entered longer ago than this.
  STAFF_PASSWORD_CONFIRM_MINUTES: z.coerce
    .number({ message: "STAFF_PASSWORD_CONFIRM_MINUTES must be a whole number of minutes" })
    .int({ message: "STAFF_PASSWORD_CONFIRM_MINUTES must be a whole number of minutes" })
    .min(1, { message: "STAFF_PASSWORD_CONFIRM_MINUTES must be at least 1" })
    .max(720, { message: "STAFF_PASSWORD_CONFIRM_MINUTES is at most 720 (12 hours)" })
    .default(10),
});

/** The venue: its currency, phone region and time zone. */
export const venueEnv = z.object({
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, { message: "CURRENCY must be an ISO 4217 code such as EUR" })
    .default("EUR"),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, {
      message: "DEFAULT_PHONE_REGION must be a two-letter region such as RS",
    })
    .default("RS"),
  // The venue's time zone: which calendar month a booking falls in (birthday bonus), and
  // day boundaries in reports.
  TIME_ZONE: z
    .string()
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: "TIME_ZONE must be an IANA time zone such as Europe/Belgrade" },
    )
    .default("Europe/Belgrade"),
});

/** Loyalty: points expiry. */
export const loyaltyEnv = z.object({
  // Points expire after this many months without a completed booking; 0 (the default) is off.
  POINTS_EXPIRY_MONTHS: z.coerce
    .number({ message: "POINTS_EXPIRY_MONTHS must be a whole number of months (0 = off)" })
    .int({ message: "POINTS_EXPIRY_MONTHS must be a whole number of months (0 = off)" })
    .min(0, { message: "POINTS_EXPIRY_MONTHS cannot be negative (0 = off)" })
    .max(120, { message: "POINTS_EXPIRY_MONTHS is at most 120" })
    .default(0),
  // How many days before points expire the customer is warned by email.
  POINTS_EXPIRY_WARNING_DAYS: z.coerce
    .number({ message: "POINTS_EXPIRY_WARNING_DAYS must be a whole number of days" })
    .int({ message: "POINTS_EXPIRY_WARNING_DAYS must be a whole number of days" })
    .min(1, {
      message: "POINTS_EXPIRY_WARNING_DAYS must be at least 1: customers are warned first",
    })
    .max(365, { message: "POINTS_EXPIRY_WARNING_DAYS is at most 365" })
    .default(14),
});

/**
 * The one place that reads process.env (lint forbids it elsewhere): every slice above, composed
 * and parsed once, with messages that name the variable and what it should be. The checks that
 * span slices (the development secret, the email transport in production) are made here.
 */
const envSchema = z
  .object({
    ...runtimeEnv.shape,
    ...databaseEnv.shape,
    ...emailEnv.shape,
    ...serverEnv.shape,
    ...authEnv.shape,
    ...venueEnv.shape,
    ...loyaltyEnv.shape,
  })
  .transform((e, ctx) => {
    const production = e.NODE_ENV === "production";
    const builtInSecret = !e.SESSION_SECRET || e.SESSION_SECRET === DEVELOPMENT_SESSION_SECRET;
    // The built-in secret is public: anyone could forge sign-up codes, unsubscribe and consent
    // links with it, so it may only ever serve this machine (issue 14).
    const publicUse = production
      ? "in production"
      : !isLoopbackHost(e.HOST)
        ? `when HOST is not a loopback address (HOST=${e.HOST})`
        : // Tests use made-up origins (http://portal.test) and serve nothing but loopback.
          e.NODE_ENV !== "test"
          ? (["ADMIN_URL", "PORTAL_URL"] as const)
              .filter((name) => e[name] && !isLoopbackHost(new URL(e[name]).hostname))
              .map((name) => `when ${name} is not on this machine (${name}=${e[name]})`)[0]
          : undefined;
    if (builtInSecret && publicUse) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: production
          ? "SESSION_SECRET is required in production (32+ random characters; not the development value)"
          : `SESSION_SECRET must be set (32+ random characters) ${publicUse}: the built-in development secret is public and only serves this machine. Generate one with: openssl rand -base64 32`,
      });
    }
    if (e.EMAIL_TRANSPORT === "resend" && !e.RESEND_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["RESEND_API_KEY"],
        message: "EMAIL_TRANSPORT=resend needs RESEND_API_KEY",
      });
    }
    if (production && !e.RESEND_API_KEY && e.EMAIL_TRANSPORT !== "outbox") {
      ctx.addIssue({
        code: "custom",
        path: ["RESEND_API_KEY"],
        message:
          "RESEND_API_KEY is required in production: without it no customer receives a sign-in code. To run without sending email on purpose, set EMAIL_TRANSPORT=outbox",
      });
    }
    return {
      ...e,
      production,
      EMAIL_TRANSPORT: e.EMAIL_TRANSPORT ?? (e.RESEND_API_KEY ? "resend" : "outbox"),
      ADMIN_URL: e.ADMIN_URL ?? `http://localhost:${e.ADMIN_PORT}`,
      PORTAL_URL: e.PORTAL_URL ?? `http://localhost:${e.PORTAL_PORT}`,
      // Only ever for this machine (see the check above).
      SESSION_SECRET: e.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
    };
  });

export type Env = z.output<typeof envSchema>;

/** A slice's variables as the composed `Env` has them (defaults and derived values applied). */
type SliceOf<S extends z.ZodObject> = Pick<Env, keyof S["shape"] & keyof Env>;
/** NODE_ENV, LOG_LEVEL and `production` (NODE_ENV is production). */
export type RuntimeEnv = SliceOf<typeof runtimeEnv> & Pick<Env, "production">;
export type DatabaseEnv = SliceOf<typeof databaseEnv>;
export type EmailEnv = SliceOf<typeof emailEnv>;
export type ServerEnv = SliceOf<typeof serverEnv>;
export type AuthEnv = SliceOf<typeof authEnv>;
export type VenueEnv = SliceOf<typeof venueEnv>;
export type LoyaltyEnv = SliceOf<typeof loyaltyEnv>;

let cached: Env | undefined;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** The validated environment of this process. */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
