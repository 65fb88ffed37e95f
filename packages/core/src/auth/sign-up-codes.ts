import { randomUUID } from "node:crypto";
import {
  constantTimeEqual,
  hitRateLimit,
  hmacSha256,
  LOGIN_CODE_MAX_ATTEMPTS,
  LOGIN_CODE_TTL_SECONDS,
} from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { type DbOrTx, schema } from "@xplorium/db";
import { emailTransportName } from "@xplorium/email";
import { eq } from "drizzle-orm";
import { queueEmail } from "../messaging/queue";
import { emailSuppressionHash } from "../privacy/suppression-hash";

/*
 * Sign-up for an address that is not a customer yet (DESIGN.md "Auth": the code request answers
 * the same either way). Nothing is stored until the account is created, so nobody can fill the
 * database with accounts for addresses they do not own:
 *
 * - the 6-digit code is an HMAC of the address and a 5-minute window (SESSION_SECRET, with a
 *   purpose prefix); a code is accepted in its own window and the next two, so it works for at
 *   least LOGIN_CODE_TTL_SECONDS. Guessing is held back by the same per-email and per-IP
 *   code-check limits as sign-in codes, and by each code's own attempt limit, as a stored
 *   sign-in code's `attempts` (verifySignUpCode: a counter in rate_limit_buckets per code); the
 *   code dies once the account exists (the address then signs in with stored, single-use codes);
 * - a signed ticket (`payload.mac`, base64url) carries the proven address between steps: the
 *   email's link holds a "link" ticket (LOGIN_CODE_TTL_SECONDS), which the sign-up page swaps
 *   for a "form" ticket (30 minutes) as the right code does. Only a form ticket creates an
 *   account, and each carries its own id so a double-submitted form is recognised.
 */

const CODE_PURPOSE = "xplorium:sign-up-code:v1:";
const TICKET_PURPOSE = "xplorium:sign-up-ticket:v1:";
const CODE_ID_PURPOSE = "xplorium:sign-up-code-id:v1:";
const WINDOW_SECONDS = 5 * 60;
/** Windows accepted: the current one and the previous two (10–15 minutes in all). */
const CODE_WINDOWS = Math.ceil(LOGIN_CODE_TTL_SECONDS / WINDOW_SECONDS);
export const SIGN_UP_FORM_TTL_SECONDS = 30 * 60;

const windowOf = (now: Date) => Math.floor(now.getTime() / 1000 / WINDOW_SECONDS);

function codeFor(secret: string, email: string, window: number): string {
  const mac = hmacSha256(secret, `${CODE_PURPOSE}${email}:${window}`);
  const n = ((mac[0]! << 24) | (mac[1]! << 16) | (mac[2]! << 8) | mac[3]!) >>> 0;
  return String(n % 1_000_000).padStart(6, "0");
}

/** The sign-up code for an address now. */
export function signUpCode(secret: string, email: string, now = new Date()): string {
  return codeFor(secret, email, windowOf(now));
}

/** Whether a typed code is the address's sign-up code of this window or the previous ones. */
export function checkSignUpCode(
  secret: string,
  email: string,
  code: string,
  now = new Date(),
): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const typed = new TextEncoder().encode(code);
  let ok = false;
  for (let i = 0; i <= CODE_WINDOWS; i++) {
    const expected = new TextEncoder().encode(codeFor(secret, email, windowOf(now) - i));
    // Every window is checked, so the time taken does not say which one matched.
    if (constantTimeEqual(typed, expected)) ok = true;
  }
  return ok;
}

/**
 * Tries each sign-up code takes before it stops working, as LOGIN_CODE_MAX_ATTEMPTS for a
 * sign-in code (five wrong ones and even the right code is refused). Up to three codes are
 * accepted at once (this window's and the two before), and a typed code is compared with each,
 * so it counts against each: three codes do not give three times the guesses.
 */
export const SIGN_UP_CODE_MAX_ATTEMPTS = LOGIN_CODE_MAX_ATTEMPTS;

/** The rate_limit_buckets key of one code: an HMAC of the address and window, not the address. */
function codeBucketKey(secret: string, email: string, window: number): string {
  const id = Buffer.from(hmacSha256(secret, `${CODE_ID_PURPOSE}${email}:${window}`));
  return `sign-up-code:${id.toString("hex").slice(0, 32)}`;
}

/**
 * Checks a typed sign-up code like checkSignUpCode, with each code's own attempt limit: every
 * try counts against every code it is compared with, before the comparison (as the row lock in
 * verifyLoginCode does), so guesses sent all at once cannot slip under the limit together; a
 * code tried SIGN_UP_CODE_MAX_ATTEMPTS times is no longer accepted. The next window brings a
 * fresh code at most 5 minutes later. Each counter lives as long as its code.
 */
