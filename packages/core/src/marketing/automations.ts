import { enqueueJob, schema, type Tx } from "@xplorium/db";
import {
  AUTOMATION_KINDS,
  AUTOMATION_SETTINGS,
  AUTOMATION_SETTINGS_OF,
  type AutomationKind,
  type AutomationSetting,
  JOBS,
  MERGE_TAGS,
} from "@xplorium/domain";
import {
  type MarketingMessage,
  personalize,
  renderMarketingTemplate,
  SAMPLE_MERGE_VALUES,
  unknownMergeTags,
} from "@xplorium/email";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { staffIdOf } from "../actor";
import { changedFields } from "../audit/changes";
import { recordAudit } from "../audit/record-audit";
import { type DepsWith, nowOf } from "../deps";
import { AppError, notFound } from "../errors";

const { marketingAutomations, automationSends, customers, emailMessages } = schema;

/** What staff read on each card: the name and what it does. */
export const AUTOMATION_INFO: Record<AutomationKind, { label: string; description: string }> = {
  BIRTHDAY: {
    label: "Birthday",
    description:
      "A few days before a customer's birthday (in the venue's time zone), once a year. A 29 February birthday is 28 February in other years.",
  },
  WIN_BACK: {
    label: "Win-back",
    description:
      "To customers who have completed a booking before but none for a while and have nothing booked, at most once per cooldown.",
  },
  TIER_UPGRADE: {
    label: "Tier upgrade",
    description:
      "Congratulates a customer who moves up a tier, once per upgrade. Only upgrades after it is switched on; a downgrade sends nothing.",
  },
};

const kindSchema = z.enum(AUTOMATION_KINDS, { message: "Unknown automation." });
export const automationKindInput = z.object({ kind: kindSchema });

const days = (key: AutomationSetting) => {
  const { what, min, max }: { what: string; min: number; max: number } = AUTOMATION_SETTINGS[key];
  return z
    .number({ message: `Enter a number of days for ${what}.` })
    .int({ message: "Whole days only." })
    .min(min, { message: `At least ${min} ${min === 1 ? "day" : "days"}.` })
    .max(max, { message: `At most ${max} days.` });
};

/** The limits match the table's check constraints (migration 0004). */
export const automationSettingsSchema = {
  daysBefore: days("daysBefore"),
  inactivityDays: days("inactivityDays"),
  cooldownDays: days("cooldownDays"),
};

export const automationMessageSchema = z.object({
  subject: z
    .string({ message: "Write a subject." })
    .trim()
    .min(1, { message: "Write a subject." })
    .max(150, { message: "Keep the subject under 150 characters." }),
  preheader: z
    .string()
    .trim()
    .max(200, { message: "Keep the preheader under 200 characters." })
    .default(""),
  bodyMarkdown: z
    .string({ message: "Write the email." })
    .trim()
    .min(1, { message: "Write the email." })
    .max(20_000, { message: "Keep the email under 20,000 characters." }),
});

export const automationUpdateInput = automationMessageSchema.extend({
  kind: kindSchema,
  daysBefore: automationSettingsSchema.daysBefore.optional(),
  inactivityDays: automationSettingsSchema.inactivityDays.optional(),
  cooldownDays: automationSettingsSchema.cooldownDays.optional(),
});
export type AutomationUpdateInput = z.input<typeof automationUpdateInput>;

export const automationSetEnabledInput = z.object({ kind: kindSchema, enabled: z.boolean() });
export type AutomationSetEnabledInput = z.input<typeof automationSetEnabledInput>;

export const automationLogInput = z.object({
  kind: kindSchema,
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});
export type AutomationLogInput = z.input<typeof automationLogInput>;

export const automationPreviewInput = automationMessageSchema;
export type AutomationPreviewInput = z.input<typeof automationPreviewInput>;

/** Unknown merge tags as errors on the field that has them. */
function mergeTagErrors(message: MarketingMessage): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of ["subject", "preheader", "bodyMarkdown"] as const) {
    const unknown = unknownMergeTags({
      subject: "",
      preheader: "",
      bodyMarkdown: "",
      [field]: message[field],
    });
    if (unknown.length > 0) {
      errors[field] = [
        `Unknown merge ${unknown.length === 1 ? "tag" : "tags"} ${unknown.join(", ")}. Use ${MERGE_TAGS.map((t) => `{{${t}}}`).join(", ")}.`,
      ];
    }
  }
  return errors;
}

