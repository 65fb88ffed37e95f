import { randomUUID } from "node:crypto";
import type { Env } from "@xplorium/config";
import { type DbOrTx, schema, type Tx } from "@xplorium/db";
import type { VoucherStatus } from "@xplorium/domain";
import { and, desc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { staffIdOf } from "../actor";
import { recordAudit } from "../audit/record-audit";
import { randomCode } from "../customers/referral-code";
import type { Deps, DepsWith } from "../deps";
import { AppError, notFound } from "../errors";
import { lockCustomerForPoints, postPoints } from "./ledger";

const { customers, loyaltyLedger, rewards, staffUsers, vouchers } = schema;

/*
 * Vouchers (DESIGN.md "Rewards"). Redeeming spends points and issues a voucher; staff mark it used
 * once; cancelling an unused one refunds its points once.
 *
 * Expiry policy: a voucher not used by its expiry date becomes EXPIRED and its points are NOT
 * refunded; the points were spent when it was issued, and the expiry date was on it from the
 * start. Staff who want to make good can add points by hand (adjust:points), which is audited.
 * An expired voucher can neither be used nor cancelled. The state shown is computed from
 * expires_at, so a voucher reads as expired the moment it is, before the daily job marks it.
 */

/** The prefix of every voucher code: `XP-` and 8 characters of the unambiguous alphabet. */
export const VOUCHER_CODE_PREFIX = "XP";

/** `XP-7KQM-3WHT`: no 0/O/1/I/L, read aloud at the counter and typed from a phone screen. */
export function generateVoucherCode(random?: (max: number) => number): string {
  const body = randomCode(8, random);
  return `${VOUCHER_CODE_PREFIX}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/** Characters a typed code can contain that no generated code ever does. */
const NEVER_IN_CODES = /[01OIL]/;

/**
 * The stored codes a typed or pasted code may mean: case, spaces, dashes and other punctuation
 * ignored (`xp 7kqm 3wht`, `XP–7KQM–3WHT`, `7KQM3WHT` without the prefix). Mistyped look-alikes
 * (0/O, 1/I/L) are not guessed: none of them is in the alphabet, so any mapping would be a
 * guess; the not-found message says so instead.
 */
export function voucherCodeCandidates(typed: string): string[] {
  const s = typed
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
  if (s === "") return [];
  const out = new Set<string>([s]);
  const body =
    s.length === 10 && s.startsWith(VOUCHER_CODE_PREFIX) ? s.slice(2) : s.length === 8 ? s : null;
  if (body) out.add(`${VOUCHER_CODE_PREFIX}-${body.slice(0, 4)}-${body.slice(4)}`);
  return [...out];
}

/** The status as of now: an ISSUED voucher past its expiry is EXPIRED even before the job runs. */
export const voucherStateNow = sql<VoucherStatus>`(case when ${vouchers.status} = 'ISSUED' and ${vouchers.expiresAt} <= now() then 'EXPIRED' else ${vouchers.status}::text end)`;

/** A voucher's state now, its cost and its dates: what staff and the portal both show. */
export const voucherLifeColumns = {
  state: voucherStateNow,
  pointsSpent: vouchers.pointsSpent,
  issuedAt: vouchers.issuedAt,
  expiresAt: vouchers.expiresAt,
  usedAt: vouchers.usedAt,
  cancelledAt: vouchers.cancelledAt,
};

const voucherColumns = {
  id: vouchers.id,
  code: vouchers.code,
  status: vouchers.status,
  ...voucherLifeColumns,
  reward: {
    id: rewards.id,
    code: rewards.code,
    name: rewards.name,
    description: rewards.description,
  },
  customer: {
    id: customers.id,
    name: customers.name,
    email: customers.email,
    tier: customers.loyaltyTier,
    points: customers.loyaltyPoints,
  },
  usedByStaffName: staffUsers.name,
};

function voucherQuery(db: DbOrTx) {
  return db
    .select(voucherColumns)
    .from(vouchers)
    .innerJoin(rewards, eq(rewards.id, vouchers.rewardId))
    .innerJoin(customers, eq(customers.id, vouchers.customerId))
    .leftJoin(staffUsers, eq(staffUsers.id, vouchers.usedByStaffId));
}

export type VoucherView = Awaited<ReturnType<typeof voucherById>>;

async function voucherById(db: DbOrTx, id: string) {
  const [row] = await voucherQuery(db).where(eq(vouchers.id, id)).limit(1);
  if (!row) throw notFound("Voucher");
  return row;
}

/** Marking used and cancelling name dates in refusals, in the venue's time zone. */
export type VoucherConfig = Pick<Env, "TIME_ZONE">;

// ---------------------------------------------------------------------------------------------
// Redemption

export const redeemRewardInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
  rewardId: z.uuid({ message: "Choose a reward." }),
  /** One per form render or client request, so a double submit issues one voucher. */
  idempotencyKey: z.uuid({ message: "Invalid request key." }).optional(),
});
export type RedeemRewardInput = z.input<typeof redeemRewardInput>;

/** Inserts the voucher under a fresh code; a clash with an existing code just draws another. */
async function insertVoucher(
  tx: Tx,
  values: { customerId: string; rewardId: string; pointsSpent: number; validityDays: number },
) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const [row] = await tx
      .insert(vouchers)
      .values({
        code: generateVoucherCode(),
        customerId: values.customerId,
        rewardId: values.rewardId,
        pointsSpent: values.pointsSpent,
        expiresAt: sql`now() + make_interval(days => ${values.validityDays}::int)`,
      })
      .onConflictDoNothing({ target: vouchers.code })
      .returning({ id: vouchers.id, code: vouchers.code });
    if (row) return row;
  }
  throw new AppError("CONFLICT", "Could not issue a voucher code; please try again.");
}

/**
 * Spends a customer's points on a reward and issues a voucher, in one transaction
 * (DESIGN.md "Rewards"). The customer row is locked first (the ledger's lock), so concurrent
 * redemptions and every other point change of this customer run one after another: the second
 * sees the balance the first left, and two redemptions can never spend the same points. A
 * negative balance (after a reversal) redeems nothing. A repeated idempotency key returns the
 * voucher the first request issued. `actor` is the customer (portal) or staff on their behalf.
 */
export async function redeemReward(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: RedeemRewardInput,
) {
  const input = redeemRewardInput.parse(raw);
  // Scoped by customer: a key can never reveal another customer's voucher.
  const key = `redeem:${input.customerId}:${input.idempotencyKey ?? randomUUID()}`;
  const self = actor.type === "customer";
  if (self && actor.id !== input.customerId) {
    throw new AppError("FORBIDDEN", "You can only redeem rewards for yourself.");
  }
  return db.transaction(async (tx) => {
    const customer = await lockCustomerForPoints(tx, input.customerId);
    const [previous] = await tx
      .select({ voucherId: loyaltyLedger.voucherId })
      .from(loyaltyLedger)
      .where(eq(loyaltyLedger.idempotencyKey, key))
      .limit(1);
    if (previous?.voucherId) {
      return {
        voucher: await voucherById(tx, previous.voucherId),
        balance: customer.balance,
        replayed: true,
      };
    }

    const [reward] = await tx
      .select({
        id: rewards.id,
        name: rewards.name,
        pointsCost: rewards.pointsCost,
        active: rewards.active,
        stock: rewards.stock,
        voucherValidityDays: rewards.voucherValidityDays,
      })
      .from(rewards)
      .where(eq(rewards.id, input.rewardId))
      .limit(1);
    if (!reward) throw notFound("Reward");
    if (!reward.active) throw new AppError("CONFLICT", `“${reward.name}” is no longer offered.`);
    if (customer.balance < reward.pointsCost) {
      const has = customer.balance.toLocaleString("en");
      const needs = reward.pointsCost.toLocaleString("en");
      throw new AppError(
        "CONFLICT",
        self
          ? `Not enough points: you have ${has}, “${reward.name}” needs ${needs}.`
          : `Not enough points: the balance is ${has}, “${reward.name}” needs ${needs}.`,
      );
    }
    // Unlimited rewards take no lock on the reward row, so redemptions of different customers do
    // not queue behind each other. Limited ones decrement atomically: of two customers taking
    // the last one, the second updates no row.
    if (reward.stock !== null) {
      const [taken] = await tx
        .update(rewards)
        .set({ stock: sql`${rewards.stock} - 1` })
        .where(
          and(eq(rewards.id, reward.id), sql`(${rewards.stock} is null or ${rewards.stock} > 0)`),
        )
        .returning({ stock: rewards.stock });
      if (!taken) throw new AppError("CONFLICT", `“${reward.name}” is out of stock.`);
    }

    const voucher = await insertVoucher(tx, {
      customerId: input.customerId,
      rewardId: reward.id,
      pointsSpent: reward.pointsCost,
      validityDays: reward.voucherValidityDays,
    });
    const posting = await postPoints(tx, {
      customerId: input.customerId,
      delta: -reward.pointsCost,
      reason: "REDEMPTION",
      idempotencyKey: key,
      voucherId: voucher.id,
      staffUserId: staffIdOf(actor),
      note: `Redeemed: ${reward.name} (${voucher.code})`,
      requireNonNegative: true,
    });
    // The key was checked under the same lock, so this cannot be a replay.
    if (!posting.posted) throw new AppError("CONFLICT", "This redemption was already recorded.");

    await recordAudit(tx, actor, meta, {
      action: "reward.redeemed",
      entityType: "voucher",
      entityId: voucher.id,
      details: {
        customerId: input.customerId,
        code: voucher.code,
        reward: { id: reward.id, name: reward.name },
        pointsSpent: reward.pointsCost,
        onBehalf: !self,
        before: { balance: customer.balance },
        after: { balance: posting.balance, tier: posting.tier },
      },
    });
    return {
      voucher: await voucherById(tx, voucher.id),
      balance: posting.balance,
      replayed: false,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// At the counter

export const voucherCodeInput = z.object({
  code: z
    .string({ message: "Type or paste a voucher code." })
    .max(64, { message: "That is too long for a voucher code." }),
});

/** A voucher by its code as typed or pasted, with whose it is and its state now. */
export async function lookupVoucher(
  { db }: DepsWith<"db">,
  { code }: z.infer<typeof voucherCodeInput>,
) {
  const candidates = voucherCodeCandidates(code);
  if (candidates.length === 0) {
    throw new AppError("BAD_REQUEST", "Type or paste a voucher code.", {
      fieldErrors: { code: ["Type or paste a voucher code."] },
    });
  }
  const [row] = await voucherQuery(db).where(inArray(vouchers.code, candidates)).limit(1);
  if (!row) {
    const shown = candidates.at(-1);
    const hint = NEVER_IN_CODES.test(candidates[0]!)
      ? " Voucher codes never contain 0, O, 1, I or L: check those characters."
      : "";
    const message = `No voucher with the code ${shown}.${hint}`;
    throw new AppError("NOT_FOUND", message, { fieldErrors: { code: [message] } });
  }
  return row;
}

export const voucherIdInput = z.object({ voucherId: z.uuid({ message: "Unknown voucher." }) });

function formatWhen(at: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(at);
}

/** Why a voucher cannot be used or cancelled now: a CONFLICT with a message staff can act on. */
function notUsable(v: VoucherView, timeZone: string): AppError {
  switch (v.state) {
    case "USED":
      return new AppError(
        "CONFLICT",
        `Already used on ${v.usedAt ? formatWhen(v.usedAt, timeZone) : "an earlier visit"}${
          v.usedByStaffName ? ` (marked by ${v.usedByStaffName})` : ""
        }.`,
      );
    case "EXPIRED":
      return new AppError(
        "CONFLICT",
        `Expired on ${formatWhen(v.expiresAt, timeZone)}; expired vouchers are not refunded.`,
      );
    case "CANCELLED":
      return new AppError(
        "CONFLICT",
        `This voucher was cancelled${
          v.cancelledAt ? ` on ${formatWhen(v.cancelledAt, timeZone)}` : ""
        } and its points refunded.`,
      );
    default:
      return new AppError("CONFLICT", "This voucher changed meanwhile; look it up again.");
  }
}

/**
 * Marks a voucher used, once: one conditional UPDATE (still ISSUED and not expired), so of any
 * number of staff pressing the button at once exactly one wins and the rest are told when it
 * was used.
 */
export async function markVoucherUsed(
  { db, actor, meta, config }: Deps<VoucherConfig>,
  input: { voucherId: string },
) {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(vouchers)
      .set({ status: "USED", usedAt: sql`now()`, usedByStaffId: staffIdOf(actor) })
      .where(
        and(
          eq(vouchers.id, input.voucherId),
          eq(vouchers.status, "ISSUED"),
          gt(vouchers.expiresAt, sql`now()`),
        ),
      )
      .returning({ id: vouchers.id });
    const view = await voucherById(tx, input.voucherId);
    if (!used) throw notUsable(view, config.TIME_ZONE);
    await recordAudit(tx, actor, meta, {
      action: "voucher.used",
      entityType: "voucher",
      entityId: view.id,
      details: {
        code: view.code,
        customerId: view.customer.id,
        reward: { id: view.reward.id, name: view.reward.name },
        before: { status: "ISSUED" },
        after: { status: "USED" },
      },
    });
    return view;
  });
}

export const cancelVoucherInput = voucherIdInput.extend({
  reason: z
    .string()
    .trim()
    .max(200, { message: "Keep the reason under 200 characters." })
    .optional(),
});

/**
 * Cancels an unused, unexpired voucher and refunds its points exactly once (ledger key
 * `voucher:<id>:refund`), and puts the reward back in stock. The customer is locked before the
 * voucher, the order redemption and merging use, so they never deadlock with it.
 */
export async function cancelVoucher(
  { db, actor, meta, config }: Deps<VoucherConfig>,
  raw: z.input<typeof cancelVoucherInput>,
) {
  const input = cancelVoucherInput.parse(raw);
  return db.transaction(async (tx) => {
    // A merge may move the voucher to another customer between reading its owner and locking
    // them: read again when that happens.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [owner] = await tx
        .select({ customerId: vouchers.customerId })
        .from(vouchers)
        .where(eq(vouchers.id, input.voucherId));
      if (!owner) throw notFound("Voucher");
      const customer = await lockCustomerForPoints(tx, owner.customerId).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "NOT_FOUND") return null;
        throw e;
      });
      if (!customer) {
        // Gone: merged away (the voucher moved with it: read again) or erased (nothing to refund to).
        const [now] = await tx
          .select({ customerId: vouchers.customerId })
          .from(vouchers)
          .where(eq(vouchers.id, input.voucherId));
        if (!now || now.customerId === owner.customerId) throw notFound("Customer");
        continue;
      }
      const [cancelled] = await tx
        .update(vouchers)
        .set({ status: "CANCELLED", cancelledAt: sql`now()` })
        .where(
          and(
            eq(vouchers.id, input.voucherId),
            eq(vouchers.customerId, owner.customerId),
            eq(vouchers.status, "ISSUED"),
            gt(vouchers.expiresAt, sql`now()`),
          ),
        )
        .returning({
          id: vouchers.id,
          code: vouchers.code,
          rewardId: vouchers.rewardId,
          pointsSpent: vouchers.pointsSpent,
        });
      if (!cancelled) {
        const view = await voucherById(tx, input.voucherId);
        if (view.customer.id !== owner.customerId) continue;
        throw notUsable(view, config.TIME_ZONE);
      }
      const refund = await postPoints(tx, {
        customerId: owner.customerId,
        delta: cancelled.pointsSpent,
        reason: "VOUCHER_REFUND",
        idempotencyKey: `voucher:${cancelled.id}:refund`,
        voucherId: cancelled.id,
        staffUserId: staffIdOf(actor),
        note: `Refund: cancelled voucher ${cancelled.code}${input.reason ? ` (${input.reason})` : ""}`,
      });
      await tx
        .update(rewards)
        .set({ stock: sql`${rewards.stock} + 1` })
        .where(and(eq(rewards.id, cancelled.rewardId), isNotNull(rewards.stock)));
      const view = await voucherById(tx, cancelled.id);
      await recordAudit(tx, actor, meta, {
        action: "voucher.cancelled",
        entityType: "voucher",
        entityId: cancelled.id,
        details: {
          code: cancelled.code,
          customerId: owner.customerId,
          reward: { id: view.reward.id, name: view.reward.name },
          refunded: refund.posted ? cancelled.pointsSpent : 0,
          reason: input.reason ?? null,
          before: { status: "ISSUED", balance: customer.balance },
          after: {
            status: "CANCELLED",
            balance: refund.posted ? refund.balance : customer.balance,
          },
        },
      });
      return { voucher: view, refunded: refund.posted ? cancelled.pointsSpent : 0 };
    }
    throw new AppError("CONFLICT", "This voucher just moved to another customer; try again.");
  });
}

export const voucherListInput = z.object({
  limit: z.number().int().min(1).max(100).default(50),
});

/** A customer's vouchers, newest first. */
export async function listVouchersForCustomer(
  { db }: DepsWith<"db">,
  input: { customerId: string; limit?: number },
) {
  return voucherQuery(db)
    .where(eq(vouchers.customerId, input.customerId))
    .orderBy(desc(vouchers.issuedAt), desc(vouchers.id))
    .limit(input.limit ?? 50);
}

/** The latest vouchers issued, for the counter's "recent" list. */
export async function listRecentVouchers({ db }: DepsWith<"db">, input: { limit?: number } = {}) {
  return voucherQuery(db)
    .orderBy(desc(vouchers.issuedAt), desc(vouchers.id))
    .limit(input.limit ?? 20);
}

/**
 * Marks every ISSUED voucher past its expiry as EXPIRED in one statement, and returns how many.
 * No refund (see the policy at the top of this file). Safe to run any number of times. Audited
 * as `deps.actor` (the system, in the daily job).
 */
export async function expireVouchers({
  db,
  actor,
  meta,
}: DepsWith<"db" | "actor" | "meta">): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx.execute<{ n: number }>(sql`
      with expired as (
        update ${vouchers} set status = 'EXPIRED'
        where ${vouchers.status} = 'ISSUED' and ${vouchers.expiresAt} <= now()
        returning 1
      )
      select count(*)::int as n from expired`);
    const n = row?.n ?? 0;
    if (n > 0) {
      await recordAudit(tx, actor, meta, {
        action: "vouchers.expired",
        entityType: "voucher",
        details: { count: n },
      });
    }
    return n;
  });
}
