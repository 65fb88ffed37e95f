import {
  createSession,
  issueLoginCode,
  LOGIN_CODE_TTL_SECONDS,
  type LoginCodeResult,
  verifyLoginCode,
  verifyLoginLink,
} from "@xplorium/auth";
import { type Database, type DbOrTx, schema } from "@xplorium/db";
import type { Env } from "@xplorium/db/env";
import { emailTransportName, queueEmail } from "@xplorium/email";
import { and, eq, isNull } from "drizzle-orm";
import type { RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { AppError } from "../errors";
import { AUTH_LIMITS, enforceRateLimits } from "./rate-limits";
import {
  checkSignUpCode,
  mayCreateAccount,
  queueSignUpCode,
  signSignUpTicket,
} from "./sign-up-codes";

const { customers } = schema;

type CodeConfig = Pick<Env, "SESSION_SECRET" | "EMAIL_FROM" | "PORTAL_URL" | "RESEND_API_KEY">;

async function findActiveCustomer(db: Database, email: string) {
  const [row] = await db
    .select({ id: customers.id, email: customers.email, name: customers.name })
    .from(customers)
    .where(and(eq(customers.email, email), isNull(customers.erasedAt)))
    .limit(1);
  return row ?? null;
}

/**
 * The least time a code request takes to answer. The three paths (a customer: a sign-in code;
 * a new address: a sign-up code; a suppressed or merged-away address: nothing) do different
 * amounts of work, so answering as soon as it is done would tell, by its timing, which one an
 * address took. Every path takes well under this, so all answer after it (test:
 * code-request-enumeration).
 */
export const CODE_REQUEST_ANSWER_MS = 350;

/**
 * Sends a sign-in code and magic link if the address belongs to a customer, and otherwise a
 * code and link to create an account (sign-up-codes.ts), unless the address may not have one
 * (suppressed, or a merged family's old address). Answers the same in every case, so nobody
 * can learn who is a customer (no account enumeration). `referralCode` (from a `?ref=` link)
 * rides along in the sign-up link.
 */
export async function requestCustomerCode(
  db: Database,
  config: CodeConfig,
  input: { email: string; referralCode?: string | undefined },
  meta: RequestMeta,
  now = new Date(),
): Promise<{ sent: true; expiresInMinutes: number }> {
  const started = performance.now();
  await enforceRateLimits(
    db,
    [
      { key: `code-request:email:${input.email}`, rule: AUTH_LIMITS.codeRequestPerEmail },
      { key: `code-request:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.codeRequestPerIp },
    ],
    now,
  );
  await sendCodeOrNothing(db, config, input, now);
  // Node's timers run on a millisecond clock and may fire up to a millisecond early against
  // performance.now(): wait until the floor has really passed.
  for (
    let wait = CODE_REQUEST_ANSWER_MS - (performance.now() - started);
    wait > 0;
    wait = CODE_REQUEST_ANSWER_MS - (performance.now() - started)
  ) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
  return { sent: true, expiresInMinutes: LOGIN_CODE_TTL_SECONDS / 60 };
}

async function sendCodeOrNothing(
  db: Database,
  config: CodeConfig,
  input: { email: string; referralCode?: string | undefined },
  now: Date,
): Promise<void> {
  const customer = await findActiveCustomer(db, input.email);
  if (!customer?.email) {
    if (await mayCreateAccount(db, input.email)) {
      await queueSignUpCode(
        db,
        config,
        { email: input.email, referralCode: input.referralCode },
        now,
      );
    }
    return;
  }
  const to = customer.email;
  await db.transaction(async (tx) => {
    const issued = await issueLoginCode(tx, customer.id, config.SESSION_SECRET, now);
    const link = new URL("/auth/link", config.PORTAL_URL);
    link.searchParams.set("token", issued.linkToken);
    await queueEmail(tx, {
      template: "sign-in-code",
      props: {
        name: customer.name,
        code: issued.code,
        magicLink: link.toString(),
        expiresInMinutes: LOGIN_CODE_TTL_SECONDS / 60,
      },
      to,
      from: config.EMAIL_FROM,
      customerId: customer.id,
      transport: emailTransportName(config),
    });
  });
}

const FAILURE_MESSAGES: Record<Exclude<LoginCodeResult, { ok: true }>["reason"], string> = {
  invalid: "That code is not right. Check the latest email we sent, or ask for a new code.",
  expired: "That code has expired. Ask for a new one.",
  used: "That code was already used. Ask for a new one.",
  too_many_attempts: "Too many wrong tries for this code. Ask for a new one.",
};

function failure(result: Exclude<LoginCodeResult, { ok: true }>): AppError {
  return new AppError(
    result.reason === "too_many_attempts" ? "TOO_MANY_REQUESTS" : "UNAUTHORIZED",
    FAILURE_MESSAGES[result.reason],
  );
}

export async function openCustomerSession(
  db: DbOrTx,
  customerId: string,
  meta: RequestMeta,
  now: Date,
) {
  const session = await createSession(db, { kind: "CUSTOMER", customerId }, meta, now);
  await recordAudit(db, { type: "customer", id: customerId }, meta, {
    action: "auth.customer.sign_in",
    entityType: "customer",
    entityId: customerId,
  });
  return session;
}

/** Signs a customer in with their emailed code; an address without an account never signs in. */
export async function verifyCustomerCode(
  db: Database,
  config: Pick<Env, "SESSION_SECRET">,
  input: { email: string; code: string },
  meta: RequestMeta,
  now = new Date(),
) {
  const result = await verifyCustomerCodeOrSignUp(db, config, input, meta, now);
  if (result.status !== "signed-in") throw failure({ ok: false, reason: "invalid" });
  return { token: result.token, customer: result.customer };
}

/**
 * The sign-in page's code check: a customer's code signs them in (as verifyCustomerCode); for an
 * address with no account, the right sign-up code returns a form ticket for the sign-up step
 * instead (no session yet). A wrong code answers exactly as for a customer, and both count
 * against the same code-check limits.
 */
export async function verifyCustomerCodeOrSignUp(
  db: Database,
  config: Pick<Env, "SESSION_SECRET">,
  input: { email: string; code: string },
  meta: RequestMeta,
  now = new Date(),
): Promise<
  | { status: "signed-in"; token: string; customer: { id: string; name: string | null } }
  | { status: "sign-up"; email: string; ticket: string; expiresAt: Date }
> {
  await enforceRateLimits(
    db,
    [
      { key: `code-check:email:${input.email}`, rule: AUTH_LIMITS.codeCheckPerEmail },
      { key: `code-check:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.codeCheckPerIp },
    ],
    now,
  );
  const customer = await findActiveCustomer(db, input.email);
  if (customer) {
    const result = await verifyLoginCode(db, customer.id, input.code, config.SESSION_SECRET, now);
    if (!result.ok) throw failure(result);
    const session = await openCustomerSession(db, customer.id, meta, now);
    return {
      status: "signed-in",
      token: session.token,
      customer: { id: customer.id, name: customer.name },
    };
  }
  const right = checkSignUpCode(config.SESSION_SECRET, input.email, input.code, now);
  if (!right || !(await mayCreateAccount(db, input.email))) {
    throw failure({ ok: false, reason: "invalid" });
  }
  const { ticket, expiresAt } = signSignUpTicket(config.SESSION_SECRET, "form", input.email, now);
  return { status: "sign-up", email: input.email, ticket, expiresAt };
}

export async function verifyCustomerLink(
  db: Database,
  input: { token: string },
  meta: RequestMeta,
  now = new Date(),
) {
  await enforceRateLimits(
    db,
    [{ key: `code-check:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.codeCheckPerIp }],
    now,
  );
  const result = await verifyLoginLink(db, input.token, now);
  if (!result.ok) throw failure(result);
  const [customer] = await db
    .select({
      id: customers.id,
      email: customers.email,
      name: customers.name,
      erasedAt: customers.erasedAt,
    })
    .from(customers)
    .where(eq(customers.id, result.customerId))
    .limit(1);
  if (!customer || customer.erasedAt) throw failure({ ok: false, reason: "invalid" });
  const session = await openCustomerSession(db, customer.id, meta, now);
  return { token: session.token, customer };
}