function assertKnownMergeTags(message: MarketingMessage) {
  const errors = mergeTagErrors(message);
  if (Object.keys(errors).length > 0) {
    throw new AppError("BAD_REQUEST", "The email uses a merge tag that does not exist.", {
      fieldErrors: errors,
    });
  }
}

/** The message as the recipient sees it, with the sample merge values (the editor's preview). */
async function previewHtml(message: MarketingMessage) {
  const template = await renderMarketingTemplate(message);
  return personalize(template, { ...SAMPLE_MERGE_VALUES, unsubscribeUrl: "#unsubscribe" });
}

const automationColumns = {
  kind: marketingAutomations.kind,
  enabled: marketingAutomations.enabled,
  enabledAt: marketingAutomations.enabledAt,
  daysBefore: marketingAutomations.daysBefore,
  inactivityDays: marketingAutomations.inactivityDays,
  cooldownDays: marketingAutomations.cooldownDays,
  subject: marketingAutomations.subject,
  preheader: marketingAutomations.preheader,
  bodyMarkdown: marketingAutomations.bodyMarkdown,
  lastRunAt: marketingAutomations.lastRunAt,
  updatedAt: marketingAutomations.updatedAt,
};

/** Reads an automation and locks its row until the transaction ends. */
async function lockAutomation(tx: Tx, kind: AutomationKind) {
  const [row] = await tx
    .select(automationColumns)
    .from(marketingAutomations)
    .where(eq(marketingAutomations.kind, kind))
    .for("update");
  if (!row) throw notFound("Automation");
  return row;
}

/**
 * The three automations in a fixed order, each with its settings, template, a preview of the
 * saved template and how many emails it queued in the last 30 days; and the merge tags.
 */
export async function listAutomations(deps: DepsWith<"db">) {
  const { db } = deps;
  const since = new Date(nowOf(deps).getTime() - 30 * 86_400_000);
  const [rows, counts] = await Promise.all([
    db.select(automationColumns).from(marketingAutomations),
    db
      .select({ kind: automationSends.automation, n: sql<number>`count(*)::int` })
      .from(automationSends)
      .where(sql`${automationSends.sentAt} >= ${since.toISOString()}::timestamptz`)
      .groupBy(automationSends.automation),
  ]);
  const automations = await Promise.all(
    AUTOMATION_KINDS.map(async (kind) => {
      const row = rows.find((r) => r.kind === kind);
      if (!row) throw new Error(`marketing_automations has no ${kind} row (migration 0004)`);
      return {
        ...row,
        ...AUTOMATION_INFO[kind],
        settings: AUTOMATION_SETTINGS_OF[kind],
        sentLast30Days: counts.find((c) => c.kind === kind)?.n ?? 0,
        preview: await previewHtml(row),
      };
    }),
  );
  return { automations, mergeTags: [...MERGE_TAGS] };
}

/** A draft rendered with the sample values, for the editor's live preview; unknown tags listed. */
export async function previewAutomationMessage(raw: AutomationPreviewInput) {
  const message = automationPreviewInput.parse(raw);
  const rendered = await previewHtml(message);
  return { ...rendered, unknownTags: unknownMergeTags(message) };
}

/** Saves an automation's template and its own settings; audited with what changed. */
export async function updateAutomation(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: AutomationUpdateInput,
) {
  const input = automationUpdateInput.parse(raw);
  assertKnownMergeTags(input);
  const patch: Record<string, string | number> = {
    subject: input.subject,
    preheader: input.preheader,
    bodyMarkdown: input.bodyMarkdown,
  };
  for (const key of AUTOMATION_SETTINGS_OF[input.kind]) {
    const value = input[key];
    if (value !== undefined) patch[key] = value;
  }
  return db.transaction(async (tx) => {
    const before = await lockAutomation(tx, input.kind);
    const { changes, was } = changedFields(before, patch);
    if (Object.keys(changes).length === 0) return { automation: before, changed: false };
    const [after] = await tx
      .update(marketingAutomations)
      .set({ ...changes, updatedByStaffId: staffIdOf(actor) })
      .where(eq(marketingAutomations.kind, input.kind))
      .returning(automationColumns);
    await recordAudit(tx, actor, meta, {
      action: "automation.updated",
      entityType: "automation",
      entityId: input.kind,
      details: { before: was, after: changes },
    });
    return { automation: after!, changed: true };
  });
}

/**
 * Switches an automation on or off. Switching on records the moment, so the tier-upgrade
 * automation never mails upgrades from before it (no flood of old ones).
 */
