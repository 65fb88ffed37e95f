import { hitRateLimit } from "@xplorium/auth";
import type { Env } from "@xplorium/config";
import type { DbOrTx } from "@xplorium/db";
import { emailTransportName } from "@xplorium/email";
import { queueEmail } from "../messaging/queue";

/**
 * When the holder of an account is told that someone is failing to sign in to it (issue 14):
 * on the 5th failed try within 24 hours (wrong codes at a customer's address, wrong passwords
 * for a staff member), then not again for 24 hours. Five is where a customer's code locks
 * (LOGIN_CODE_MAX_ATTEMPTS) and where staff sign-in starts to slow down (STAFF_SIGN_IN_DELAY):
 * a person's own slips rarely reach it. Only accounts that exist are counted and told, so
 * nothing is mailed to, or stored about, an address nobody holds.
 */
export const SIGN_IN_ALERT = { afterFailures: 5, windowSeconds: 24 * 60 * 60 };

export type AlertedAccount =
  | { kind: "customer"; id: string; email: string; name: string | null }
  | { kind: "staff"; id: string; email: string; name: string };

export type SignInAlertConfig = Pick<Env, "EMAIL_FROM" | "RESEND_API_KEY" | "EMAIL_TRANSPORT">;

/**
 * Counts one failed sign-in to an existing account and, on the SIGN_IN_ALERT-th within its day,
 * queues the "sign-in-alert" email (once a day at most). Call it in the transaction that
 * records the failure, so the count and the email commit or roll back together. The email
 * holds no code, password or link: only that tries failed and what to do about it.
 */
export async function countFailedSignIn(
  tx: DbOrTx,
  config: SignInAlertConfig,
  account: AlertedAccount,
  now: Date,
): Promise<void> {
  const rule = {
    limit: SIGN_IN_ALERT.afterFailures - 1,
    windowSeconds: SIGN_IN_ALERT.windowSeconds,
  };
  const failures = await hitRateLimit(
    tx,
    `sign-in-failures:${account.kind}:${account.id}`,
    rule,
    now,
  );
  if (failures.allowed) return;
  const alert = await hitRateLimit(
    tx,
    `sign-in-alert:${account.kind}:${account.id}`,
    { limit: 1, windowSeconds: SIGN_IN_ALERT.windowSeconds },
    now,
  );
  if (!alert.allowed) return;
  await queueEmail(tx, {
    template: "sign-in-alert",
    props: {
      audience: account.kind === "customer" ? "CUSTOMER" : "STAFF",
      name: account.name,
      failures: SIGN_IN_ALERT.afterFailures,
    },
    to: account.email,
    from: config.EMAIL_FROM,
    customerId: account.kind === "customer" ? account.id : null,
    transport: emailTransportName(config),
  });
}
