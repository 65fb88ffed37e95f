import { z } from "zod";

/**
 * Pieces of list-page URL schemas: filters live in the URL so a view can be bookmarked and
 * shared, and a bad value is dropped rather than failing the page.
 */
export const urlDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

export const urlText = (max: number) => z.string().trim().max(max).optional().catch(undefined);

export const urlEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).optional().catch(undefined);