export async function setAutomationEnabled(
  deps: DepsWith<"db" | "actor" | "meta">,
  raw: AutomationSetEnabledInput,
) {
  const { db, actor, meta } = deps;
  const input = automationSetEnabledInput.parse(raw);
  const now = nowOf(deps);
  return db.transaction(async (tx) => {
    const before = await lockAutomation(tx, input.kind);
    if (before.enabled === input.enabled) return { automation: before, changed: false };
    if (input.enabled) assertKnownMergeTags(before);
    const [after] = await tx
      .update(marketingAutomations)
      .set({
        enabled: input.enabled,
        ...(input.enabled ? { enabledAt: now } : {}),
        updatedByStaffId: staffIdOf(actor),
      })
      .where(eq(marketingAutomations.kind, input.kind))
      .returning(automationColumns);
    await recordAudit(tx, actor, meta, {
      action: input.enabled ? "automation.enabled" : "automation.disabled",
      entityType: "automation",
      entityId: input.kind,
      details: { before: { enabled: before.enabled }, after: { enabled: input.enabled } },
    });
    return { automation: after!, changed: true };
  });
}

/**
 * "Run now": enqueues the automation's job for the worker (the same job the hourly schedule
 * runs, so it sends only what is due and nothing twice). A second click while one is waiting
 * replaces it (job key) rather than queueing another.
 */
export async function requestAutomationRun(
  { db, actor, meta }: DepsWith<"db" | "actor" | "meta">,
  raw: z.input<typeof automationKindInput>,
) {
  const { kind } = automationKindInput.parse(raw);
  return db.transaction(async (tx) => {
    const [automation] = await tx
      .select({ enabled: marketingAutomations.enabled })
      .from(marketingAutomations)
      .where(eq(marketingAutomations.kind, kind));
    if (!automation) throw notFound("Automation");
    if (!automation.enabled) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `${AUTOMATION_INFO[kind].label} is off: switch it on first.`,
      );
    }
    // The worker task (hourly, and "Run now"); its payload may name one automation.
    await enqueueJob(
      tx,
      JOBS.runAutomations,
      { kind },
      { jobKey: `${JOBS.runAutomations}:${kind}` },
    );
    await recordAudit(tx, actor, meta, {
      action: "automation.run_requested",
      entityType: "automation",
      entityId: kind,
    });
    return { queued: true as const };
  });
}

/** Keyset cursor: the send time as PostgreSQL printed it (microseconds kept) and the id. */
const encodeCursor = (sentAt: string, id: string) =>
  Buffer.from(JSON.stringify([sentAt, id]), "utf8").toString("base64url");
function decodeCursor(raw: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      !Number.isNaN(Date.parse(value[0])) &&
      z.uuid().safeParse(value[1]).success
    ) {
      return [value[0], value[1]];
    }
  } catch {}
  throw new AppError("BAD_REQUEST", "That page link has expired; start from the first page.", {
    fieldErrors: { cursor: ["Invalid cursor"] },
  });
}

/**
 * An automation's send log, newest first, keyset-paginated on (sent_at, id): who (an erased
 * customer shows as erased, without a name), when, and what became of the email.
 */
export async function automationLog({ db }: DepsWith<"db">, raw: AutomationLogInput) {
  const input = automationLogInput.parse(raw);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const sentAtText = sql<string>`${automationSends.sentAt}::text`;
  const rows = await db
    .select({
      id: automationSends.id,
      sentAt: automationSends.sentAt,
      sentAtText,
      periodKey: automationSends.periodKey,
      customerId: automationSends.customerId,
      name: customers.name,
      email: customers.email,
      erased: sql<boolean>`${customers.erasedAt} is not null`,
      emailStatus: emailMessages.status,
      emailError: emailMessages.error,
    })
    .from(automationSends)
    .innerJoin(customers, eq(customers.id, automationSends.customerId))
    .leftJoin(emailMessages, eq(emailMessages.id, automationSends.emailMessageId))
    .where(
      and(
        eq(automationSends.automation, input.kind),
        after
          ? or(
              lt(automationSends.sentAt, sql`${after[0]}::timestamptz`),
              and(
                eq(automationSends.sentAt, sql`${after[0]}::timestamptz`),
                lt(automationSends.id, after[1]),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(automationSends.sentAt), desc(automationSends.id))
    .limit(input.limit + 1);
  const [count] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(automationSends)
    .where(eq(automationSends.automation, input.kind));
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ sentAtText: _, name, email, erased, ...r }) => ({
      ...r,
      name: erased ? null : name,
      email: erased ? null : email,
      erased,
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.sentAtText, last.id) : null,
    total: count?.total ?? 0,
  };
}
