import { z } from "zod";

/**
 * A whole number as staff type it ("1 200", "1,200"): the separators go, then `number` (the
 * procedure's own limits and messages) checks it. Left empty, the field says `required`; text
 * that is not a number gets `number`'s own type message.
 */
export function typedNumber(number: z.ZodNumber, required: string) {
  return z
    .string({ message: required })
    .transform((raw) => {
      const digits = raw.replace(/[\s,]/g, "");
      return digits === "" ? Number.NaN : Number(digits);
    })
    .pipe(number);
}

/** The name and description of a saved thing (a reward, a segment), as the procedures word them. */
export function nameAndDescription(thing: string) {
  return {
    name: z
      .string({ message: `Give the ${thing} a name.` })
      .trim()
      .min(2, { message: `Give the ${thing} a name (at least 2 characters).` })
      .max(80, { message: "Keep the name under 80 characters." }),
    description: z
      .string()
      .trim()
      .max(500, { message: "Keep the description under 500 characters." })
      .default(""),
  };
}
