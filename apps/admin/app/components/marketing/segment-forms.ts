import { z } from "zod";
import { nameAndDescription } from "~/lib/form-schemas";
import type { Filter } from "./segment-filter";

/**
 * The segment pages' forms and the unions on `intent` their actions parse (ADR 022). The limits
 * and messages are the segment procedures' own (packages/core marketing/segments.ts); the
 * procedures check the filter itself.
 */

export const saveSegmentForm = z.object({
  intent: z.literal("save"),
  ...nameAndDescription("segment"),
  /** The builder's filter as JSON (a hidden field); unreadable JSON is no criteria at all. */
  filter: z
    .string()
    .default("{}")
    .transform((json): Filter => {
      try {
        return JSON.parse(json);
      } catch {
        return {};
      }
    }),
});

/** The editor: save, or duplicate the saved segment (then open the copy). */
export const segmentEditorForms = z.discriminatedUnion("intent", [
  saveSegmentForm,
  z.object({ intent: z.literal("duplicate") }),
]);

/** The list: duplicate a segment (then open the copy), or delete one. */
export const segmentListForms = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("duplicate"), id: z.string({ message: "Unknown segment." }) }),
  z.object({ intent: z.literal("delete"), id: z.string({ message: "Unknown segment." }) }),
]);
