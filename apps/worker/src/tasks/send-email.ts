import { type Env, isLocalDevelopment } from "@xplorium/config";
import { listUnsubscribeHeaders } from "@xplorium/core/consent";
import { deliverEmail } from "@xplorium/core/messaging";
import type { Database } from "@xplorium/db";
import { JOBS } from "@xplorium/domain";
import { type EmailTransport, transportFor } from "@xplorium/email";
import type { Task } from "graphile-worker";
import { z } from "zod";

const payload = z.object({ emailMessageId: z.uuid() });

/**
 * Delivers one queued email; a retryable failure throws so graphile-worker retries with backoff.
 * Marketing mail gets its customer's one-click unsubscribe headers here. A sign-in code's body
 * is dropped as it is delivered, except in the development outbox (until the code expires).
 */
export function sendEmailTask(
  db: Database,
  env: Env,
  transport: EmailTransport = transportFor(env),
): Task {
  const marketingHeaders = (customerId: string) =>
    listUnsubscribeHeaders(env, { customerId, channel: "EMAIL" });
  return async (raw, helpers) => {
    const { emailMessageId } = payload.parse(raw);
    const outcome = await deliverEmail(db, emailMessageId, transport, {
      marketingHeaders,
      developmentOutbox: isLocalDevelopment(env),
    });
    helpers.logger.info(`${JOBS.sendEmail} ${emailMessageId}: ${outcome}`);
  };
}
