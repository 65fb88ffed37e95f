import {
  createSession,
  issueLoginCode,
  LOGIN_CODE_TTL_SECONDS,
  verifyLoginCode,
  verifyLoginLink,
} from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import { type Database, type DbOrTx, schema } from "@xplorium/db";
import { emailTransportName } from "@xplorium/email";
import { and, eq, isNull } from "drizzle-orm";
import type { RequestMeta } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { queueEmail } from "../messaging/queue";
import { answerNoSoonerThan } from "./answer-floor";
import { AUTH_LIMITS, addressIpKey, addressKey, enforceRateLimits } from "./rate-limits";
import { countFailedSignIn, type SignInAlertConfig } from "./sign-in-alerts";
import {
  mayCreateAccount,
  queueSignUpCode,
  signSignUpTicket,
  verifySignUpCode,
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
  deps: DepsWith<"db" | "meta" | "config", CodeConfig>,
  input: { email: string; referralCode?: string | undefined },
): Promise<{ sent: true; expiresInMinutes: number }> {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  const started = performance.now();
  await enforceRateLimits(
    db,
    [
      // Per address and client IP: one client's budget for an address is its own…
      {
        key: addressIpKey("code-request", input.email, meta.ip),
        rule: AUTH_LIMITS.codeRequestPerEmail,
      },
      {
        key: addressIpKey("code-request-day", input.email, meta.ip),
        rule: AUTH_LIMITS.codeRequestPerEmailDaily,
      },
      // …under a looser ceiling for the address across all IPs (and, refused, none counts).
      {
        key: addressKey("code-request-day", input.email),
        rule: AUTH_LIMITS.codeRequestPerEmailAllIps,
      },
      { key: `code-request:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.codeRequestPerIp },
    ],
    now,
  );
  await sendCodeOrNothing(db, config, input, now);
  await answerNoSoonerThan(started, CODE_REQUEST_ANSWER_MS);
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

/**
 * The one answer to every code that does not sign in (issue 14, finding 3): wrong, expired,
 * used, locked after too many tries, or typed for an address with no account. Telling those
 * apart told a customer's address from a stranger's ("already used" only happens to customers;
 * a locked code was a 429 for customers only). The address limits (429) are the same for all.
 */
export const CODE_FAILED =
  "That code is not right, has expired or was already used. Check the latest email we sent, or ask for a new code.";
/** The one answer to every magic link that does not sign in: unknown, used, expired, replaced. */
export const LINK_FAILED =
  "This sign-in link has expired or was already used. Ask for a new code on the sign-in page.";

/**
 * The least time a failed code check takes to answer: the paths differ (a customer's stored
 * code under a row lock, and once a day the alert email rendered and queued; a stranger's
 * sign-up code counters), and their timing must not tell which one an address took. Every
 * path takes well under this; failures only (a success tells itself anyway).
 */
export const CODE_CHECK_FAILURE_ANSWER_MS = 300;

const codeFailed = () => new AppError("UNAUTHORIZED", CODE_FAILED);

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

type CheckConfig = Pick<Env, "SESSION_SECRET"> & SignInAlertConfig;

/** Signs a customer in with their emailed code; an address without an account never signs in. */
export async function verifyCustomerCode(
  deps: DepsWith<"db" | "meta" | "config", CheckConfig>,
  input: { email: string; code: string },
) {
  const result = await verifyCustomerCodeOrSignUp(deps, input);
  if (result.status !== "signed-in") throw codeFailed();
  return { token: result.token, customer: result.customer };
}

/**
 * The sign-in page's code check: a customer's code signs them in (as verifyCustomerCode); for an
 * address with no account, the right sign-up code returns a form ticket for the sign-up step
 * instead (no session yet). Every failure answers CODE_FAILED, after the same least time,
 * for customers and strangers alike; both count against the same code-check limits (per address
 * and client IP, and per address across all IPs; AUTH_LIMITS), and
 * each code, stored or not, against its own attempt limit. A customer's failures count towards
 * the sign-in alert email (sign-in-alerts.ts), in the transaction that counts the try.
 */
export async function verifyCustomerCodeOrSignUp(
  deps: DepsWith<"db" | "meta" | "config", CheckConfig>,
  input: { email: string; code: string },
): Promise<
  | { status: "signed-in"; token: string; customer: { id: string; name: string | null } }
  | { status: "sign-up"; email: string; ticket: string; expiresAt: Date }
> {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  await enforceRateLimits(
    db,
    [
      {
        key: addressIpKey("code-check", input.email, meta.ip),
        rule: AUTH_LIMITS.codeCheckPerEmail,
      },
      {
        key: addressIpKey("code-check-day", input.email, meta.ip),
        rule: AUTH_LIMITS.codeCheckPerEmailDaily,
      },
      { key: addressKey("code-check-day", input.email), rule: AUTH_LIMITS.codeCheckPerEmailAllIps },
      { key: `code-check:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.codeCheckPerIp },
    ],
    now,
  );
  const started = performance.now();
  const customer = await findActiveCustomer(db, input.email);
  if (customer) {
    const result = await db.transaction(async (tx) => {
      const checked = await verifyLoginCode(
        tx,
        customer.id,
        input.code,
        config.SESSION_SECRET,
        now,
      );
      if (!checked.ok) {
        const account = { id: customer.id, email: customer.email ?? input.email };
        await countFailedSignIn(
          tx,
          config,
          { kind: "customer", ...account, name: customer.name },
          now,
        );
      }
      return checked;
    });
    if (!result.ok) {
      await answerNoSoonerThan(started, CODE_CHECK_FAILURE_ANSWER_MS);
      throw codeFailed();
    }
    const session = await openCustomerSession(db, customer.id, meta, now);
    return {
      status: "signed-in",
      token: session.token,
      customer: { id: customer.id, name: customer.name },
    };
  }
  const right = await verifySignUpCode(db, config.SESSION_SECRET, input.email, input.code, now);
  if (!right || !(await mayCreateAccount(db, input.email))) {
    await answerNoSoonerThan(started, CODE_CHECK_FAILURE_ANSWER_MS);
    throw codeFailed();
  }
  const { ticket, expiresAt } = signSignUpTicket(config.SESSION_SECRET, "form", input.email, now);
  return { status: "sign-up", email: input.email, ticket, expiresAt };
}

/**
 * Signs a customer in with the magic link from their code email. Limited per client IP only,
 * never per address (its secret is 256 bits): whoever spends an address's code checks, from one
 * IP or many, does not keep its owner from signing in with the link.
 */
export async function verifyCustomerLink(deps: DepsWith<"db" | "meta">, input: { token: string }) {
  const { db, meta } = deps;
  const now = nowOf(deps);
  await enforceRateLimits(
    db,
    [{ key: `code-check:ip:${meta.ip ?? "unknown"}`, rule: AUTH_LIMITS.codeCheckPerIp }],
    now,
  );
  const result = await verifyLoginLink(db, input.token, now);
  if (!result.ok) throw new AppError("UNAUTHORIZED", LINK_FAILED);
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
  if (!customer || customer.erasedAt) throw new AppError("UNAUTHORIZED", LINK_FAILED);
  const session = await openCustomerSession(db, customer.id, meta, now);
  return { token: session.token, customer };
}
