import { z } from "zod";
import { typedNumber } from "~/lib/form-schemas";

/**
 * The automations page's forms (one set per automation's card, told apart by `kind`) and the
 * union on `intent` its action parses (ADR 022). The limits and messages are the automation
 * procedures' own (packages/core marketing/automations.ts).
 */

const kind = z.enum(["BIRTHDAY", "WIN_BACK", "TIER_UPGRADE"], { message: "Unknown automation." });

/** Each setting: what the messages call it, and its limits (the table's check constraints). */
const SETTINGS = {
  daysBefore: { what: "days before the birthday", min: 0, max: 60 },
  inactivityDays: { what: "inactivity", min: 14, max: 1095 },
  cooldownDays: { what: "the cooldown", min: 7, max: 1095 },
} as const;
/** The settings each automation's form has (AutomationEditor shows `automation.settings`). */
const SETTINGS_OF: Record<z.infer<typeof kind>, (keyof typeof SETTINGS)[]> = {
  BIRTHDAY: ["daysBefore"],
  WIN_BACK: ["inactivityDays", "cooldownDays"],
  TIER_UPGRADE: [],
};
const required = (key: keyof typeof SETTINGS) =>
  `Enter a number of days for ${SETTINGS[key].what}.`;

const days = (key: keyof typeof SETTINGS) => {
  const { min, max }: { min: number; max: number } = SETTINGS[key];
  return typedNumber(
    z
      .number({ message: required(key) })
      .int({ message: "Whole days only." })
      .min(min, { message: `At least ${min} ${min === 1 ? "day" : "days"}.` })
      .max(max, { message: `At most ${max} days.` }),
    required(key),
  ).optional();
};

export const saveAutomationForm = z
  .object({
    intent: z.literal("save"),
    kind,
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
    /** Only the settings the automation has are in its form, and those are required. */
    daysBefore: days("daysBefore"),
    inactivityDays: days("inactivityDays"),
    cooldownDays: days("cooldownDays"),
  })
  .superRefine((value, ctx) => {
    for (const key of SETTINGS_OF[value.kind]) {
      if (value[key] === undefined)
        ctx.addIssue({ code: "custom", path: [key], message: required(key) });
    }
  });

export const automationForms = z.discriminatedUnion("intent", [
  saveAutomationForm,
  z.object({ intent: z.literal("enable"), kind }),
  z.object({ intent: z.literal("disable"), kind }),
  z.object({ intent: z.literal("run"), kind }),
]);
