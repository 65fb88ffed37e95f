import {
  AUTOMATION_KINDS,
  AUTOMATION_SETTINGS,
  AUTOMATION_SETTINGS_OF,
  type AutomationSetting,
} from "@xplorium/domain";
import { z } from "zod";
import { typedNumber } from "~/lib/form-schemas";

/**
 * The automations page's forms (one set per automation's card, told apart by `kind`) and the
 * union on `intent` its action parses (ADR 022). The limits and messages are the automation
 * procedures' own (packages/core marketing/automations.ts).
 */

const kind = z.enum(AUTOMATION_KINDS, { message: "Unknown automation." });

const required = (key: AutomationSetting) =>
  `Enter a number of days for ${AUTOMATION_SETTINGS[key].what}.`;

/** A setting's input; only the settings the automation has (AUTOMATION_SETTINGS_OF) are required. */
const days = (key: AutomationSetting) => {
  const { min, max }: { min: number; max: number } = AUTOMATION_SETTINGS[key];
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
    for (const key of AUTOMATION_SETTINGS_OF[value.kind]) {
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
