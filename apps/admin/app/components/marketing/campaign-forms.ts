import { trpc } from "@xplorium/api/client";
import { z } from "zod";
import { useDebounced } from "~/lib/use-debounced";

/**
 * The campaign page's forms, one schema each, and the union on `intent` its action parses
 * (ADR 022). The limits and messages are the campaign procedures' own (packages/core
 * marketing/campaigns.ts), so the browser says what the server would.
 */

/** The audience select: a segment id, everyone, or nothing chosen yet. */
export const EVERYONE = "everyone";

export const saveCampaignForm = z.object({
  intent: z.literal("save"),
  name: z
    .string({ message: "Give the campaign a name (at least 2 characters)." })
    .min(2, { message: "Give the campaign a name (at least 2 characters)." })
    .max(120, { message: "Keep the name under 120 characters." }),
  segmentId: z.string({ message: "Choose a segment, or everyone on the marketing list." }),
  subject: z
    .string({ message: "Write a subject." })
    .max(200, { message: "Keep the subject under 200 characters." }),
  preheader: z
    .string()
    .max(200, { message: "Keep the preheader under 200 characters." })
    .default(""),
  bodyMarkdown: z
    .string()
    .max(50_000, { message: "Keep the email under 50,000 characters." })
    .default(""),
});

export const sendTestForm = z.object({
  intent: z.literal("sendTest"),
  /** One input for up to 5 addresses, split on spaces, commas and semicolons. */
  to: z.string({ message: "Enter at least one address." }),
  customerId: z.string().optional(),
});

export const scheduleForm = z.object({
  intent: z.literal("schedule"),
  /** A datetime-local value in the venue's time zone. */
  scheduledAt: z
    .string({ message: "Enter a date and time." })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { message: "Enter a date and time." }),
});

export const campaignForms = z.discriminatedUnion("intent", [
  saveCampaignForm,
  sendTestForm,
  scheduleForm,
  z.object({ intent: z.literal("sendNow") }),
  z.object({ intent: z.literal("cancel") }),
]);

/** How many people an audience reaches now (opted in, not erased, not suppressed). */
export function useRecipientCount(audience: string) {
  const settled = useDebounced(audience, 300);
  return trpc.marketing.list.useQuery(
    { limit: 1, ...(settled !== EVERYONE ? { segmentId: settled } : {}) },
    { enabled: settled !== "", placeholderData: (prev) => prev, retry: false },
  );
}