export async function verifySignUpCode(
  db: DbOrTx,
  secret: string,
  email: string,
  code: string,
  now = new Date(),
): Promise<boolean> {
  const typed = new TextEncoder().encode(/^\d{6}$/.test(code) ? code : "");
  let ok = false;
  for (let i = 0; i <= CODE_WINDOWS; i++) {
    const window = windowOf(now) - i;
    // The counter ends when its code does: the end of its window and the CODE_WINDOWS after it.
    const endsAt = (window + CODE_WINDOWS + 1) * WINDOW_SECONDS * 1000;
    const within = await hitRateLimit(
      db,
      codeBucketKey(secret, email, window),
      {
        limit: SIGN_UP_CODE_MAX_ATTEMPTS,
        windowSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)),
      },
      now,
    );
    const expected = new TextEncoder().encode(codeFor(secret, email, window));
    // Every window is checked, so the time taken does not say which one matched.
    if (constantTimeEqual(typed, expected) && within.allowed) ok = true;
  }
  return ok;
}

export type SignUpTicketPurpose = "link" | "form";
interface TicketPayload {
  p: SignUpTicketPurpose;
  e: string;
  /** Expiry, Unix seconds. */
  x: number;
  /** Ticket id, to recognise a repeated submit of one form. */
  i: string;
}

const macOf = (secret: string, payload: string) =>
  Buffer.from(hmacSha256(secret, TICKET_PURPOSE + payload)).toString("base64url");

export function signSignUpTicket(
  secret: string,
  purpose: SignUpTicketPurpose,
  email: string,
  now = new Date(),
): { ticket: string; id: string; expiresAt: Date } {
  const ttl = purpose === "link" ? LOGIN_CODE_TTL_SECONDS : SIGN_UP_FORM_TTL_SECONDS;
  const expiresAt = new Date(now.getTime() + ttl * 1000);
  const payload: TicketPayload = {
    p: purpose,
    e: email,
    x: Math.floor(expiresAt.getTime() / 1000),
    i: randomUUID(),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return { ticket: `${body}.${macOf(secret, body)}`, id: payload.i, expiresAt };
}

/** The address and id a ticket of that purpose was signed for, or null if forged or expired. */
export function readSignUpTicket(
  secret: string,
  ticket: string,
  purpose: SignUpTicketPurpose,
  now = new Date(),
): { email: string; id: string; expiresAt: Date } | null {
  const [body, mac, ...rest] = ticket.split(".");
  if (!body || !mac || rest.length > 0) return null;
  const given = new TextEncoder().encode(mac);
  if (!constantTimeEqual(given, new TextEncoder().encode(macOf(secret, body)))) return null;
  let payload: TicketPayload;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as TicketPayload;
  } catch {
    return null;
  }
  if (payload.p !== purpose || typeof payload.e !== "string" || typeof payload.i !== "string") {
    return null;
  }
  if (typeof payload.x !== "number" || payload.x * 1000 <= now.getTime()) return null;
  return { email: payload.e, id: payload.i, expiresAt: new Date(payload.x * 1000) };
}

/**
 * Whether the address may never have an account: suppressed (an erased customer, a hard bounce
 * or a complaint: never mailed again) or the old address of a merged family (their bookings
 * already live on the surviving account).
 */
export async function addressBlocked(db: DbOrTx, email: string): Promise<boolean> {
  const [suppressed] = await db
    .select({ hash: schema.suppressions.emailHash })
    .from(schema.suppressions)
    .where(eq(schema.suppressions.emailHash, emailSuppressionHash(email)))
    .limit(1);
  if (suppressed) return true;
  const [alias] = await db
    .select({ email: schema.customerEmailAliases.email })
    .from(schema.customerEmailAliases)
    .where(eq(schema.customerEmailAliases.email, email))
    .limit(1);
  return Boolean(alias);
}

/**
 * Whether a new account may be made for this address now: no customer row holds it (not even
 * one being erased) and it is not blocked.
 */
export async function mayCreateAccount(db: DbOrTx, email: string): Promise<boolean> {
  const [taken] = await db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(eq(schema.customers.email, email))
    .limit(1);
  return !taken && !(await addressBlocked(db, email));
}

type SignUpMailConfig = Pick<
  Env,
  "SESSION_SECRET" | "EMAIL_FROM" | "PORTAL_URL" | "RESEND_API_KEY"
>;

/** The welcome email with the sign-up code and a link to the sign-up page. */
export async function queueSignUpCode(
  db: DbOrTx,
  config: SignUpMailConfig,
  input: { email: string; referralCode?: string | undefined },
  now = new Date(),
): Promise<void> {
  const link = new URL("/sign-up", config.PORTAL_URL);
  link.searchParams.set(
    "token",
    signSignUpTicket(config.SESSION_SECRET, "link", input.email, now).ticket,
  );
  if (input.referralCode) link.searchParams.set("ref", input.referralCode);
  await queueEmail(db, {
    template: "sign-up-code",
    props: {
      code: signUpCode(config.SESSION_SECRET, input.email, now),
      signUpLink: link.toString(),
      expiresInMinutes: LOGIN_CODE_TTL_SECONDS / 60,
    },
    to: input.email,
    from: config.EMAIL_FROM,
    customerId: null,
    transport: emailTransportName(config),
  });
}
