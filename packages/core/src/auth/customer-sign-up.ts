import type { Env } from "@xplorium/config";
import { schema } from "@xplorium/db";
import { and, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { type ConsentConfig, recordConsentChange } from "../consent/consent";
import { findCustomerByEmailForUpdate, upsertCustomerTx } from "../customers/customer-profile";
import { type DepsWith, nowOf } from "../deps";
import { AppError } from "../errors";
import { applyReferralCode, referralCodeSchema } from "../loyalty/referrals";
import { openCustomerSession } from "./customer-sign-in";
import { addressBlocked, readSignUpTicket, signSignUpTicket } from "./sign-up-codes";

const { customers, auditLog } = schema;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const signUpInput = z.object({
  /** The form ticket from the right sign-up code or the emailed link. */
  ticket: z.string().min(10).max(1000),
  name: z.preprocess(
    blankToUndefined,
    z.string().trim().max(120, { message: "Names are at most 120 characters." }).optional(),
  ),
  /** "Email me offers": never pre-ticked; only true when the person ticked it. */
  marketingEmail: z.boolean().default(false),
  /** A friend's referral code, from a `?ref=` link or typed. */
  referralCode: z.preprocess(blankToUndefined, referralCodeSchema.optional()),
});
export type SignUpInput = z.input<typeof signUpInput>;

const EXPIRED =
  "This sign-up has expired or its link is not valid. Ask for a new code to continue.";
const EXISTS = "There is already an account for this email. Sign in with a code instead.";
/** A repeated submit of the same form within this time signs in to the account it made. */
const REPLAY_SECONDS = 10 * 60;

/**
 * The emailed sign-up link, opened: a fresh form ticket for the sign-up step, or why not. GET
 * only; the account is made by the form's POST, so mail scanners opening links create nothing.
 */
export async function openSignUpLink(
  deps: DepsWith<"db" | "config", Pick<Env, "SESSION_SECRET">>,
  { token }: { token: string },
): Promise<
  | { status: "ready"; email: string; ticket: string; expiresAt: Date }
  | { status: "exists" | "invalid" }
> {
  const { db, config } = deps;
  const now = nowOf(deps);
  const link = readSignUpTicket(config.SESSION_SECRET, token, "link", now);
  if (!link || (await addressBlocked(db, link.email))) return { status: "invalid" };
  const [existing] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(eq(customers.email, link.email))
    .limit(1);
  if (existing) return { status: "exists" };
  const { ticket, expiresAt } = signSignUpTicket(config.SESSION_SECRET, "form", link.email, now);
  return { status: "ready", email: link.email, ticket, expiresAt };
}

/**
 * Creates the account of a proven address and signs it in, in one transaction: the customer
 * (no consent unless "email me offers" was ticked, then a confirmed PORTAL consent event, as the
 * person gave it themselves), the friend's referral code through the referral rules (a refused
 * code is a field error and creates nothing), the audit row and the session. The same form
 * submitted twice signs in to the account the first submit made.
 */
export async function signUpCustomer(
  deps: DepsWith<"db" | "meta" | "config", ConsentConfig>,
  raw: SignUpInput,
) {
  const { db, config, meta } = deps;
  const now = nowOf(deps);
  const input = signUpInput.parse(raw);
  const proven = readSignUpTicket(config.SESSION_SECRET, input.ticket, "form", now);
  if (!proven || (await addressBlocked(db, proven.email))) {
    throw new AppError("UNAUTHORIZED", EXPIRED);
  }
  const { email } = proven;
  return db.transaction(async (tx) => {
    const existing = await findCustomerByEmailForUpdate(tx, email);
    if (existing) {
      // The same form again (a double click without JavaScript): the account it made.
      const [mine] = await tx
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(
          and(
            eq(auditLog.action, "customer.signed_up"),
            eq(auditLog.entityId, existing.id),
            sql`${auditLog.details}->>'ticketId' = ${proven.id}`,
            gt(auditLog.createdAt, new Date(now.getTime() - REPLAY_SECONDS * 1000)),
          ),
        )
        .limit(1);
      if (!mine || existing.email !== email) throw new AppError("CONFLICT", EXISTS);
      const session = await openCustomerSession(tx, existing.id, meta, now);
      return {
        token: session.token,
        customer: { id: existing.id, name: existing.name },
        replayed: true,
      };
    }
    const { customer, created } = await upsertCustomerTx(tx, {
      email,
      ...(input.name ? { name: input.name } : {}),
    });
    // Lost a race with another sign-up or a booking for the same address.
    if (!created) throw new AppError("CONFLICT", EXISTS);
    const actor: Actor = { type: "customer", id: customer.id };

    if (input.marketingEmail) {
      await recordConsentChange(tx, config, {
        customerId: customer.id,
        channel: "EMAIL",
        granted: true,
        source: "PORTAL",
        confirmed: true,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    if (input.referralCode) {
      try {
        await applyReferralCode(
          { db: tx, actor, meta },
          {
            customerId: customer.id,
            code: input.referralCode,
          },
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        throw new AppError("BAD_REQUEST", error.message, {
          fieldErrors: { referralCode: [error.message] },
        });
      }
    }
    await recordAudit(tx, actor, meta, {
      action: "customer.signed_up",
      entityType: "customer",
      entityId: customer.id,
      details: {
        ticketId: proven.id,
        marketingEmail: input.marketingEmail,
        referralCode: input.referralCode ?? null,
      },
    });
    const session = await openCustomerSession(tx, customer.id, meta, now);
    return {
      token: session.token,
      customer: { id: customer.id, name: customer.name },
      replayed: false,
    };
  });
}
